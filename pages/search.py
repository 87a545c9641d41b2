"""Site search over live pages, in the visitor's language.

Diacritics and case are folded on both sides ("nuoc mam chau doc" finds
"Nước mắm Châu Đốc"): Wagtail's database backends do not fold Vietnamese
letters such as "đ", so pages index a folded copy of their searchable text.
"""

from __future__ import annotations

from anyascii import anyascii
from django.http import HttpRequest
from wagtail.models import Locale, Page


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: 'Nước mắm Châu Đốc' -> 'nuoc mam chau doc'."""
    return " ".join(anyascii(text).lower().split())


def search(*, query: str, request: HttpRequest) -> list[Page]:
    locale = Locale.get_active()
    pages = Page.objects.live().public().filter(locale=locale).specific()
    return list(pages.search(query, operator="and")[:200])
