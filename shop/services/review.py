"""Putting an order in front of staff: the one place that flags an order for review.

Every path that refuses to act on its own (a card payment of the wrong
amount, a bank transfer that does not fit its order, a payment after the
stock was sold) calls ``order_flag_review`` and nothing else, so the way
staff are told can change in one place.

Each flag is one ``OrderReviewEntry`` (the history staff read on the order's
admin screen); the order's ``needs_review`` and ``review_note`` stay a short
summary for listings and older readers.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from shop.models import Order, OrderReviewEntry

logger = logging.getLogger(__name__)

NOTE_LENGTH = Order._meta.get_field("review_note").max_length or 255


@transaction.atomic
def order_flag_review(*, order: Order, reason: str, note: str) -> None:
    """Mark ``order`` as needing staff review; ``reason`` is a ``ReviewReason`` code.

    The full reason and note go to the log. The order's summary keeps the
    earlier note in front (the first problem is usually the one to solve),
    the new one appended, within the column's length.
    """
    OrderReviewEntry.objects.create(order_id=order.pk, reason=reason, note=note)
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
