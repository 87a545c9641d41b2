"""Reads for site-wide pages: what the home page and navigation show."""

from __future__ import annotations

from typing import Any

from wagtail.models import Page


def home_page_context(*, page: Page) -> dict[str, Any]:
    """Featured content for the home page, in the page's language."""
    return {"featured_brands": [], "featured_products": []}


def menu_pages(*, root: Page) -> list[Page]:
    """Children of the localized site root that editors marked 'show in menus'."""
    return list(
        root.get_children().live().in_menu().only("id", "title", "url_path", "locale")
    )
