"""Site search folds Vietnamese diacritics and case."""

from __future__ import annotations

from tests.factories.brands import brand_page, product_page, translate


def _titles(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return [r.title for r in response.context["results"]]


def test_search_ignores_diacritics_and_case(client, site_pages):
    brand = brand_page(title="Mắm Bà Năm")
    product_page(brand, title="Nước mắm Châu Đốc")
    product_page(brand, title="Mắm thái")
    assert _titles(client, "/search/", "nuoc mam chau doc") == ["Nước mắm Châu Đốc"]
    assert _titles(client, "/search/", "NƯỚC MẮM CHÂU") == ["Nước mắm Châu Đốc"]
    assert _titles(client, "/search/", "mam") == [
        "Mắm Bà Năm",
        "Mắm thái",
        "Nước mắm Châu Đốc",
    ]
    assert _titles(client, "/search/", "đốc") == ["Nước mắm Châu Đốc"]
    assert _titles(client, "/search/", "%") == []


def test_search_lists_the_active_language(client, site_pages):
    brand = brand_page(title="Mắm Bà Năm")
    product = product_page(brand, title="Nước mắm Châu Đốc")
    translate(brand, title="Mrs Năm's fish sauce")
    translate(product, title="Châu Đốc fish sauce")
    assert _titles(client, "/en/search/", "chau doc") == ["Châu Đốc fish sauce"]
    assert _titles(client, "/search/", "chau doc") == ["Nước mắm Châu Đốc"]
