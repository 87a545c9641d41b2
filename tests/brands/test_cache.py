"""Anonymous page cache: hits, no caching for members, purge on publish/price."""

from __future__ import annotations

from brands.models import ProductVariant
from brands.services import variant_save
from tests.factories import UserFactory
from tests.factories.brands import brand_page, product_page


def test_anonymous_pages_are_cached_and_purged_on_publish(client, site_pages):
    brand = brand_page(title="Gạo cũ")
    assert client.get(brand.url)["X-Page-Cache"] == "miss"
    assert client.get(brand.url)["X-Page-Cache"] == "hit"
    brand.title = "Gạo mới"
    brand.save_revision().publish()
    response = client.get(brand.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Gạo mới" in response.content.decode()


def test_pages_carrying_a_csrf_token_are_not_cached(client, site_pages):
    """The product page's buy box holds a CSRF token: caching it would hand
    one visitor's token to everyone (and no cookie), so it is rendered fresh."""
    product = product_page(brand_page())
    first = client.get(product.url)
    assert "csrftoken" in first.cookies
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in client.get(product.url)


def test_price_change_purges_the_cache(
    client, site_pages, django_capture_on_commit_callbacks
):
    product = product_page(brand_page(), price=100_000)
    client.get(product.url)
    variant = ProductVariant.objects.get(product=product)
    variant.price = 120_000
    with django_capture_on_commit_callbacks(execute=True):
        variant_save(variant=variant)
    html = client.get(product.url).content.decode()
    assert "120.000 ₫" in html


def test_logged_in_users_are_never_served_from_the_cache(client, site_pages):
    brand = brand_page()
    client.get(brand.url)
    client.force_login(UserFactory())
    response = client.get(brand.url)
    assert "X-Page-Cache" not in response


def test_publishing_an_old_revision_never_restores_an_old_price(
    client, site_pages, django_capture_on_commit_callbacks
):
    product = product_page(brand_page(), price=100_000)
    old_revision = product.save_revision()
    variant = ProductVariant.objects.get(product=product)
    variant.price = 150_000
    with django_capture_on_commit_callbacks(execute=True):
        variant_save(variant=variant)
    old_revision.publish()
    assert ProductVariant.objects.get(pk=variant.pk).price == 150_000
    assert "150.000 ₫" in client.get(product.url).content.decode()
