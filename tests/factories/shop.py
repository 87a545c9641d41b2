"""Shop test data: a brand with products and stock, and a ready cart."""

from __future__ import annotations

import itertools
import uuid

from django.utils import timezone
from wagtail.models import Page

from brands.models import ProductPage, ProductVariant
from pages.models import HomePage
from shop.models import (
    Order,
    OrderFulfilment,
    PaymentStatus,
    ShippingPolicy,
    StockRecord,
)
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


def order_part(*, organisation, brand_title: str, marker: str = "") -> OrderFulfilment:
    """A paid order with one part for ``organisation``, written directly (no
    checkout): for tests that aim the shop admin at another house's order."""
    n = next(_counter)
    now = timezone.now()
    order = Order.objects.create(
        number=f"T{n:06d}",
        checkout_token=uuid.uuid4(),
        email=f"buyer{n}@example.com",
        phone="0912345678",
        recipient_name=f"Buyer {marker}",
        recipient_phone="0912345678",
        province="An Giang",
        commune="Long Xuyên",
        street="1 Trần Hưng Đạo",
        terms_accepted_at=now,
        subtotal=120_000,
        shipping_total=30_000,
        total=150_000,
        payment_status=PaymentStatus.PAID,
        paid_at=now,
        reserved_until=now,
    )
    return OrderFulfilment.objects.create(
        order=order,
        organisation=organisation,
        brand_title=brand_title,
        subtotal=120_000,
        shipping_fee=30_000,
    )
