"""Issue 11, publication and privacy: what is unpublished or private is not sold.

Before the fix a product under an unpublished brand (Wagtail leaves the
children of an unpublished page live) stayed listed, reachable and
purchasable; one under a login-restricted brand stayed purchasable; and a
page made private was served from the page cache until the entry expired.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from brands.selectors import brand_products, product_cards_filtered
from shop.models import CartLine, Order, StockReservation
from tests.factories import UserFactory
from tests.factories import shop as shop_factories
from tests.shop.conftest import CHECKOUT_FIELDS

pytestmark = pytest.mark.django_db

CATALOGUE_FILTERS = {
    "query": "",
    "category": "",
    "brand_slug": "",
    "min_price": None,
    "max_price": None,
    "certification": "",
    "in_stock_only": False,
    "sort": "",
}


@pytest.fixture
def shelf(site_pages):
    """One product of a brand that will be hidden, one of a brand that stays."""
    hidden_brand = shop_factories.brand()
    other_brand = shop_factories.brand()
    return {
        "brand": hidden_brand,
        "variant": shop_factories.variant(
            brand_page=hidden_brand, title="Mắm cá linh ẩn", on_hand=5
        ),
        "control": shop_factories.variant(
            brand_page=other_brand, title="Gạo thơm còn bán", on_hand=5
        ),
    }


def _listed(language="vi") -> set[int]:
    return {
        page.pk
        for page in product_cards_filtered(language=language, **CATALOGUE_FILTERS)
    }


def _add(client, variant):
    return client.post(
        reverse("shop:cart_add"), {"variant": str(variant.public_id), "quantity": 1}
    )


def _checkout(client, total):
    return client.post(
        reverse("shop:checkout"),
        {
            **CHECKOUT_FIELDS,
            "checkout_token": str(uuid.uuid4()),
            "expected_total": str(total),
        },
    )


def _hide(shelf, how):
    if how == "unpublished brand":
        # The admin's default: the brand alone, its products stay live.
        shelf["brand"].unpublish()
    else:
        PageViewRestriction.objects.create(
            page=shelf["brand"], restriction_type=PageViewRestriction.LOGIN
        )


@pytest.mark.parametrize("how", ["unpublished brand", "login restriction"])
def test_a_hidden_brands_products_are_not_listed_or_found(client, shelf, how):
    product = shelf["variant"].product
    assert product.pk in _listed()
    _hide(shelf, how)
    listed = _listed()
    assert product.pk not in listed
    assert shelf["control"].product.pk in listed
    assert product.pk not in _listed("en")
    found = client.get(reverse("search"), {"q": "mắm cá linh"}).content.decode()
    assert "Mắm cá linh ẩn" not in found
    assert (
        "Gạo thơm còn bán"
        in client.get(reverse("search"), {"q": "gạo thơm"}).content.decode()
    )


def test_an_unpublished_brands_products_are_not_served(client, shelf):
    product = shelf["variant"].product
    assert client.get(product.url).status_code == 200
    shelf["brand"].unpublish()
    assert client.get(product.url).status_code == 404
    assert client.get(shelf["control"].product.url).status_code == 200


@pytest.mark.parametrize("how", ["unpublished brand", "login restriction"])
def test_a_hidden_brands_product_cannot_be_added_to_the_cart(client, shelf, how):
    _hide(shelf, how)
    response = _add(client, shelf["variant"])
    assert response.status_code == 400
    assert "Sản phẩm này hiện không được bán." in response.content.decode()
    assert CartLine.objects.count() == 0
    assert _add(client, shelf["control"]).status_code == 302


@pytest.mark.parametrize("how", ["unpublished brand", "login restriction"])
def test_a_hidden_brands_product_is_dropped_at_checkout(client, shelf, how):
    assert _add(client, shelf["variant"]).status_code == 302
    total = client.get(reverse("shop:checkout")).context["summary"].total
    _hide(shelf, how)
    response = _checkout(client, total)
    assert response.status_code == 409
    assert "đã được bỏ ra" in response.content.decode()
    assert (Order.objects.count(), StockReservation.objects.count()) == (0, 0)
    assert CartLine.objects.count() == 0


def test_signed_in_buyers_cannot_buy_behind_a_login_restriction_either(shelf):
    # The rule is "public all the way up": a members-only section is not a shop.
    member = Client()
    member.force_login(UserFactory())
    _hide(shelf, "login restriction")
    assert _add(member, shelf["variant"]).status_code == 400


def test_hidden_subtrees_cost_no_query_per_brand(shelf):
    def listing_queries():
        with CaptureQueriesContext(connection) as queries:
            _listed()
        return len(queries.captured_queries)

    before = listing_queries()
    for _n in range(3):
        brand = shop_factories.brand()
        shop_factories.variant(brand_page=brand)
        brand.unpublish()
        PageViewRestriction.objects.create(
            page=shop_factories.brand(), restriction_type=PageViewRestriction.LOGIN
        )
    assert listing_queries() == before


def test_a_page_made_private_leaves_the_page_cache(
    shelf, django_capture_on_commit_callbacks
):
    visitor = Client()
    brand = shelf["brand"]
    product = shelf["variant"].product
    for url in (brand.url, product.url):
        assert visitor.get(url)["X-Page-Cache"] == "miss"
        assert visitor.get(url)["X-Page-Cache"] == "hit"
    editor = Client()
    editor.force_login(UserFactory(is_superuser=True, is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("wagtailadmin_pages:set_privacy", args=[product.pk]),
            {"restriction_type": PageViewRestriction.LOGIN},
        )
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=product).exists()
    # The cached copy is gone: Wagtail asks the visitor to log in.
    private = visitor.get(product.url)
    assert private.status_code == 302
    assert "/accounts/login/" in private["Location"]
    # The brand page's cached product list is gone too.
    listing = visitor.get(brand.url)
    assert listing["X-Page-Cache"] == "miss"
    assert product.title not in listing.content.decode()
    assert brand_products(page=brand, language="vi") == []


def test_a_page_made_public_again_is_listed_at_once(
    shelf, django_capture_on_commit_callbacks
):
    visitor = Client()
    brand = shelf["brand"]
    product = shelf["variant"].product
    restriction = PageViewRestriction.objects.create(
        page=product, restriction_type=PageViewRestriction.LOGIN
    )
    assert product.title not in visitor.get(brand.url).content.decode()
    assert visitor.get(brand.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    listing = visitor.get(brand.url)
    assert listing["X-Page-Cache"] == "miss"
    assert product.title in listing.content.decode()
