"""Demo stock and shipping policies (data: demo/data/shop.yaml); idempotent.

Runs after the brands: every demo variant gets a stock record and every
organisation with a brand page a shipping policy. Existing rows are left as
they are, so a second run changes nothing (and never resets stock that demo
purchases have used).
"""

from __future__ import annotations

import zlib

from brands.models import ProductVariant
from organisations.models import Organisation
from shop.models import ShippingPolicy, StockRecord

from .data import load


def _units(sku: str, *, low: int) -> int:
    # Stable per SKU across runs and machines; a few packs start low so the
    # admin's low-stock panel has something to show.
    value = zlib.crc32(sku.encode()) % 60
    return low if value < 6 else value


def seed() -> None:
    data = load("shop")
    low = data["low_stock_units"]
    have_stock = set(StockRecord.objects.values_list("variant_id", flat=True))
    StockRecord.objects.bulk_create(
        [
            StockRecord(variant_id=pk, quantity_on_hand=_units(sku, low=low))
            for pk, sku in ProductVariant.objects.order_by("pk").values_list(
                "pk", "sku"
            )
            if pk not in have_stock
        ]
    )
    fees = data["shipping_policies"]
    have_policy = set(ShippingPolicy.objects.values_list("organisation_id", flat=True))
    organisations = (
        Organisation.objects.filter(brand_pages__isnull=False).distinct().order_by("pk")
    )
    ShippingPolicy.objects.bulk_create(
        [
            _policy(organisation, fees[organisation.pk % len(fees)])
            for organisation in organisations
            if organisation.pk not in have_policy
        ]
    )


def _policy(organisation, terms: dict) -> ShippingPolicy:
    return ShippingPolicy(
        organisation=organisation,
        flat_fee=terms["flat_fee"],
        free_over=terms["free_over"],
        ships_abroad=terms.get("ships_abroad", False),
        abroad_fee=terms.get("abroad_fee", 0),
    )
