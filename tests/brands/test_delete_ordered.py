"""Issue 11.2: deleting an ordered variant or product page is refused, with a
reason and what to do instead, by every delete an editor or staff can reach;
never a server error (ProtectedError) and never a half-done delete."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, Page

from brands.models import ProductPage, ProductVariant
from organisations.models import Membership
from organisations.services import organisation_grant_page_permissions
from shop.models import StockRecord
from tests.factories import UserFactory, member, onboarded_organisation
from tests.factories import shop as shop_factories
from tests.factories.brands import translate
from tests.factories.guard import province_staff_user
from tests.shop.conftest import place

pytestmark = pytest.mark.django_db

VARIANT_REFUSAL = "Sản phẩm này đã có đơn hàng nên không thể xoá"
PAGE_REFUSAL = "đã có đơn hàng nên không thể xoá"


@pytest.fixture
def world():
    organisation = onboarded_organisation()
    brand = shop_factories.brand(organisation=organisation)
    organisation_grant_page_permissions(organisation=organisation, page=brand)
    ordered = shop_factories.variant(brand_page=brand, on_hand=10)
    spare = shop_factories.variant(brand_page=brand, on_hand=3)
    place({ordered: 1})
    editor = member(organisation, Membership.Role.EDITOR)
    return {
        "brand": brand,
        "ordered": ordered,
        "spare": spare,
        "users": {"editor": editor, "staff": province_staff_user()},
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _variant_delete(variant) -> str:
    return reverse("product_variants:delete", args=[variant.pk])


def _page_delete(page) -> str:
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def _unpublished_for(product: ProductPage, editor) -> None:
    # Members may delete only pages that are not live (Wagtail's rule); the
    # product of an order may well have been unpublished since.
    Page.objects.filter(pk=product.pk).update(live=False, owner=editor)


@pytest.mark.parametrize("role", ["editor", "staff"])
def test_deleting_an_ordered_variant_is_refused_with_a_reason(world, role):
    client = _client(world["users"][role])
    variant = world["ordered"]
    response = client.post(_variant_delete(variant))
    assert response.status_code == 409
    assert VARIANT_REFUSAL in response.content.decode()
    assert ProductVariant.objects.filter(pk=variant.pk).exists()
    assert StockRecord.objects.filter(variant=variant).exists()


@pytest.mark.parametrize("role", ["editor", "staff"])
def test_an_unordered_variant_still_deletes(world, role):
    client = _client(world["users"][role])
    spare = world["spare"]
    response = client.post(_variant_delete(spare))
    assert response.status_code == 302
    assert not ProductVariant.objects.filter(pk=spare.pk).exists()


@pytest.mark.parametrize("role", ["editor", "staff"])
def test_deleting_an_ordered_product_page_is_refused_with_a_reason(world, role):
    user = world["users"][role]
    product = world["ordered"].product
    if role == "editor":
        _unpublished_for(product, user)
    client = _client(user)
    for method in ("get", "post"):
        response = getattr(client, method)(_page_delete(product), follow=True)
        assert response.status_code == 200
        assert PAGE_REFUSAL in response.content.decode()
    assert ProductPage.objects.filter(pk=product.pk).exists()
    assert ProductVariant.objects.filter(pk=world["ordered"].pk).exists()


@pytest.mark.parametrize("role", ["editor", "staff"])
def test_an_unordered_product_page_still_deletes(world, role):
    user = world["users"][role]
    product = world["spare"].product
    if role == "editor":
        _unpublished_for(product, user)
    response = _client(user).post(_page_delete(product))
    assert response.status_code == 302
    assert not ProductPage.objects.filter(pk=product.pk).exists()
    assert not ProductVariant.objects.filter(pk=world["spare"].pk).exists()


def _superuser():
    # Only a superuser may delete a page with pages under it (bulk_delete).
    return UserFactory(is_staff=True, is_superuser=True)


def test_deleting_the_brand_page_above_an_ordered_product_is_refused(world):
    brand = world["brand"]
    response = _client(_superuser()).post(
        _page_delete(brand), {"confirm_site_name": "x"}, follow=True
    )
    assert PAGE_REFUSAL in response.content.decode()
    assert Page.objects.filter(pk=brand.pk).exists()
    assert ProductVariant.objects.filter(pk=world["ordered"].pk).exists()


def test_deleting_the_translation_of_an_ordered_product_is_refused(site_pages, world):
    # The page trees are kept in sync: deleting the English page would take
    # the Vietnamese one (and its ordered variant) with it.
    translate(world["brand"], title="Brand EN")
    english = translate(world["ordered"].product, title="Rice EN")
    assert english.locale == Locale.objects.get(language_code="en")
    response = _client(world["users"]["staff"]).post(_page_delete(english), follow=True)
    assert PAGE_REFUSAL in response.content.decode()
    assert Page.objects.filter(pk=english.pk).exists()
    assert ProductVariant.objects.filter(pk=world["ordered"].pk).exists()


def test_bulk_deleting_an_ordered_product_page_is_refused(world):
    ordered = world["ordered"].product
    spare = world["spare"].product
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
        + f"?id={ordered.pk}&id={spare.pk}&next=/admin/"
    )
    response = _client(world["users"]["staff"]).post(url, follow=True)
    assert PAGE_REFUSAL in response.content.decode()
    # Nothing half-done: the unordered page of the same batch is kept too.
    assert ProductPage.objects.filter(pk__in=[ordered.pk, spare.pk]).count() == 2
