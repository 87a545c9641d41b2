"""Reads for site-wide pages: what the home page and navigation show."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import Page

from brands.selectors import featured_brands, featured_products


def home_page_context(*, page: Page) -> dict[str, Any]:
    """Featured content for the home page, in the page's language."""
    language = getattr(getattr(page, "locale", None), "language_code", None)
    language = language or settings.LANGUAGE_CODE
    return {
        "featured_brands": featured_brands(language=language),
        "featured_products": featured_products(language=language),
        "assessment_url": _assessment_url(page),
    }


def _assessment_url(page: Page) -> str | None:
    # By URL name only: pages does not import the assessment app.
    language = getattr(getattr(page, "locale", None), "language_code", None)
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            return reverse("assessment:start")
    except NoReverseMatch:
        return None


def menu_pages(*, root: Page) -> list[Page]:
    """Children of the localized site root that editors marked 'show in menus'."""
    return list(
        root.get_children().live().in_menu().only("id", "title", "url_path", "locale")
    )
