"""Site-wide views: health check, robots.txt, search, error pages, admin login."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from . import search as site_search
from .visitor import visitor_state

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with a JSON body when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    return render(
        request,
        "robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = site_search.search(
        query=query,
        request=request,
        kind=request.GET.get("kind", ""),
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "pages/search.html",
        {"query": query, "search": results, "search_kinds": site_search.kind_labels()},
    )


@never_cache
@require_GET
def me(request: HttpRequest) -> JsonResponse:
    """The header's personal bits and pending flash messages, for site-me.js.

    Public pages are cached the same for everyone, so the cart count, the
    account links and the messages of the last action come from here. The
    CSRF token fills the header's log-out form (signed-in visitors only);
    the response is private and same-origin JSON, never cached.
    """
    state = visitor_state(request)
    return JsonResponse(
        {
            "cart_count": state.cart_count,
            "cart_label": state.cart_label,
            "is_authenticated": state.is_authenticated,
            "is_admin": state.is_admin,
            "csrf_token": get_token(request) if state.is_authenticated else "",
            "messages": [
                {"tags": message.tags, "text": str(message)}
                for message in get_messages(request)
            ],
        }
    )


@require_GET
def admin_login(request: HttpRequest) -> HttpResponseRedirect:
    """Send Wagtail's admin login to allauth's, so both share one set of rate limits."""
    next_url = request.GET.get("next", "/admin/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = "/admin/"
    return HttpResponseRedirect(
        f"{reverse('account_login')}?{urlencode({'next': next_url})}"
    )


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return HttpResponse(loader.render_to_string("404.html", {}, request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: whatever broke may be in a context processor.
    return HttpResponse(loader.render_to_string("500.html", {}), status=500)
