"""Security headers on a sample of routes: CSP, frame denial, nosniff, referrer, COOP, HSTS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent

CSP = "Content-Security-Policy"
CSP_RO = "Content-Security-Policy-Report-Only"
# The exact enforced policy on public pages (directive order is django-csp's).
PUBLIC_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    # Brand stories embed YouTube / Vimeo players; nothing else may be framed.
    "frame-src 'self' https://www.youtube-nocookie.com https://www.youtube.com"
    " https://player.vimeo.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def _assert_common(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


PUBLIC_ROUTES = [
    "/",
    "/en/",
    "/gioi-thieu/",
    "/search/?q=gao",
    "/en/search/?q=rice",
    "/accounts/login/",
    "/en/accounts/signup/",
    "/accounts/password/reset/",
    "/healthz",
    "/robots.txt",
    "/sitemap.xml",
    "/this-page-does-not-exist/",
]


def test_public_routes_enforce_the_strict_policy(client, site_pages):
    for path in PUBLIC_ROUTES:
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        _assert_common(response)
        assert response["X-Frame-Options"] == "DENY", path
        assert _directives(response[CSP]) == PUBLIC_DIRECTIVES, path
        assert "unsafe-inline" not in response[CSP]
        assert "unsafe-eval" not in response[CSP]
        # Public pages carry the enforcing policy only.
        assert CSP_RO not in response, path


def test_public_html_has_no_inline_script_or_handler(client, site_pages):
    """A strict policy would block them; templates load every script from a file."""
    for path in ("/", "/en/", "/search/?q=gao", "/accounts/login/"):
        body = client.get(path).content.decode()
        for tag in body.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            # A JSON-LD data block is never executed, so script-src does not
            # govern it; anything else must come from a file.
            if opening.strip() == 'type="application/ld+json"':
                continue
            assert "src=" in opening, (path, opening)
        assert " onclick=" not in body and " onload=" not in body
        assert 'style="' not in body, path


def test_admin_is_report_only(client, site_pages):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    _assert_common(response)
    assert CSP not in response
    directives = _directives(response[CSP_RO])
    assert "script-src 'self'" in directives
    assert "frame-ancestors 'self'" in directives


def test_admin_login_redirect_is_covered(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    _assert_common(response)
    assert CSP_RO in response


def test_webhook_route_carries_the_headers(client, db, settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_headers_only"
    try:
        path = reverse("shop:stripe_webhook")
    except NoReverseMatch:
        try:
            path = reverse("stripe_webhook")
        except NoReverseMatch:
            pytest.skip("the shop's webhook URL has not landed")
    response = client.post(path, data=b"{}", content_type="application/json")
    assert response.status_code == 400
    _assert_common(response)
    assert _directives(response[CSP]) == PUBLIC_DIRECTIVES


def test_stripe_update_widens_only_what_stripe_js_needs():
    from shop.views.payment import _stripe_csp

    update = _stripe_csp()
    js_origin = settings.STRIPE_JS_URL.split("/", 3)
    js_origin = f"{js_origin[0]}//{js_origin[2]}"
    assert update["script-src"] == [js_origin]
    assert update["frame-src"] == [js_origin, "https://hooks.stripe.com"]
    assert js_origin in update["connect-src"]
    assert set(update) == {"script-src", "frame-src", "connect-src"}


def test_production_sends_hsts_and_redirects_to_https(tmp_path):
    """Production settings in a subprocess: HSTS over HTTPS, HTTP redirected."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "c = Client(); "
        "r = c.get('/healthz', HTTP_HOST='thuonghieu.angiang.example', "
        "HTTP_X_FORWARDED_PROTO='https'); "
        "print(r.status_code, r['Strict-Transport-Security'].replace(' ', '')); "
        "print(r['X-Frame-Options'], r['X-Content-Type-Options'], "
        "r['Cross-Origin-Opener-Policy']); "
        "r = c.get('/robots.txt', HTTP_HOST='thuonghieu.angiang.example'); "
        "print(r.status_code, r['Location'])"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "STRIPE_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="prod-test-"
        + "k" * 20
        + "0123456789abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="thuonghieu.angiang.example",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        # Production requires a shared cache; nothing here writes to it.
        REDIS_URL="redis://127.0.0.1:6379/8",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "200 max-age=31536000;includeSubDomains;preload",
        "DENY nosniff same-origin",
        "301 https://thuonghieu.angiang.example/robots.txt",
    ]
