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

Query strings: each page class declares the parameters that change it
(``page_cache_params``: name -> pattern a stored value must match). The key
holds the query normalised (names sorted, values stripped and NFC, empty and
repeated values dropped; tracking parameters such as utm_* ignored), so a
reordered query hits the same entry. A response is stored only when every
parameter is declared, single-valued, already in normal form, matches its
pattern, and the page accepted it (a bound ``filter_form`` that is valid, a
``page_obj`` on the page asked for). Anything else is rendered and not
stored: dropping the junk and storing under the clean key instead would let
one crafted URL decide what every visitor of the clean URL sees.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

# Patterns for page_cache_params: a page number, a choice's slug, free text.
PAGE_NUMBER = r"[1-9][0-9]{0,3}"
SLUG = r"[-\w]+"
NAME = r"[^\x00-\x1f]+"

# The "brands:" prefix predates core: keeping it keeps the live entries valid.
GENERATION_KEY = "brands:pagecache:generation"
PAGE_CACHE_SECONDS = 300
CACHE_HEADER = "X-Page-Cache"
# Ad and analytics tags no page reads: ignored for the key, never stored.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "msclkid", "yclid", "igshid", "_ga"})
TRACKING_PREFIXES = ("utm_", "mc_")
# No stored filter value is longer (a commune's name is the longest).
MAX_CACHED_VALUE_LENGTH = 100


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


def _is_tracking(name: str) -> bool:
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _normal(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def _normal_query(request: HttpRequest) -> list[tuple[str, list[str]]]:
    """The query without tracking parameters, empty or repeated values, sorted."""
    query: dict[str, list[str]] = {}
    for raw_name, raw_values in request.GET.lists():
        name = _normal(raw_name)
        if not name or _is_tracking(name):
            continue
        values = query.setdefault(name, [])
        for value in map(_normal, raw_values):
            if value and value not in values:
                values.append(value)
    # Repeated values keep their order: a form reads the last one.
    return sorted((name, values) for name, values in query.items() if values)


def _query_is_storable(request: HttpRequest, params: Mapping[str, str]) -> bool:
    """True when the query holds declared, single, normal, valid values only."""
    for raw_name, raw_values in request.GET.lists():
        if raw_name not in params or len(raw_values) != 1:
            return False
        value = raw_values[0]
        if value == "":
            continue
        if (
            value != _normal(value)
            or len(value) > MAX_CACHED_VALUE_LENGTH
            or not re.fullmatch(params[raw_name], value)
        ):
            return False
    return True


def _page_accepted_query(request: HttpRequest, response: HttpResponse) -> bool:
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


def _key(request: HttpRequest) -> str:
    # The path carries the language (/en/...), the language code guards any
    # other way LocaleMiddleware might pick one; pages print absolute URLs
    # (canonical, hreflang, Open Graph), hence the scheme and host.
    language = getattr(request, "LANGUAGE_CODE", "")
    query = urlencode(
        [(name, value) for name, values in _normal_query(request) for value in values]
    )
    raw = f"{request.scheme}://{request.get_host()}|{language}|{request.path}?{query}"
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


def serve_cached(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    params: Mapping[str, str] | None = None,
):
    """Render ``request``'s page and store it when anonymous and shareable.

    ``params`` are the query parameters the page reads, each with the pattern
    a storable value matches; a request with any other is never stored.

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
    if (
        _is_shareable(request, response)
        and _query_is_storable(request, params or {})
        and _page_accepted_query(request, response)
    ):
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

    # The query parameters that change the page, each with the pattern of a
    # value worth storing; a page reading none keeps the empty default.
    page_cache_params: Mapping[str, str] = {}

    def serve(self, request, *args, **kwargs):
        parent_serve = super().serve
        return serve_cached(
            request,
            lambda: parent_serve(request, *args, **kwargs),
            params=self.page_cache_params,
        )
