"""Putting an order in front of staff: the one place that flags an order for review.

Every path that refuses to act on its own (a card payment of the wrong
amount, a bank transfer that does not fit its order, a payment after the
stock was sold) calls ``order_flag_review`` and nothing else, so the way
staff are told (today the order's flag and note) can change in one place.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from shop.models import Order

logger = logging.getLogger(__name__)

NOTE_LENGTH = Order._meta.get_field("review_note").max_length or 255


def order_flag_review(*, order: Order, reason: str, note: str) -> None:
    """Mark ``order`` as needing staff review; ``reason`` is a short machine code.

    The order's earlier note is kept in front (the first problem is usually
    the one to solve), the new one appended, within the column's length.
    """
    current = (
        Order.objects.filter(pk=order.pk).values_list("review_note", flat=True).first()
        or ""
    )
    entry = f"[{reason}] {note}"
    combined = f"{current}; {entry}" if current else entry
    if len(combined) > NOTE_LENGTH:
        combined = combined[: NOTE_LENGTH - 1] + "…"
    Order.objects.filter(pk=order.pk).update(
        needs_review=True, review_note=combined, updated_at=timezone.now()
    )
    order.needs_review = True
    order.review_note = combined
    logger.warning("Order %s needs review: %s %s", order.number, reason, note)
