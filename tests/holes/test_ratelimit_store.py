"""Login rate limits live in a store of their own that the page cache cannot evict.

A flood of junk URLs fills the page cache; were the counters in the same
evicting cache, the flood would unlock an account locked out by failed logins.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import caches

from tests.factories import UserFactory

EMAIL = "nan-nhan@example.com"
PASSWORD = "mat-khau-dai-123"
LOCKED_OUT = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _empty_caches():
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


def _lock_out(client) -> None:
    for attempt in range(5):
        client.post("/en/accounts/login/", {"login": EMAIL, "password": f"x-{attempt}"})
    blocked = client.post("/en/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert LOCKED_OUT in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_flood_of_junk_urls_does_not_unlock_a_locked_out_account(client, site_pages):
    UserFactory(email=EMAIL, password=PASSWORD)
    _lock_out(client)
    default = settings.CACHES["default"]
    max_entries = default.get("OPTIONS", {}).get("MAX_ENTRIES", 300)

    # Anonymous visitors, each URL distinct: every one a new page-cache entry.
    flood = client.__class__()
    for number in range(max_entries + 50):
        assert flood.get(f"/?junk={number}").status_code == 200

    response = client.post(
        "/en/accounts/login/", {"login": EMAIL, "password": PASSWORD}
    )
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rate_limit_counters_are_kept_outside_the_default_cache(client, db):
    UserFactory(email=EMAIL, password=PASSWORD)
    _lock_out(client)

    caches["default"].clear()

    response = client.post(
        "/en/accounts/login/", {"login": EMAIL, "password": PASSWORD}
    )
    assert LOCKED_OUT in response.content.decode()


def test_the_rate_limit_store_never_evicts():
    store = settings.CACHES["ratelimit"]
    if store["BACKEND"].endswith("LocMemCache"):
        assert store["OPTIONS"]["MAX_ENTRIES"] >= 1_000_000
    assert store.get("LOCATION") != settings.CACHES["default"].get("LOCATION")
