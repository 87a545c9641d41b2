"""Stock counts entered by staff (the holds themselves live in ``shop.stock``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.digits import ascii_int
from shop import stock
from shop.errors import InvalidQuantity
from shop.models import StockRecord


@transaction.atomic
def stock_set_on_hand(*, record: StockRecord, raw_quantity: str | int | None) -> None:
    """Set a variant's units on hand (a stock count); never below what unpaid
    orders hold. Raises ``InvalidQuantity``."""
    quantity = ascii_int(str(raw_quantity or ""), max_digits=7)
    if quantity is None:
        raise InvalidQuantity()
    with stock.purging_pages_when_availability_flips([record.pk]):
        updated = StockRecord.objects.filter(
            pk=record.pk, quantity_reserved__lte=quantity
        ).update(quantity_on_hand=quantity)
    if not updated:
        raise InvalidQuantity(
            _("Unpaid orders hold more units than that; wait for them or enter more.")
        )
