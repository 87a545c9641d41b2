"""Site search over live pages, in the visitor's language.

Diacritics and case are folded on both sides ("nuoc mam chau doc" finds
"Nước mắm Châu Đốc"). Unicode decomposition (unaccent, FTS folding) leaves
"đ" alone, so brand and product pages keep a folded ``search_text`` column
(maintained on save) and every query term must occur in it. This is plain
SQL LIKE, identical on SQLite and PostgreSQL. Other pages (about, terms...)
go through Wagtail's search backend.
"""

from __future__ import annotations

import re

from django.http import HttpRequest
from wagtail.models import Locale, Page

from brands.models import BrandPage, ProductPage
from brands.selectors import MAX_SEARCH_TERMS, localized_live, search_text_matching
from core.language import request_language
from core.page_tree import hidden_subtree_paths, outside_hidden_q
from core.text import fold

MAX_RESULTS = 200
# Search backends parse their query (SQLite FTS5 treats quotes and operators as
# syntax) and PostgreSQL rejects NUL: only words reach them.
_NOT_WORD = re.compile(r"[^\w\s]|[\x00-\x1f_]")


def _words(query: str) -> str:
    # Lower case too, so AND/OR/NOT are words, not FTS5 operators.
    return " ".join(_NOT_WORD.sub(" ", query).lower().split()[:MAX_SEARCH_TERMS])


def search(*, query: str, request: HttpRequest) -> list[Page]:
    language = request_language()
    query = _words(query)
    if not fold(query).split():
        return []
    results: list[Page] = []
    hidden = hidden_subtree_paths()
    for model in (BrandPage, ProductPage):
        pages = search_text_matching(
            pages=localized_live(model=model, language=language, hidden=hidden),
            query=query,
        )
        results.extend(pages.order_by("title")[:MAX_RESULTS])
    locale = Locale.get_active()
    others = (
        Page.objects.live()
        .filter(outside_hidden_q(hidden=hidden))
        .filter(locale=locale)
        .not_type(BrandPage, ProductPage)
        .specific()
    )
    results.extend(others.search(query, operator="and")[:MAX_RESULTS])
    return results[:MAX_RESULTS]
