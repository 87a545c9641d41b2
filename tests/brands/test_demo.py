"""Demo brands: every organisation has a bilingual brand with 3-8 products."""

from __future__ import annotations

from wagtail.models import Locale

from brands.demo_data import DEMO_BRANDS
from brands.models import BrandPage, ProductPage, ProductVariant


def test_demo_brands_products_and_translations(demo, client):
    organisations = len(DEMO_BRANDS)
    assert BrandPage.objects.filter(locale__language_code="vi").count() == organisations
    assert BrandPage.objects.filter(locale__language_code="en").count() == organisations
    english = Locale.objects.get(language_code="en")
    for brand in BrandPage.objects.filter(locale__language_code="vi"):
        products = ProductPage.objects.child_of(brand)
        assert 3 <= products.count() <= 8, brand.title
        for product in products:
            assert product.get_translation_or_none(english), product.title
            assert ProductVariant.objects.filter(product=product).exists()
    assert client.get("/thuong-hieu/").status_code == 200
    assert client.get("/en/products/").status_code == 200
    home = client.get("/").content.decode()
    assert home.count('class="card brand-card theme-') == 6
    assert home.count('class="card product-card"') == 8
