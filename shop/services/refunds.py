"""Refunds of one brand's part of a paid order, through Stripe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shop.errors import PaymentServiceUnavailable, RefundInvalid
from shop.models import (
    BuyerNotice,
    Order,
    OrderFulfilment,
    PaymentStatus,
    Refund,
    ReviewReason,
)
from shop.payments import gateway

from .ledger import payables_book_refund
from .notices import buyer_notice_record
from .orders import order_lock, order_set_payment_status
from .review import order_flag_review

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def _refund_record(
    *, fulfilment_id: int, amount: int, reason: str, user: User
) -> Refund:
    fulfilment = OrderFulfilment.objects.select_for_update().get(pk=fulfilment_id)
    order = order_lock(order_id=fulfilment.order_id)
    if not order.is_paid or order.payment_status == PaymentStatus.REFUNDED:
        raise RefundInvalid()
    pending = sum(
        Refund.objects.filter(
            fulfilment=fulfilment, status=Refund.Status.REQUESTED
        ).values_list("amount", flat=True)
    )
    if amount < 1 or amount > fulfilment.refundable - pending:
        raise RefundInvalid()
    return Refund.objects.create(
        order=order,
        fulfilment=fulfilment,
        amount=amount,
        reason=reason,
        requested_by=user,
    )


def refund_request(
    *, fulfilment: OrderFulfilment, amount: int, reason: str, user: User
) -> Refund:
    """Refund ``amount`` of one brand's part of a paid order through Stripe.

    The refund row is saved first (so the amount is held against over-refunds),
    then Stripe is called with the row's UUID as idempotency key. The order's
    refunded amount and the ledger change when Stripe reports success (the
    API answer or the refund webhook, whichever comes first, applies once).
    Raises ``RefundInvalid`` or ``PaymentServiceUnavailable``.
    """
    intent_id = fulfilment.order.payment_intent_id
    if not intent_id:
        # Only a card payment can be refunded through Stripe.
        raise RefundInvalid()
    refund = _refund_record(
        fulfilment_id=fulfilment.pk, amount=amount, reason=reason, user=user
    )
    order = refund.order
    try:
        info = gateway.refund_create(
            payment_intent_id=intent_id,
            amount=amount,
            currency=order.currency,
            key=str(refund.public_id),
        )
    except gateway.PaymentError as error:
        Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.FAILED)
        raise PaymentServiceUnavailable() from error
    Refund.objects.filter(pk=refund.pk).update(stripe_refund_id=info.id)
    refund_apply(info=info)
    refund.refresh_from_db()
    return refund


@transaction.atomic
def refund_apply(*, info: gateway.RefundInfo) -> bool:
    """Apply Stripe's state of a refund once; True if something changed."""
    refund = Refund.objects.select_for_update().filter(stripe_refund_id=info.id).first()
    if refund is None:
        order = Order.objects.filter(payment_intent_id=info.payment_intent_id).first()
        if order is not None:
            # Made outside this site (Stripe dashboard): staff must attribute it.
            order_flag_review(
                order=order,
                reason=ReviewReason.UNKNOWN_REFUND,
                note=f"Unknown refund {info.id} at Stripe.",
            )
        return False
    if refund.status != Refund.Status.REQUESTED:
        return False
    if info.status in ("failed", "canceled"):
        Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.FAILED)
        return True
    if info.status != "succeeded":
        return False
    order = order_lock(order_id=refund.order_id)
    fulfilment = OrderFulfilment.objects.select_for_update().get(
        pk=refund.fulfilment_id
    )
    Refund.objects.filter(pk=refund.pk).update(
        status=Refund.Status.SUCCEEDED, applied_at=timezone.now()
    )
    OrderFulfilment.objects.filter(pk=fulfilment.pk).update(
        amount_refunded=F("amount_refunded") + refund.amount
    )
    refunded = order.amount_refunded + refund.amount
    Order.objects.filter(pk=order.pk).update(amount_refunded=refunded)
    order.amount_refunded = refunded
    order_set_payment_status(
        order=order,
        status=PaymentStatus.REFUNDED
        if refunded >= order.total
        else PaymentStatus.PARTIALLY_REFUNDED,
    )
    payables_book_refund(order=order, fulfilment=fulfilment, refund=refund)
    buyer_notice_record(
        fulfilment_id=fulfilment.pk, kind=BuyerNotice.Kind.REFUNDED, refund=refund
    )
    return True
