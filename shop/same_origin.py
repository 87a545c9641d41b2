"""CSRF protection without a per-visitor token, for the add-to-cart form.

Why: product and home pages are cached whole for anonymous visitors
(``core.page_cache``), so the buy box cannot carry a per-visitor CSRF token, and
a first-time visitor has no CSRF cookie. Django 5.2's ``CsrfViewMiddleware``
always requires the token (it checks the Origin header, when present, only in
addition), so ``cart_add`` opts out of it and is protected by the browser's
own statement of where the form came from instead:

* ``Sec-Fetch-Site`` (sent by every current browser, and not settable by a
  page's script) must be ``same-origin`` or ``none`` (typed or bookmarked by
  the user), unless the ``Origin`` is one of ``CSRF_TRUSTED_ORIGINS`` (a
  brand's own domain posting to the shop);
* ``Origin`` (sent by browsers on every cross-origin POST and on same-origin
  ones since 2020), when present, must be this site or a trusted origin;
  ``Origin: null`` (sandboxed frames, privacy redirects) is refused;
* a request with neither header comes from an old browser or a script: it
  falls back to Django's token check, so it needs the cookie and token a
  non-cached page gives.

What a forged cross-site POST could do is small (put an item in a cart), but
it would also replace the victim's session cookie (a cross-site POST carries
no SameSite=Lax session, so a new one would be set), which is why the check
is kept rather than dropped. Every other POST of the site keeps Django's
token: only views that must work from a cached page use this decorator.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.http import is_same_domain
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt, csrf_protect

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SAME_ORIGIN_SITES = frozenset({"same-origin", "none"})
REASON_CROSS_ORIGIN = "Cross-origin request refused (Origin / Sec-Fetch-Site)."


def _is_trusted(origin: str) -> bool:
    """``origin`` is listed in CSRF_TRUSTED_ORIGINS (``*.`` wildcards allowed)."""
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if "*" not in trusted:
            if origin == trusted:
                return True
            continue
        parts, wanted = urlsplit(origin), urlsplit(trusted)
        if parts.scheme == wanted.scheme and is_same_domain(
            parts.netloc, wanted.netloc.lstrip("*")
        ):
            return True
    return False


def _is_own(request: HttpRequest, origin: str) -> bool:
    try:
        host = request.get_host()
    except DisallowedHost:
        return False
    scheme = "https" if request.is_secure() else "http"
    return origin == f"{scheme}://{host}"


def origin_verdict(request: HttpRequest) -> bool | None:
    """True (same origin), False (cross origin) or None (the browser said nothing)."""
    origin = request.headers.get("Origin")
    site = request.headers.get("Sec-Fetch-Site")
    if origin is not None:
        origin_ok = origin != "null" and (
            _is_own(request, origin) or _is_trusted(origin)
        )
        if not origin_ok:
            return False
        if site is None or site in SAME_ORIGIN_SITES:
            return True
        # The browser calls it cross-origin: only an explicitly trusted origin.
        return _is_trusted(origin)
    if site is not None:
        return site in SAME_ORIGIN_SITES
    return None


def same_origin_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Protect ``view`` by Origin / Sec-Fetch-Site instead of a CSRF token."""
    token_checked = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return view(request, *args, **kwargs)
        verdict = origin_verdict(request)
        if verdict is None:
            return token_checked(request, *args, **kwargs)
        if not verdict:
            failure = import_string(settings.CSRF_FAILURE_VIEW)
            return failure(request, reason=REASON_CROSS_ORIGIN)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
