"""Shop test data: a brand with products and stock, and a ready cart."""

from __future__ import annotations

import itertools

from wagtail.models import Page

from brands.models import ProductPage, ProductVariant
from pages.models import HomePage
from shop.models import ShippingPolicy, StockRecord
from tests.factories import OrganisationFactory
from tests.factories.pages import BrandIndexPageFactory, BrandPageFactory

_counter = itertools.count(1)


def brand(
    *, organisation=None, flat_fee: int = 30_000, free_over: int | None = 500_000
):
    organisation = organisation or OrganisationFactory()
    # Shop tests need no site pages: without a home the index sits at the root.
    home = HomePage.objects.filter(locale__language_code="vi").first()
    index = BrandIndexPageFactory(parent=home or Page.get_first_root_node())
    page = BrandPageFactory(parent=index, organisation=organisation)
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
