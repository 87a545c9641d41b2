"""Demo brands: every organisation has a bilingual brand with 3-8 products."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from brands.models import BrandPage, ProductPage, ProductVariant
from demo.catalogue import demo_brands


def test_demo_brands_products_and_translations(demo, client):
    organisations = len(demo_brands())
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


def test_english_products_have_english_slugs_and_reseeding_renames_old_ones(
    demo, client
):
    """English requests leave English active in this thread: restore it after."""
    with translation.override(settings.LANGUAGE_CODE):
        _english_slugs(client)


def _english_slugs(client):
    from django.core.management import call_command

    english = Locale.objects.get(language_code="en")
    rice = ProductPage.objects.get(locale__language_code="vi", slug="gao-st25")
    rice_en = rice.get_translation(english)
    assert rice_en.url == "/en/brands/hung-phat/hung-phat-st25-rice/"
    assert client.get(rice_en.url).status_code == 200

    page = client.get(rice.url).content.decode()
    assert (
        '<link rel="alternate" hreflang="en" '
        'href="http://testserver/en/brands/hung-phat/hung-phat-st25-rice/">' in page
    )
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/en/brands/hung-phat/hung-phat-st25-rice/" in sitemap
    assert "/en/brands/hung-phat/gao-st25/" not in sitemap

    # A site seeded before English slugs existed gets them on the next seed...
    rice_en.slug = "gao-st25"
    rice_en.save()
    # ...but an English page an editor has touched keeps its slug.
    jasmine = ProductPage.objects.get(locale__language_code="vi", slug="gao-jasmine")
    jasmine_en = jasmine.get_translation(english)
    jasmine_en.slug = "gao-jasmine"
    jasmine_en.save()
    jasmine_en.save_revision()
    assert client.get("/en/brands/hung-phat/gao-st25/").status_code == 200

    call_command(
        "seed_demo", "--password", "demo-password-123", "--quiet", "--no-renditions"
    )
    rice_en.refresh_from_db()
    jasmine_en.refresh_from_db()
    assert rice_en.url == "/en/brands/hung-phat/hung-phat-st25-rice/"
    assert jasmine_en.slug == "gao-jasmine"
    assert client.get(rice_en.url).status_code == 200
