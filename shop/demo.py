"""Demo stock and shipping policies for `manage.py seed_demo` (idempotent).

Runs after ``brands.demo.seed()``: every demo variant gets a stock record and
every organisation with a brand page a shipping policy. Existing rows are
left as they are, so a second run changes nothing (and never resets stock
that demo purchases have used).
"""

from __future__ import annotations

import zlib

from django.apps import apps

from organisations.models import Organisation

from .models import ShippingPolicy, StockRecord

FEES = [(30_000, 500_000), (25_000, 400_000), (35_000, None), (20_000, 300_000)]


def _units(sku: str) -> int:
    # Stable per SKU across runs and machines; a few packs start low so the
    # admin's low-stock panel has something to show.
    value = zlib.crc32(sku.encode()) % 60
    return 3 if value < 6 else value


def seed() -> None:
    # Demo seeding reads the variants table directly; shop code proper reads
    # brands only through brands.selectors.
    variant_model = apps.get_model("brands", "ProductVariant")
    have_stock = set(StockRecord.objects.values_list("variant_id", flat=True))
    StockRecord.objects.bulk_create(
        [
            StockRecord(variant_id=pk, quantity_on_hand=_units(sku))
            for pk, sku in variant_model.objects.order_by("pk").values_list("pk", "sku")
            if pk not in have_stock
        ]
    )
    have_policy = set(ShippingPolicy.objects.values_list("organisation_id", flat=True))
    organisations = (
        Organisation.objects.filter(brand_pages__isnull=False).distinct().order_by("pk")
    )
    ShippingPolicy.objects.bulk_create(
        [
            ShippingPolicy(
                organisation=organisation,
                flat_fee=FEES[organisation.pk % len(FEES)][0],
                free_over=FEES[organisation.pk % len(FEES)][1],
            )
            for organisation in organisations
            if organisation.pk not in have_policy
        ]
    )
