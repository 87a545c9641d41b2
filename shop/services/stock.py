"""Stock counts entered by staff (the holds themselves live in ``shop.stock``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from shop import stock
from shop.errors import InvalidQuantity
from shop.models import StockRecord


@transaction.atomic
def stock_set_on_hand(*, record: StockRecord, raw_quantity: str | int | None) -> None:
    """Set a variant's units on hand (a stock count); never below what unpaid
    orders hold. Raises ``InvalidQuantity``."""
    text = str(raw_quantity or "").strip()
    if not text.isdigit() or len(text) > 7:
        raise InvalidQuantity()
    quantity = int(text)
    with stock.purging_pages_when_availability_flips([record.pk]):
        updated = StockRecord.objects.filter(
            pk=record.pk, quantity_reserved__lte=quantity
        ).update(quantity_on_hand=quantity)
    if not updated:
        raise InvalidQuantity(
            _("Unpaid orders hold more units than that; wait for them or enter more.")
        )
