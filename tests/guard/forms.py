"""Read a Wagtail edit form the way a browser would, to post it back.

Building the POST data from the rendered form keeps these tests independent
of the exact panels brands puts on its pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class ReadForm:
    """One <form> as a browser would submit it (before any button is clicked)."""

    attrs: dict[str, str]
    data: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type or tag
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submits
    streams: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.attrs.get("id", "")

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    @property
    def method(self) -> str:
        return (self.attrs.get("method") or "get").lower()


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[ReadForm] = []
        self._form: ReadForm | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = ReadForm(attrs=attrs)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            form.kinds.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form.data[name] = attrs["value"] if "value" in attrs else "on"
            elif kind in ("submit", "button"):
                form.buttons.append((name, attrs.get("value", "")))
            elif kind != "file":
                form.data[name] = attrs.get("value", "")
        elif tag == "button" and name:
            form.buttons.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            form.kinds[name] = "textarea"
            self._textarea = name
            form.data[name] = ""
        elif tag == "select" and name:
            form.kinds[name] = "select"
            self._select = name
            self._select_first = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                form.data[self._select] = value
        elif attrs.get("data-controller") == "w-block" and attrs.get("id"):
            # A StreamField: its inputs are created by JavaScript.
            form.streams.append(attrs["id"])

    def handle_endtag(self, tag):
        form = self._form
        if form is None:
            return
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline Django writes after <textarea>.
            value = form.data[self._textarea]
            if value.startswith("\n"):
                form.data[self._textarea] = value[1:]
            self._textarea = None
        elif tag == "select" and self._select:
            form.data.setdefault(self._select, self._select_first or "")
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.data[self._textarea] += data


def read_forms(html: str) -> list[ReadForm]:
    """Every form of the page, with what a browser would post for it."""
    reader = _FormReader()
    reader.feed(html)
    for form in reader.forms:
        for stream in form.streams:
            # Only empty StreamFields are posted back by these tests.
            form.data.setdefault(f"{stream}-count", "0")
            form.kinds.setdefault(f"{stream}-count", "hidden")
    return reader.forms


def edit_form_data(html: str, form_id: str = "page-edit-form") -> dict[str, str]:
    for form in read_forms(html):
        if form.id == form_id:
            return dict(form.data)
    return {}
