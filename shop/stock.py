"""Stock reservations: conditional updates in a fixed lock order.

Every function here must run inside the caller's transaction. On PostgreSQL
the stock rows are locked with ``SELECT … FOR UPDATE`` ordered by primary key,
so two orders touching the same variants lock them in the same order and
cannot deadlock. The UPDATE itself is conditional
(``quantity_on_hand >= quantity_reserved + n``), which is the guard that also
holds on SQLite, where ``FOR UPDATE`` is a no-op but every write transaction
is serialised (``transaction_mode=IMMEDIATE``). A CheckConstraint
(reserved <= on hand) is the last line of defence.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from .errors import OutOfStock
from .models import Order, StockRecord, StockReservation


def stock_reserve(
    *,
    order: Order,
    quantities: dict[int, int],
    titles: dict[int, str],
    expires_at: datetime,
) -> None:
    """Hold ``quantities`` (variant id -> units) for ``order`` until ``expires_at``.

    Raises ``OutOfStock`` naming every line that cannot be covered; the caller's
    transaction then rolls back every hold made so far.
    """
    records = {
        record.variant_id: record
        for record in StockRecord.objects.select_for_update()
        .filter(variant_id__in=quantities)
        .order_by("pk")
    }
    short: list[str] = []
    for variant_id in sorted(
        quantities, key=lambda v: records[v].pk if v in records else 0
    ):
        quantity = quantities[variant_id]
        record = records.get(variant_id)
        if record is None:
            short.append(titles[variant_id])
            continue
        updated = StockRecord.objects.filter(
            pk=record.pk,
            quantity_on_hand__gte=F("quantity_reserved") + quantity,
        ).update(quantity_reserved=F("quantity_reserved") + quantity)
        if updated != 1:
            short.append(titles[variant_id])
            continue
        StockReservation.objects.create(
            order=order, stock=record, quantity=quantity, expires_at=expires_at
        )
    if short:
        raise OutOfStock(short)


def _held(order: Order):
    return list(
        StockReservation.objects.select_for_update()
        .filter(order=order, status=StockReservation.Status.HELD)
        .order_by("stock_id")
    )


def stock_commit(*, order: Order) -> int:
    """Turn the order's held units into sold ones (on hand and reserved both drop)."""
    count = 0
    for reservation in _held(order):
        StockRecord.objects.filter(pk=reservation.stock_id).update(
            quantity_on_hand=F("quantity_on_hand") - reservation.quantity,
            quantity_reserved=F("quantity_reserved") - reservation.quantity,
        )
        StockReservation.objects.filter(pk=reservation.pk).update(
            status=StockReservation.Status.SOLD
        )
        count += 1
    return count


def stock_release(*, order: Order) -> int:
    """Give the order's held units back to other buyers."""
    count = 0
    for reservation in _held(order):
        StockRecord.objects.filter(pk=reservation.stock_id).update(
            quantity_reserved=F("quantity_reserved") - reservation.quantity
        )
        StockReservation.objects.filter(pk=reservation.pk).update(
            status=StockReservation.Status.RELEASED
        )
        count += 1
    return count


def stock_rehold(*, order: Order) -> bool:
    """Re-take released units for an order paid after it expired.

    Returns False (nothing changed) when the units are gone meanwhile.
    """
    released = list(
        StockReservation.objects.select_for_update()
        .filter(order=order, status=StockReservation.Status.RELEASED)
        .order_by("stock_id")
    )
    for reservation in released:
        updated = StockRecord.objects.filter(
            pk=reservation.stock_id,
            quantity_on_hand__gte=F("quantity_reserved") + reservation.quantity,
        ).update(quantity_reserved=F("quantity_reserved") + reservation.quantity)
        if updated != 1:
            raise OutOfStock()
        StockReservation.objects.filter(pk=reservation.pk).update(
            status=StockReservation.Status.HELD
        )
    return True
