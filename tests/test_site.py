"""Site-wide pages: health check, robots, sitemap, search, error pages, languages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_reports_a_working_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable():
    # A real unreachable server (nothing listens on port 9 of loopback).
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.json()['status'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["503", "error"], result.stderr


def test_robots_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_both_languages_with_alternates(client, site_pages):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<loc>http://testserver/</loc>" in body
    assert "<loc>http://testserver/en/</loc>" in body
    assert 'hreflang="en" href="http://testserver/en/gioi-thieu/"' in body
    # Each page names the Vietnamese one as the default for other languages.
    assert body.count('hreflang="x-default"') == body.count("<loc>")
    assert 'hreflang="x-default" href="http://testserver/gioi-thieu/"' in body


def _json_ld(html: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html
        )
    ]


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_home_page_has_open_graph_and_website_json_ld(
    client, site_pages, settings, path
):
    html = client.get(path).content.decode()
    home_url = settings.SITE_BASE_URL.rstrip("/") + path
    assert f'<link rel="canonical" href="{home_url}">' in html
    assert f'<meta property="og:url" content="{home_url}">' in html
    assert '<meta property="og:type" content="website">' in html
    blocks = {block["@type"]: block for block in _json_ld(html)}
    assert blocks["WebSite"]["url"] == home_url
    assert blocks["WebSite"]["inLanguage"] == ("en" if path == "/en/" else "vi")
    search = blocks["WebSite"]["potentialAction"]["target"]
    assert search.startswith(settings.SITE_BASE_URL.rstrip("/") + path + "search/?q=")
    assert blocks["Organization"]["name"]


def test_home_page_in_vietnamese_and_english(client, site_pages):
    vi = client.get("/")
    en = client.get("/en/")
    assert vi.status_code == en.status_code == 200
    assert '<html lang="vi">' in vi.content.decode()
    assert "Thương hiệu số An Giang" in vi.content.decode()
    assert '<html lang="en">' in en.content.decode()
    assert "An Giang Digital Brands" in en.content.decode()


def test_language_switcher_keeps_the_visitor_on_the_same_page(client, site_pages):
    body = client.get("/gioi-thieu/").content.decode()
    assert 'href="/en/gioi-thieu/" hreflang="en"' in body
    body_en = client.get("/en/gioi-thieu/").content.decode()
    assert 'href="/gioi-thieu/" hreflang="vi"' in body_en
    # Non-page views switch too.
    body_search = client.get("/en/search/?q=x").content.decode()
    assert 'href="/search/?q=x" hreflang="vi"' in body_search


def test_unprefixed_urls_are_vietnamese_whatever_the_browser_prefers(
    client, site_pages
):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize(
    ("path", "text"),
    [("/khong-co/", "Không tìm thấy trang"), ("/en/not-here/", "Page not found")],
)
def test_custom_404_in_both_languages(client, site_pages, path, text):
    response = client.get(path)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [("vi", "Đã có lỗi xảy ra"), ("en", "Something went wrong")],
)
def test_custom_500_in_both_languages(rf, language, text):
    from django.utils import translation

    from pages.views import server_error

    with translation.override(language):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert text in response.content.decode()


def test_search_finds_pages_in_the_active_language(client, site_pages):
    vi = client.get("/search/", {"q": "Giới thiệu"}).content.decode()
    assert 'href="/gioi-thieu/"' in vi
    en = client.get("/en/search/", {"q": "About"}).content.decode()
    assert 'href="/en/gioi-thieu/"' in en


def test_search_with_a_long_query_is_not_an_error(client, site_pages):
    response = client.get("/search/", {"q": "a " * 900})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["a" * 5000, "nuoc\x00mam"])
def test_hostile_query_values_get_a_clear_400(client, site_pages, value):
    response = client.get("/search/", {"q": value})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_search_with_quotes_and_operators_is_not_an_error(client, site_pages):
    response = client.get("/search/", {"q": "\"gioi thieu' OR 1=1 -- NOT *"})
    assert response.status_code == 200


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    evil = client.get("/admin/login/?next=https://evil.example/")
    assert evil["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_the_header_is_one_row_with_a_menu_that_needs_no_javascript(client, site_pages):
    """Phone first: the logo, the cart and a <details> menu (it opens without
    JavaScript) holding the main menu, the search, the account links and the
    language switcher; the cart stays outside it, in sight."""
    from bs4 import BeautifulSoup

    html = BeautifulSoup(client.get("/").content, "html.parser")
    header = html.select_one("header.site-header")
    menu = header.select_one("details.site-menu")
    assert menu is not None and menu.select_one("summary") is not None
    assert menu.select_one("summary .site-menu__label").get_text(strip=True)
    for part in (
        "nav.site-nav",
        "form.site-search",
        ".account-links",
        ".language-switcher",
    ):
        assert menu.select_one(part) is not None, part
    cart = header.select_one(".site-header__cart a.cart-badge")
    assert cart is not None and cart.find_parent("details") is None
    assert len(header.select("a.cart-badge")) == 1
