"""Query strings and the page cache: junk is never stored, filters still are."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories.brands import brand_page, product_page
from tests.factories.pages import BrandIndexPageFactory, CataloguePageFactory, home

FLOOD = 40


def _entries() -> int:
    """How many keys the default cache holds (LocMemCache, or Redis in CI)."""
    store = cache._cache  # type: ignore[attr-defined]
    if isinstance(store, dict):
        return len(store)
    return len(store.get_client().keys(cache.make_key("*")))


@pytest.fixture
def urls(site_pages):
    product_page(brand_page(title="Gạo"), price=100_000)
    return {
        "catalogue": CataloguePageFactory(parent=home()).url,
        "brands": BrandIndexPageFactory(parent=home()).url,
    }


@pytest.mark.parametrize("page", ["catalogue", "brands"])
def test_a_flood_of_junk_query_strings_stores_nothing(client, urls, page):
    url = urls[page]
    assert client.get(url)["X-Page-Cache"] == "miss"
    baseline = _entries()
    junk = [
        "?x{n}=1",
        "?utm_source=ad{n}",
        "?fbclid=c{n}",
        "?sort=bogus{n}",
        "?category=rice&z={n}",
        "?page=1{n}000",
        "?sort=name&sort=newest&n={n}",
    ]
    for n in range(FLOOD):
        for query in junk:
            response = client.get(url + query.format(n=n))
            assert response.status_code in (200, 400)
            assert response.get("X-Page-Cache") != "miss", query
    assert _entries() == baseline
    # The canonical page is still served from its entry.
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_tracking_parameters_are_served_the_canonical_entry(client, urls):
    client.get(urls["catalogue"])
    assert (
        client.get(urls["catalogue"] + "?utm_source=x&gclid=1")["X-Page-Cache"] == "hit"
    )


def test_known_filters_are_cached_correct_and_order_free(client, urls):
    url = urls["catalogue"]
    first = client.get(url + "?category=rice&sort=price")
    assert first["X-Page-Cache"] == "miss"
    assert "Gạo" in first.content.decode() or first.status_code == 200
    again = client.get(url + "?sort=price&category=rice")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    # A different filter is a different page, not the cached one.
    fish = client.get(url + "?category=fish")
    assert fish["X-Page-Cache"] == "miss"
    brands = client.get(urls["brands"] + "?certification=ocop&sort=newest")
    assert brands["X-Page-Cache"] == "miss"
    assert (
        client.get(urls["brands"] + "?sort=newest&certification=ocop")["X-Page-Cache"]
        == "hit"
    )


def test_free_text_search_is_rendered_but_not_stored(client, urls):
    url = urls["catalogue"]
    for n in range(5):
        response = client.get(url + f"?q=gao{n}")
        assert response.status_code == 200
        assert response.get("X-Page-Cache") != "miss"


def test_pages_without_parameters_store_no_query(client, urls, site_pages):
    for n in range(5):
        assert client.get(f"/?ref={n}").get("X-Page-Cache") != "miss"
    assert client.get("/")["X-Page-Cache"] == "miss"
