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

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import transaction
from django.db.models import F

from brands.selectors import cache_keys_of_variants
from core.page_cache import page_cache_purge_keys

from .errors import OutOfStock
from .models import Order, StockRecord, StockReservation, availability_level


def _sold_out(stock_ids: Iterable[int]) -> dict[int, str]:
    """Each record's availability level as buyers see it (see availability_level)."""
    return {
        pk: availability_level(available=on_hand - reserved, threshold=threshold)
        for pk, on_hand, reserved, threshold in StockRecord.objects.filter(
            pk__in=stock_ids
        ).values_list(
            "pk", "quantity_on_hand", "quantity_reserved", "low_stock_threshold"
        )
    }


@contextmanager
def purging_pages_when_availability_flips(stock_ids: Iterable[int]) -> Iterator[None]:
    """Purge the page cache after commit if a variant's availability level moved.

    Cached product pages, listings and the home page show only the level
    (in stock, running low, sold out; never a count), so most stock moves
    leave them right; only a move between levels purges the pages showing
    that product (by key, see core.page_cache).
    """
    ids = list(stock_ids)
    before = _sold_out(ids)
    yield
    after = _sold_out(ids)
    flipped = [pk for pk in ids if before.get(pk) != after.get(pk)]
    if flipped:
        variant_ids = StockRecord.objects.filter(pk__in=flipped).values_list(
            "variant_id", flat=True
        )
        keys = cache_keys_of_variants(variant_ids)
        transaction.on_commit(lambda: page_cache_purge_keys(keys))


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
    with purging_pages_when_availability_flips(r.pk for r in records.values()):
        short = _reserve_each(order, quantities, titles, expires_at, records)
    if short:
        raise OutOfStock(short)


def _reserve_each(order, quantities, titles, expires_at, records) -> list[str]:
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
    return short


def _held(order: Order, variant_ids: Collection[int] | None = None):
    held = StockReservation.objects.select_for_update().filter(
        order=order, status=StockReservation.Status.HELD
    )
    if variant_ids is not None:
        held = held.filter(stock__variant_id__in=variant_ids)
    return list(held.order_by("stock_id"))


def stock_commit(*, order: Order, variant_ids: Collection[int] | None = None) -> int:
    """Turn the order's held units into sold ones (on hand and reserved both drop).

    ``variant_ids`` limits it to one brand's part (cash on delivery settles
    per part). Availability does not change, so cached pages stay right.
    """
    count = 0
    for reservation in _held(order, variant_ids):
        StockRecord.objects.filter(pk=reservation.stock_id).update(
            quantity_on_hand=F("quantity_on_hand") - reservation.quantity,
            quantity_reserved=F("quantity_reserved") - reservation.quantity,
        )
        StockReservation.objects.filter(pk=reservation.pk).update(
            status=StockReservation.Status.SOLD
        )
        count += 1
    return count


def stock_release(*, order: Order, variant_ids: Collection[int] | None = None) -> int:
    """Give the order's held units (or those of ``variant_ids``) back to other
    buyers; units already released or sold are not touched, so a second call
    releases nothing."""
    held = _held(order, variant_ids)
    with purging_pages_when_availability_flips(r.stock_id for r in held):
        for reservation in held:
            StockRecord.objects.filter(pk=reservation.stock_id).update(
                quantity_reserved=F("quantity_reserved") - reservation.quantity
            )
            StockReservation.objects.filter(pk=reservation.pk).update(
                status=StockReservation.Status.RELEASED
            )
    return len(held)


def stock_rehold(*, order: Order) -> bool:
    """Re-take released units for an order paid after it expired.

    Returns False (nothing changed) when the units are gone meanwhile.
    """
    released = list(
        StockReservation.objects.select_for_update()
        .filter(order=order, status=StockReservation.Status.RELEASED)
        .order_by("stock_id")
    )
    with purging_pages_when_availability_flips(r.stock_id for r in released):
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
