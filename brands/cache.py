"""Whole-page cache of anonymous visits to brand pages, purged on publish.

Entries live in the default cache (Redis when REDIS_URL is set, so every app
server shares them). Keys carry a generation number: a purge bumps it, which
drops every cached brand, product and listing page at once. Listings show
many pages, so a per-URL purge would miss the brand index and catalogue.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "brands:pagecache:generation"
PAGE_CACHE_SECONDS = 300


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def cache_generation() -> int:
    """Changes on every purge; versions URLs of derived assets (brand themes)."""
    return _generation()


def page_cache_purge() -> None:
    """Invalidate every cached brand page (after a publish or a price change)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # A session (login, cart) or a preview means personal content.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _key(request: HttpRequest) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"brands:page:{_generation()}:{digest}"


def serve_cached(request: HttpRequest, render) -> HttpResponse:
    """Return the cached response for ``request`` or render and store it."""
    if not _is_cacheable_request(request):
        return render()
    key = _key(request)
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
        response["X-Page-Cache"] = "hit"
        return response
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    # Never store a response that sets a cookie (CSRF, session): it is personal.
    # The CSRF cookie is added by middleware later; get_token() flags it here.
    if (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        cache.set(
            key,
            (response.content, response["Content-Type"]),
            timeout=PAGE_CACHE_SECONDS,
        )
        response["X-Page-Cache"] = "miss"
    return response
