"""Site search folds Vietnamese diacritics and case, and answers with cards by kind."""

from __future__ import annotations

from django.core.cache import cache

from tests.factories.brands import brand_page, product_page, translate
from tests.factories.pages import CataloguePageFactory, home


def _groups(client, url, q, **params):
    response = client.get(url, {"q": q, **params})
    assert response.status_code == 200
    search = response.context["search"]
    return {group.kind: [r.title for r in group.items] for group in search.groups}


def _titles(client, url, q):
    groups = _groups(client, url, q)
    return sorted(title for titles in groups.values() for title in titles)


def test_search_ignores_diacritics_and_case(client, site_pages):
    brand = brand_page(title="Mắm Bà Năm")
    product_page(brand, title="Nước mắm Châu Đốc")
    product_page(brand, title="Mắm thái")
    assert _titles(client, "/search/", "nuoc mam chau doc") == ["Nước mắm Châu Đốc"]
    assert _titles(client, "/search/", "NƯỚC MẮM CHÂU") == ["Nước mắm Châu Đốc"]
    assert _groups(client, "/search/", "mam") == {
        "products": ["Mắm thái", "Nước mắm Châu Đốc"],
        "brands": ["Mắm Bà Năm"],
    }
    assert _titles(client, "/search/", "đốc") == ["Nước mắm Châu Đốc"]
    assert _titles(client, "/search/", "%") == []


def test_run_together_words_find_the_spaced_ones(client, site_pages):
    brand = brand_page(title="Mắm Bà Năm")
    product_page(brand, title="Nước mắm Châu Đốc")
    product_page(brand, title="Nước tương")
    assert _titles(client, "/search/", "nướcmắm") == ["Nước mắm Châu Đốc"]
    assert _titles(client, "/search/", "nuocmam chaudoc") == ["Nước mắm Châu Đốc"]


def test_search_lists_the_active_language(client, site_pages):
    brand = brand_page(title="Mắm Bà Năm")
    product = product_page(brand, title="Nước mắm Châu Đốc")
    translate(brand, title="Mrs Năm's fish sauce")
    translate(product, title="Châu Đốc fish sauce")
    assert _titles(client, "/en/search/", "chau doc") == ["Châu Đốc fish sauce"]
    assert _titles(client, "/search/", "chau doc") == ["Nước mắm Châu Đốc"]


def test_results_are_cards_with_price_brand_and_ocop_stars(client, site_pages):
    brand = brand_page(title="HTX Hưng Phát")
    product_page(brand, title="Gạo ST25", price=185_000, certificates=1)
    html = client.get("/search/", {"q": "gao"}).content.decode()
    assert 'class="card product-card"' in html
    assert "185.000 ₫" in html
    assert "HTX Hưng Phát" in html
    assert "OCOP" in html


def test_the_home_page_is_never_a_result(client, site_pages):
    home_title = home().title
    assert home_title not in _titles(client, "/search/", home_title)


def test_one_kind_is_paginated_and_keeps_the_query(client, site_pages):
    brand = brand_page(title="HTX Gạo")
    for n in range(14):
        product_page(brand, title=f"Gạo số {n:02d}")
    everything = client.get("/search/", {"q": "gao so"})
    [products] = everything.context["search"].groups
    assert products.count == 14 and len(products.items) == 8
    assert 'href="?q=gao%20so&amp;kind=products"' in everything.content.decode()
    second = client.get("/search/", {"q": "gao so", "kind": "products", "page": 2})
    [products] = second.context["search"].groups
    assert [p.title for p in products.items] == ["Gạo số 12", "Gạo số 13"]
    html = second.content.decode()
    assert 'href="?q=gao%20so&amp;kind=products&amp;page=1"' in html
    assert 'name="kind" value="products"' in html
    # An unknown kind is "everything", not an error.
    assert client.get("/search/", {"q": "gao", "kind": "<x>"}).status_code == 200


def test_nothing_found_suggests_a_spelling_and_the_catalogue(client, site_pages):
    cache.clear()
    shop = CataloguePageFactory(parent=home())
    product_page(brand_page(title="HTX Hưng Phát"), title="Nước mắm Châu Đốc")
    response = client.get("/search/", {"q": "nuoc mamm"})
    search = response.context["search"]
    assert search.total == 0
    assert search.suggestions[0] == "nước mắm"
    html = response.content.decode()
    assert 'href="?q=n%C6%B0%E1%BB%9Bc%20m%E1%BA%AFm"' in html
    assert f'href="{shop.url}"' in html
    # Nothing close: no suggestion, still the way on.
    assert client.get("/search/", {"q": "xyzzy"}).context["search"].suggestions == []
