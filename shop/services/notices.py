"""Buyer notices of one brand's part: recorded with the event, sent after commit.

``buyer_notice_record`` runs inside the transaction that ships, delivers or
refunds the part (``services.fulfilment``, ``services.cod``,
``services.refunds``), so a notice exists exactly when its event committed;
the model's constraints keep it to one per step and one per refund. The
email goes out from a task after commit (``shop.emails.buyer_notice_deliver``
marks it sent); ``buyer_notices_requeue`` (from ``shop_reconcile``) sends
the ones a dead worker left.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from shop.models import BuyerNotice, Refund
from shop.tasks import buyer_notice_send


def buyer_notice_record(
    *, fulfilment_id: int, kind: str, refund: Refund | None = None
) -> BuyerNotice:
    """The notice of this step (or refund) of the part, made once; the caller
    holds the part's row lock."""
    if refund is not None:
        notice, created = BuyerNotice.objects.get_or_create(
            refund=refund,
            defaults={
                "fulfilment_id": fulfilment_id,
                "kind": BuyerNotice.Kind.REFUNDED,
            },
        )
    else:
        notice, created = BuyerNotice.objects.get_or_create(
            fulfilment_id=fulfilment_id, kind=kind
        )
    if created:
        notice_id = notice.pk
        transaction.on_commit(lambda: buyer_notice_send.enqueue(notice_id))
    return notice


def buyer_notices_requeue(*, created_before: datetime, created_after: datetime) -> int:
    """Queue the notices still unsent that were made in this window."""
    owed = BuyerNotice.objects.filter(
        sent_at__isnull=True,
        created_at__lte=created_before,
        created_at__gte=created_after,
    ).values_list("pk", flat=True)
    queued = 0
    for notice_id in list(owed):
        buyer_notice_send.enqueue(notice_id)
        queued += 1
    return queued
