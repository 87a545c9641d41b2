"""Helpers the page models' ``get_context`` share."""

from __future__ import annotations

from types import ModuleType

from django.http import HttpRequest


def brand_selectors() -> ModuleType:
    """``brands.selectors``, which reads the page models, so it cannot be
    imported while they are being defined; by the time a page is served it is."""
    from brands import selectors as module  # noqa: PLC0415

    return module


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without ``page``, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
