"""One login path: allauth's. Every other URL that could log a user in refuses.

The URLs are discovered from the resolver (every ``LoginView`` anywhere, in
both languages), so a login view added later by an app or a Wagtail upgrade is
POSTed to as well.
"""

from __future__ import annotations

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from tests.factories import UserFactory

PASSWORD = "mat-khau-dai-123"
EMAIL = "chu@example.com"
ALLAUTH_LOGINS = {"/accounts/login/", "/en/accounts/login/"}


def _login_routes() -> set[str]:
    """Paths of every URL pattern whose view is a login view, in every language."""
    routes: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                view_class = getattr(entry.callback, "view_class", None)
                if isinstance(view_class, type) and issubclass(
                    view_class, DjangoLoginView | AllauthLoginView
                ):
                    # Login routes take no argument; a regex one would need care.
                    assert "<" not in route and "^" not in route, route
                    routes.add("/" + route)

    for language in ("vi", "en"):
        with translation.override(language):
            walk(get_resolver().url_patterns, "")
    return routes


def test_every_login_url_is_found():
    routes = _login_routes()

    assert ALLAUTH_LOGINS <= routes
    assert {"/_util/login/", "/en/_util/login/", "/admin/login/"} <= routes


@pytest.mark.parametrize("path", sorted(_login_routes()))
def test_only_allauth_logs_a_user_in(client, db, path):
    UserFactory(email=EMAIL, password=PASSWORD, is_superuser=True, is_staff=True)

    response = client.post(
        path,
        {"login": EMAIL, "username": EMAIL, "password": PASSWORD, "next": "/"},
    )

    logged_in = "_auth_user_id" in client.session
    assert logged_in is (path in ALLAUTH_LOGINS), (path, response.status_code)


def test_private_pages_send_visitors_to_allauth(client, db, settings):
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import resolve_url

    with translation.override("en"):
        login_url = resolve_url(settings.WAGTAIL_FRONTEND_LOGIN_URL)
        response = redirect_to_login(
            "/en/private/", settings.WAGTAIL_FRONTEND_LOGIN_URL
        )
    assert login_url == "/en/accounts/login/"
    assert response["Location"] == "/en/accounts/login/?next=/en/private/"


@pytest.mark.parametrize("path", ["/_util/login/", "/en/_util/login/"])
def test_wagtail_front_end_login_redirects_to_allauth_keeping_next(client, db, path):
    response = client.get(path + "?next=/en/private/")

    assert response.status_code == 302
    language_prefix = "/en" if path.startswith("/en/") else ""
    assert response["Location"] == (
        f"{language_prefix}/accounts/login/?next=/en/private/"
    )


@pytest.mark.parametrize("path", sorted(ALLAUTH_LOGINS))
def test_allauth_rate_limits_still_hold_on_the_one_login(client, db, path):
    UserFactory(email=EMAIL, password=PASSWORD)
    for attempt in range(5):
        client.post(path, {"login": EMAIL, "password": f"sai-{attempt}"})

    client.post(path, {"login": EMAIL, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
