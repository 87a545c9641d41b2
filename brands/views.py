"""Page contexts and public views of the brands app (filled in below)."""

from __future__ import annotations


def brand_index_context(*, page, request) -> dict:
    return {}


def catalogue_context(*, page, request) -> dict:
    return {}


def brand_page_context(*, page, request) -> dict:
    return {}


def product_page_context(*, page, request) -> dict:
    return {}
