"""Site search over live pages, in the visitor's language, grouped by kind.

Diacritics and case are folded on both sides ("nuoc mam chau doc" finds
"Nước mắm Châu Đốc"), and a run-together word matches too ("nướcmắm" finds
"nước mắm"). Unicode decomposition (unaccent, FTS folding) leaves "đ" alone,
so brand and product pages keep a folded ``search_text`` column (maintained
on save) and every query term must occur in it: plain SQL, identical on
SQLite and PostgreSQL. Other pages (about, terms...) go through Wagtail's
search backend; the home page is never a result.

Results come grouped (products, brands, pages) as the cards the catalogue
shows; with nothing found, the visitor gets spelling suggestions built from
the live titles and the way on to the catalogue.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils.translation import gettext
from wagtail.models import Locale, Page

from brands.models import BrandIndexPage, BrandPage, CataloguePage, ProductPage
from brands.selectors import (
    MAX_SEARCH_TERMS,
    brand_cards_queryset,
    localized_live,
    product_cards_filtered,
    search_text_matching,
)
from core.language import request_language
from core.text import fold

from .models import HomePage

MAX_RESULTS = 200
PAGE_SIZE = 12
# In the "everything" view each group shows a few, with a link to all of them.
PREVIEW = {"products": 8, "brands": 6, "pages": 5}
KINDS = ("products", "brands", "pages")
VOCABULARY_SECONDS = 600
# Search backends parse their query (SQLite FTS5 treats quotes and operators as
# syntax) and PostgreSQL rejects NUL: only words reach them.
_NOT_WORD = re.compile(r"[^\w\s]|[\x00-\x1f_]")


def kind_labels() -> list[tuple[str, str]]:
    return [
        ("products", gettext("Products")),
        ("brands", gettext("Brands")),
        ("pages", gettext("Pages")),
    ]


def _words(query: str) -> str:
    # Lower case too, so AND/OR/NOT are words, not FTS5 operators.
    return " ".join(_NOT_WORD.sub(" ", query).lower().split()[:MAX_SEARCH_TERMS])


@dataclass
class SearchGroup:
    kind: str
    count: int
    items: list
    page_obj: PaginatorPage | None = None


@dataclass
class SearchResults:
    query: str
    kind: str
    groups: list[SearchGroup] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    catalogue_url: str | None = None
    brand_index_url: str | None = None

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


def _content_pages(query: str) -> list[Page]:
    pages = (
        Page.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .not_type(BrandPage, ProductPage, HomePage)
        .specific()
    )
    return list(pages.search(query, operator="and")[:MAX_RESULTS])


def _vocabulary(language: str) -> dict[str, str]:
    """Folded word -> a live title's own spelling of it (for suggestions)."""
    key = f"pages:search:vocabulary:{language}"
    words = cache.get(key)
    if words is None:
        words = {}
        for model in (BrandPage, ProductPage):
            titles = localized_live(model=model, language=language).values_list(
                "title", flat=True
            )
            for title in titles:
                for word in _words(title).split():
                    if len(word) > 1:
                        words.setdefault(fold(word), word)
        cache.set(key, words, timeout=VOCABULARY_SECONDS)
    return words


def suggestions(*, query: str, language: str) -> list[str]:
    """Queries close to ``query`` whose every word occurs in a live title."""
    vocabulary = _vocabulary(language)
    terms = fold(query).split()
    if not terms or not vocabulary:
        return []
    choices: list[list[str]] = []
    for term in terms:
        if term in vocabulary:
            choices.append([vocabulary[term]])
            continue
        close = difflib.get_close_matches(term, vocabulary, n=3, cutoff=0.7)
        if not close:
            return []
        choices.append([vocabulary[word] for word in close])
    # The best guess for every word, then the runners-up of the first unsure one.
    best = " ".join(options[0] for options in choices)
    found = [best]
    for position, options in enumerate(choices):
        if len(options) > 1:
            for other in options[1:]:
                words = [o[0] for o in choices]
                words[position] = other
                found.append(" ".join(words))
            break
    return [s for s in dict.fromkeys(found) if fold(s) != fold(query)][:3]


def _listing_url(model, request) -> str | None:
    page = localized_live(model=model, language=request_language()).first()
    return page.get_url(request=request) if page is not None else None


def search(*, query: str, request, kind: str = "", page_number=None) -> SearchResults:
    """The grouped results of ``query``; ``kind`` narrows to one group, paginated."""
    language = request_language()
    words = _words(query)
    kind = kind if kind in KINDS else ""
    results = SearchResults(query=query, kind=kind)
    if not fold(words).split():
        return results
    finders = {
        "products": lambda: product_cards_filtered(
            language=language,
            query=words,
            category="",
            brand_slug="",
            min_price=None,
            max_price=None,
            certification="",
            in_stock_only=False,
            sort="",
        ),
        "brands": lambda: search_text_matching(
            pages=brand_cards_queryset(language=language), query=words
        ).order_by("title", "path"),
        "pages": lambda: _content_pages(words),
    }
    for group_kind in KINDS:
        if kind and group_kind != kind:
            continue
        found = finders[group_kind]()
        if kind:
            page_obj = Paginator(found, PAGE_SIZE).get_page(page_number)
            group = SearchGroup(
                kind=group_kind,
                count=page_obj.paginator.count,
                items=list(page_obj.object_list),
                page_obj=page_obj,
            )
        else:
            count = len(found) if isinstance(found, list) else found.count()
            group = SearchGroup(
                kind=group_kind, count=count, items=list(found[: PREVIEW[group_kind]])
            )
        if group.count:
            results.groups.append(group)
    if not results.total:
        results.suggestions = suggestions(query=words, language=language)
        results.catalogue_url = _listing_url(CataloguePage, request)
        results.brand_index_url = _listing_url(BrandIndexPage, request)
    return results
