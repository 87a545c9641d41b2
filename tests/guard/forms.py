"""Read a Wagtail edit form the way a browser would, to post it back.

Building the POST data from the rendered form keeps these tests independent
of the exact panels brands puts on its pages.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str] = {}
        self.streams: list[str] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value", "") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self._select_first = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.data[self._select] = value
        elif attrs.get("data-controller") == "w-block" and attrs.get("id"):
            # A StreamField: its inputs are created by JavaScript.
            self.streams.append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline Django writes after <textarea>.
            value = self.data[self._textarea]
            if value.startswith("\n"):
                self.data[self._textarea] = value[1:]
            self._textarea = None
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, self._select_first or "")
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def edit_form_data(html: str, form_id: str = "page-edit-form") -> dict[str, str]:
    reader = _FormReader(form_id)
    reader.feed(html)
    data = dict(reader.data)
    for stream in reader.streams:
        # Only empty StreamFields are posted back by these tests.
        data.setdefault(f"{stream}-count", "0")
    return data
