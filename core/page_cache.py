"""Whole-page cache of anonymous visits to the public pages, purged on change.

Entries live in the default cache (Redis when REDIS_URL is set, so every app
server shares them). Keys carry a generation number: a purge bumps it, which
drops every cached home, brand, product and listing page at once. Listings
and the home page show many products, so a per-URL purge would miss them.

Pages opt in by serving through ``serve_cached`` (``CachedServeMixin``), which
stores a rendered response. ``PageCacheMiddleware`` looks entries up before
Wagtail routes the request, so a hit costs no SQL query at all: no site
lookup, no page route, no session. What is stored must be the same for every
anonymous visitor, so responses that set a cookie (a CSRF token, a session)
or use a CSP nonce are never stored; the product page's buy box therefore
carries no CSRF token (see ``shop.same_origin``).

What a page shows must be purged when it changes: publishing (Wagtail's
publish signals, see ``BrandsConfig.ready``), a variant's price
(``brands.services``) and a variant going in or out of stock
(``shop.stock``); entries also expire after ``PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

# The "brands:" prefix predates core: keeping it keeps the live entries valid.
GENERATION_KEY = "brands:pagecache:generation"
PAGE_CACHE_SECONDS = 300
CACHE_HEADER = "X-Page-Cache"


def cache_generation() -> int:
    """Changes on every purge; versions URLs of derived assets (brand themes)."""
    # get_or_set stores and returns the default when the key is missing.
    return cast(int, cache.get_or_set(GENERATION_KEY, 1, timeout=None))


def page_cache_purge() -> None:
    """Invalidate every cached page (after a publish, price or stock change)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # A session (login, cart) or a flash message means personal content; with
    # neither cookie the visitor is anonymous without asking the database.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if getattr(request, "is_preview", False):
        return False
    # Without a session cookie resolving the lazy user costs no query.
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _key(request: HttpRequest) -> str:
    # The path carries the language (/en/...), the language code guards any
    # other way LocaleMiddleware might pick one; pages print absolute URLs
    # (canonical, hreflang, Open Graph), hence the scheme and host.
    language = getattr(request, "LANGUAGE_CODE", "")
    raw = (
        f"{request.scheme}://{request.get_host()}|{language}|{request.get_full_path()}"
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"brands:page:{cache_generation()}:{digest}"


def _request_key(request: HttpRequest) -> str:
    """The key, fixed once per request before the page renders.

    Taken before rendering on purpose: a purge that lands while the page
    renders moves the generation on, so the possibly stale page is stored
    under the old generation, where nobody looks any more.
    """
    key = getattr(request, "page_cache_key", None)
    if key is None:
        key = _key(request)
        request.page_cache_key = key  # type: ignore[attr-defined]
    return key


def cached_response(request: HttpRequest) -> HttpResponse | None:
    """The stored response for an anonymous ``request``, or None."""
    if not _is_cacheable_request(request):
        return None
    stored = cache.get(_request_key(request))
    if stored is None:
        return None
    content, content_type = stored
    response = HttpResponse(content, content_type=content_type)
    response[CACHE_HEADER] = "hit"
    return response


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """True when ``response`` is the same for every anonymous visitor."""
    return (
        response.status_code == 200
        and not response.cookies
        # get_token() flags a CSRF cookie that middleware adds later.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A nonce is per response: a stored one would not match the header.
        and not isinstance(getattr(request, "_csp_nonce", None), str)
    )


def serve_cached(request: HttpRequest, render: Callable[[], HttpResponse]):
    """Render ``request``'s page and store it when anonymous and shareable.

    Hits are answered earlier by ``PageCacheMiddleware``; the lookup here
    covers a request that bypassed it.
    """
    if not _is_cacheable_request(request):
        return render()
    if getattr(request, "page_cache_key", None) is None:
        hit = cached_response(request)
        if hit is not None:
            return hit
    key = _request_key(request)
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if _is_shareable(request, response):
        cache.set(
            key,
            (response.content, response["Content-Type"]),
            timeout=PAGE_CACHE_SECONDS,
        )
        response[CACHE_HEADER] = "miss"
    return response


class PageCacheMiddleware:
    """Answer anonymous GETs from the page cache before any view runs.

    Placed last in MIDDLEWARE so that the outer middleware (security headers,
    CSP, language, clickjacking) treat a hit exactly like a freshly rendered
    page; it runs after SessionMiddleware and AuthenticationMiddleware, which
    stay lazy and so cost no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        hit = cached_response(request)
        if hit is not None:
            return hit
        return self.get_response(request)


class CachedServeMixin:
    """Serve anonymous visits of a Wagtail page from the shared page cache."""

    def serve(self, request, *args, **kwargs):
        parent_serve = super().serve
        return serve_cached(request, lambda: parent_serve(request, *args, **kwargs))
