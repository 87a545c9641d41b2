"""Fulfilment: one brand's part of a paid order, new -> packed -> shipped -> delivered."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from shop.errors import InvalidOrderStatus
from shop.models import FulfilmentStatus, OrderFulfilment, PaymentMethod

from .notices import buyer_notice_record

# The steps the buyer is emailed about (with the carrier and tracking number
# when shipped); the same for cash on delivery (services.cod).
NOTICED_STEPS = (FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED)

FULFILMENT_TRANSITIONS: dict[str, set[str]] = {
    FulfilmentStatus.NEW: {
        FulfilmentStatus.PACKED,
        FulfilmentStatus.SHIPPED,
        FulfilmentStatus.CANCELLED,
    },
    FulfilmentStatus.PACKED: {FulfilmentStatus.SHIPPED, FulfilmentStatus.CANCELLED},
    FulfilmentStatus.SHIPPED: {FulfilmentStatus.DELIVERED},
    FulfilmentStatus.DELIVERED: set(),
    FulfilmentStatus.CANCELLED: set(),
    # Cash-on-delivery states (services.cod); never reached on this path.
    FulfilmentStatus.CONFIRMED: set(),
    FulfilmentStatus.RETURNED: set(),
}


@transaction.atomic
def fulfilment_update(
    *,
    fulfilment: OrderFulfilment,
    status: str,
    carrier: str = "",
    tracking_number: str = "",
) -> OrderFulfilment:
    """Move one brand's part of a paid order along new -> packed -> shipped -> delivered."""
    locked = OrderFulfilment.objects.select_for_update().get(pk=fulfilment.pk)
    if locked.order.payment_method == PaymentMethod.COD:
        # Cash parts move only through services.cod, which releases, commits
        # and books as they go; a bare status change here would leave the
        # stock held (cancelled) or the cash unbooked (delivered).
        raise InvalidOrderStatus()
    if not locked.order.is_paid and status != FulfilmentStatus.CANCELLED:
        raise InvalidOrderStatus()
    if status != locked.status and status not in FULFILMENT_TRANSITIONS[locked.status]:
        raise InvalidOrderStatus()
    moved = status != locked.status
    OrderFulfilment.objects.filter(pk=locked.pk).update(
        status=status,
        carrier=carrier.strip(),
        tracking_number=tracking_number.strip(),
        updated_at=timezone.now(),
    )
    locked.refresh_from_db()
    if moved and status in NOTICED_STEPS:
        buyer_notice_record(fulfilment_id=locked.pk, kind=status)
    return locked
