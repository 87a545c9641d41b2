"""Which query strings the page cache stores, and under which key.

Each page class declares the parameters that change it (``page_cache_params``:
name -> pattern a stored value must match; the patterns below). The key
holds the query normalised (names sorted, values stripped and NFC, empty and
repeated values dropped; tracking parameters such as utm_* ignored). A
response is stored only when every parameter is declared, single-valued,
already in normal form, matches its pattern, and the page accepted it. See
``core.page_cache`` for why junk is rendered but never stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse

# Patterns for page_cache_params: a page number, a choice's slug, free text.
PAGE_NUMBER = r"[1-9][0-9]{0,3}"
SLUG = r"[-\w]+"
NAME = r"[^\x00-\x1f]+"
# Ad and analytics tags no page reads: ignored for the key, never stored.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "msclkid", "yclid", "igshid", "_ga"})
TRACKING_PREFIXES = ("utm_", "mc_")
# No stored filter value is longer (a commune's name is the longest).
MAX_CACHED_VALUE_LENGTH = 100


def is_tracking(name: str) -> bool:
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def normal(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def normal_query(request: HttpRequest) -> list[tuple[str, list[str]]]:
    """The query without tracking parameters, empty or repeated values, sorted."""
    query: dict[str, list[str]] = {}
    for raw_name, raw_values in request.GET.lists():
        name = normal(raw_name)
        if not name or is_tracking(name):
            continue
        values = query.setdefault(name, [])
        for value in map(normal, raw_values):
            if value and value not in values:
                values.append(value)
    # Repeated values keep their order: a form reads the last one.
    return sorted((name, values) for name, values in query.items() if values)


def query_is_storable(request: HttpRequest, params: Mapping[str, str]) -> bool:
    """True when the query holds declared, single, normal, valid values only."""
    for raw_name, raw_values in request.GET.lists():
        if raw_name not in params or len(raw_values) != 1:
            return False
        value = raw_values[0]
        if value == "":
            continue
        if (
            value != normal(value)
            or len(value) > MAX_CACHED_VALUE_LENGTH
            or not re.fullmatch(params[raw_name], value)
        ):
            return False
    return True


def page_accepted_query(request: HttpRequest, response: HttpResponse) -> bool:
    # The page's own verdict: a filter form with errors, or a page number the
    # paginator replaced (past the end, not a number), is junk not to store.
    context = getattr(response, "context_data", None) or {}
    form = context.get("filter_form")
    if form is not None and form.is_bound and not form.is_valid():
        return False
    page_obj = context.get("page_obj")
    asked = request.GET.get("page")
    if asked and (page_obj is None or str(page_obj.number) != asked):
        return False
    return True
