"""Shop test data: a brand with products and stock, and a ready cart."""

from __future__ import annotations

import itertools

from wagtail.models import Page

from brands.models import BrandIndexPage, BrandPage, ProductPage, ProductVariant
from pages.models import HomePage
from shop.models import ShippingPolicy, StockRecord
from tests.factories import OrganisationFactory

_counter = itertools.count(1)


def brand_index() -> BrandIndexPage:
    index = BrandIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.filter(locale__language_code="vi").first()
    parent = home or Page.get_first_root_node()
    index = BrandIndexPage(title="Thương hiệu", slug="thuong-hieu")
    parent.add_child(instance=index)
    return index


def brand(
    *, organisation=None, flat_fee: int = 30_000, free_over: int | None = 500_000
):
    n = next(_counter)
    organisation = organisation or OrganisationFactory()
    page = BrandPage(
        title=f"Thương hiệu {n}", slug=f"thuong-hieu-{n}", organisation=organisation
    )
    brand_index().add_child(instance=page)
    ShippingPolicy.objects.update_or_create(
        organisation=organisation,
        defaults={"flat_fee": flat_fee, "free_over": free_over},
    )
    return page


def variant(
    *,
    brand_page=None,
    price: int = 150_000,
    on_hand: int = 10,
    title: str | None = None,
) -> ProductVariant:
    n = next(_counter)
    brand_page = brand_page or brand()
    product = ProductPage(
        title=title or f"Gạo thơm {n}", slug=f"gao-thom-{n}", category="rice"
    )
    brand_page.add_child(instance=product)
    item = ProductVariant.objects.create(
        product=product,
        sku=f"SKU-{n:05d}",
        name="Túi 5 kg",
        name_en="5 kg bag",
        price=price,
        weight_grams=5000,
    )
    StockRecord.objects.create(variant=item, quantity_on_hand=on_hand)
    return item
