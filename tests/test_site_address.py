"""Absolute URLs name the address the site is served at (SITE_BASE_URL)."""

from __future__ import annotations

import pytest
from django.core import checks
from django.core.management import call_command
from wagtail.models import Site

from pages.checks import site_matches_base_url
from pages.site_address import (
    SiteAddressInvalid,
    site_address_from_url,
    site_address_sync,
)


@pytest.mark.parametrize(
    ("url", "hostname", "port", "root_url"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("http://127.0.0.1:8123/", "127.0.0.1", 8123, "http://127.0.0.1:8123"),
        ("https://thuonghieu.angiang.gov.vn", "thuonghieu.angiang.gov.vn", 443, None),
        ("http://example.test", "example.test", 80, "http://example.test"),
    ],
)
def test_the_address_is_read_from_the_base_url(url, hostname, port, root_url):
    address = site_address_from_url(url)
    assert (address.hostname, address.port) == (hostname, port)
    assert address.root_url == (root_url or f"https://{hostname}")


@pytest.mark.parametrize(
    "url",
    ["127.0.0.1:8000", "ftp://x.test", "http://x.test/shop/", "https://x.test:8443"],
)
def test_a_base_url_wagtail_cannot_express_is_refused(url):
    with pytest.raises(SiteAddressInvalid):
        site_address_from_url(url)


def test_seeding_points_the_site_at_the_base_url_and_the_check_agrees(
    site_pages, settings
):
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == settings.SITE_BASE_URL.rstrip("/")
    assert site_matches_base_url(databases=["default"]) == []


def test_the_check_fails_when_they_disagree(site_pages, settings):
    settings.SITE_BASE_URL = "http://127.0.0.1:8123"
    problems = site_matches_base_url(databases=["default"])
    assert [p.id for p in problems] == ["pages.E001"]
    assert problems[0].level == checks.ERROR
    assert "site_sync" in problems[0].msg
    # Without a database the check stays silent (`check` without --database).
    assert site_matches_base_url(databases=None) == []


def test_site_sync_moves_the_site_once(client, site_pages, settings):
    settings.SITE_BASE_URL = "http://127.0.0.1:8123"
    call_command("site_sync")
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8123"
    assert site_matches_base_url(databases=["default"]) == []
    assert site_address_sync(base_url=settings.SITE_BASE_URL) is False
