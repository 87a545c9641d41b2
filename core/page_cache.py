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
(``page_cache_params``: name -> pattern a stored value must match; the rules
live in ``core.page_query``). The key
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
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib import import_module
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .edge_cache import edge_purge_keys
from .page_query import (
    normal_query,
    page_accepted_query,
    query_is_storable,
)

ENTRY_PREFIX = "pc:page:"
STAMP_PREFIX = "pc:key:"
# Ticks on every purge; a purge stamps its keys with the new value.
CLOCK_KEY = "pc:clock"
# Every entry carries it: purging it purges everything (page_cache_purge).
ALL_KEY = "all"
PAGE_CACHE_SECONDS = 300
# A stamp must outlive every entry born before it; missing means "not purged
# since any live entry was stored".
STAMP_SECONDS = 2 * PAGE_CACHE_SECONDS
CACHE_HEADER = "X-Page-Cache"
# What a shared cache may keep a public page for (the edge, see docs/caching.md).
SHARED_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 300
PRIVATE_CACHE_CONTROL = "private, no-store"


# A clock value is run * CLOCK_RUN + ticks: a run starts whenever the clock
# is found missing (evicted, or never set).
CLOCK_RUN = 1_000_000


def _fresh_clock() -> int:
    """Where a missing clock (re)starts: a new run, above every value before.

    A clock restarted at 1 would sit below the stamps its purges wrote (they
    live for STAMP_SECONDS), and every page carrying a stamped key, "all"
    included, would read as purged until they expired. A run is numbered by
    the millisecond it starts, so a restart lands above every stamp, and an
    entry born in an earlier run (whose purges may be lost with the clock)
    is never served (see _is_current).
    """
    return (time.time_ns() // 1_000_000) * CLOCK_RUN


def _clock() -> int:
    # get_or_set stores and returns the default when the key is missing.
    return cast(int, cache.get_or_set(CLOCK_KEY, _fresh_clock, timeout=None))


def _tick() -> int:
    try:
        now = cache.incr(CLOCK_KEY)
    except ValueError:
        # The clock was evicted: restart it above every stamp; entries born
        # under the old clock fail the "clock went back" check.
        cache.add(CLOCK_KEY, _fresh_clock(), timeout=None)
        now = cache.incr(CLOCK_KEY)
    # Redis keeps the key's lifetime on INCR; Django's generic incr() (file,
    # database caches) writes the value again with the default timeout.
    cache.touch(CLOCK_KEY, timeout=None)
    return now


def cache_generation() -> int:
    """Changes on every purge; versions URLs of derived assets (brand themes)."""
    return _clock()


def _stamp_key(key: str) -> str:
    return STAMP_PREFIX + key


def page_cache_purge_keys(keys: Iterable[str]) -> None:
    """Drop every cached page carrying one of ``keys``, here and at the edge.

    Keys name what a page shows ("page-<id>", "brand-<key>", "product-<key>",
    listings such as "catalogue"); pages stamped with none of them stay.
    """
    names = sorted(set(keys))
    if not names:
        return
    now = _tick()
    cache.set_many({_stamp_key(k): now for k in names}, timeout=STAMP_SECONDS)
    edge_purge_keys(names)


def page_cache_purge() -> None:
    """Invalidate every cached page (a change shown everywhere, e.g. the menu)."""
    page_cache_purge_keys([ALL_KEY])


def is_public_render(request: HttpRequest) -> bool:
    """True while ``request``'s page renders for the shared cache.

    Templates show the neutral header then (a plain cart and account link);
    the visitor's own state comes from ``/_/me.json``.
    """
    return bool(getattr(request, "page_cache_public", False))


def page_cache_add_keys(request: HttpRequest, keys: Iterable[str]) -> None:
    """Name what a page being rendered shows, for keyed purges."""
    collected = getattr(request, "page_cache_keys", None)
    if collected is None:
        collected = request.page_cache_keys = set()  # type: ignore[attr-defined]
    collected.update(keys)


def _is_cacheable_request(request: HttpRequest) -> bool:
    # Cookies are not asked about: a public page renders the same for every
    # visitor (see render_public), so a cart, a login or a junk cookie still
    # gets the shared page.
    if request.method not in ("GET", "HEAD"):
        return False
    return not getattr(request, "is_preview", False)


def _key(request: HttpRequest) -> str:
    # The path carries the language (/en/...), the language code guards any
    # other way LocaleMiddleware might pick one; pages print absolute URLs
    # (canonical, hreflang, Open Graph), hence the scheme and host.
    language = getattr(request, "LANGUAGE_CODE", "")
    query = urlencode(
        [(name, value) for name, values in normal_query(request) for value in values]
    )
    raw = f"{request.scheme}://{request.get_host()}|{language}|{request.path}?{query}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _request_born(request: HttpRequest) -> int:
    """The purge clock, read once per request before the page renders.

    Read before rendering on purpose: a purge that lands while the page
    renders stamps its keys later than this, so the possibly stale page is
    stored already outdated and never served.
    """
    born = getattr(request, "page_cache_born", None)
    if born is None:
        born = request.page_cache_born = _clock()  # type: ignore[attr-defined]
    return born


def _public_headers(response: HttpResponse, keys: Iterable[str]) -> None:
    shared = getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", SHARED_MAX_AGE)
    stale = getattr(
        settings, "PAGE_CACHE_STALE_WHILE_REVALIDATE", STALE_WHILE_REVALIDATE
    )
    # max-age=0: browsers ask again (a purge reaches them within s-maxage).
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={shared}, stale-while-revalidate={stale}"
    )
    names = " ".join(sorted(keys))
    # Varnish's xkey module reads "xkey"; Fastly and others "Surrogate-Key".
    response["Surrogate-Key"] = names
    response["xkey"] = names


def _is_current(keys: Iterable[str], born: int) -> bool:
    """True when no key of an entry born at ``born`` was purged since."""
    names = [_stamp_key(k) for k in keys]
    found = cache.get_many([*names, CLOCK_KEY])
    clock = found.get(CLOCK_KEY)
    if clock is None or clock < born or clock // CLOCK_RUN != born // CLOCK_RUN:
        # The clock was evicted or restarted since: stamps cannot be compared.
        return False
    return all(found.get(name, 0) <= born for name in names)


def cached_response(request: HttpRequest) -> HttpResponse | None:
    """The stored response for ``request``, or None (one get, one get_many)."""
    if not _is_cacheable_request(request):
        return None
    _request_born(request)
    stored = cache.get(_key(request))
    if stored is None:
        return None
    content, content_type, keys, born = stored
    if not _is_current(keys, born):
        return None
    response = HttpResponse(content, content_type=content_type)
    _public_headers(response, keys)
    response[CACHE_HEADER] = "hit"
    return response


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """True when ``response`` is the same for every visitor."""
    return (
        response.status_code == 200
        and not response.cookies
        # get_token() flags a CSRF cookie that middleware adds later.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A nonce is per response: a stored one would not match the header.
        and not isinstance(getattr(request, "_csp_nonce", None), str)
    )


def _session_engine():
    return import_module(settings.SESSION_ENGINE)


@contextmanager
def _as_anyone(request: HttpRequest) -> Iterator[None]:
    """Render ``request`` as a visitor without a cookie, then give it back.

    The page sees an anonymous user, an empty session and no pending
    messages, so nothing personal can reach the stored HTML, and neither the
    real session is touched (SessionMiddleware adds ``Vary: Cookie`` to a
    response whose session was read) nor a flash message consumed (the
    visitor's next page or /_/me.json shows it).
    """
    # Imported here: brands.apps imports this module before the app registry
    # is ready, and the auth models need it.
    from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415

    saved: dict[str, object] = {
        name: request.__dict__[name]
        for name in ("user", "session", "_messages")
        if name in request.__dict__
    }
    request.user = AnonymousUser()
    request.session = _session_engine().SessionStore()
    request._messages = []  # type: ignore[attr-defined]
    request.page_cache_public = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        request.page_cache_public = False  # type: ignore[attr-defined]
        for name in ("user", "session", "_messages"):
            request.__dict__.pop(name, None)
        request.__dict__.update(saved)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def serve_cached(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    params: Mapping[str, str] | None = None,
    keys: Callable[[HttpResponse], Iterable[str]] | None = None,
    is_public: bool = True,
):
    """Render ``request``'s page the same for everyone and store it.

    ``params`` are the query parameters the page reads, each with the pattern
    a storable value matches; a request with any other is never stored.
    ``keys`` names what the rendered page shows (on top of the keys templates
    add through ``page_cache_add_keys``). A page that is not public (a view
    restriction) renders for its visitor and is never stored or shared.

    Hits are answered earlier by ``PageCacheMiddleware``; the lookup here
    covers a request that bypassed it.
    """
    if not is_public:
        return _private(_rendered(render()))
    if not _is_cacheable_request(request):
        return render()
    if getattr(request, "page_cache_born", None) is None:
        hit = cached_response(request)
        if hit is not None:
            return hit
    born = _request_born(request)
    with _as_anyone(request):
        response = _rendered(render())
    if not (
        _is_shareable(request, response)
        and query_is_storable(request, params or {})
        and page_accepted_query(request, response)
    ):
        return _private(response)
    names = {ALL_KEY, *getattr(request, "page_cache_keys", ())}
    if keys is not None:
        names.update(keys(response))
    cache.set(
        _key(request),
        (response.content, response["Content-Type"], tuple(sorted(names)), born),
        timeout=PAGE_CACHE_SECONDS,
    )
    _public_headers(response, names)
    response[CACHE_HEADER] = "miss"
    return response


def _rendered(response: HttpResponse) -> HttpResponse:
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


class PageCacheMiddleware:
    """Answer GETs of public pages from the page cache before any view runs.

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


def private_when_personal(get_response):
    """Middleware: ``private, no-store`` on personal responses without a policy.

    Placed right after SessionMiddleware, so it sees the ``Vary: Cookie``
    that middleware adds to a response whose session was read.
    """

    def middleware(request: HttpRequest):
        response = get_response(request)
        if response.has_header("Cache-Control"):
            return response
        varies = {part.strip().lower() for part in response.get("Vary", "").split(",")}
        if "cookie" in varies or response.cookies:
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response

    return middleware


class CachedServeMixin:
    """Serve a public Wagtail page from the shared page cache, to everyone."""

    # The query parameters that change the page, each with the pattern of a
    # value worth storing; a page reading none keeps the empty default.
    page_cache_params: Mapping[str, str] = {}

    def page_cache_keys(self, context: Mapping) -> list[str]:
        """What the page shows, for keyed purges; pages add their content's."""
        return [f"page-{self.pk}"]  # type: ignore[attr-defined]

    def get_view_restrictions(self):
        """Wagtail's restrictions up the tree, one queryset per page object.

        Wagtail's ``before_serve_page`` check iterates it, then ``serve``
        below asks ``exists()``, which an evaluated queryset answers from its
        rows: one look-up per request instead of two. A page object lives
        for one request, so a privacy change is seen by the next one.
        """
        memo = self.__dict__.get("_view_restrictions")
        if memo is None:
            memo = super().get_view_restrictions()
            self.__dict__["_view_restrictions"] = memo
        return memo

    def serve(self, request, *args, **kwargs):
        parent_serve = super().serve
        # A view restriction (login, group, password) makes the page
        # personal: never stored, never shared.
        restricted = self.get_view_restrictions().exists()
        return serve_cached(
            request,
            lambda: parent_serve(request, *args, **kwargs),
            params=self.page_cache_params,
            keys=lambda response: self.page_cache_keys(
                getattr(response, "context_data", None) or {}
            ),
            is_public=not restricted,
        )
