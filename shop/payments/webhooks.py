"""Stripe webhook processing: verify -> record once -> lock -> dispatch.

The view hands over the raw body and signature header. In ONE transaction the
event id is inserted into ``ProcessedStripeEvent`` (primary key: a redelivery
or a concurrent duplicate fails the insert and becomes a no-op), the order
row is locked, and the handler applies the event through the services that
move state forward only. Unknown event types are acknowledged and ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction

from shop.models import Order, ProcessedStripeEvent
from shop.services import payments as payment_services
from shop.services import refunds as refund_services

from . import gateway

logger = logging.getLogger(__name__)

RESULT_PROCESSED = "processed"
RESULT_DUPLICATE = "duplicate"
RESULT_IGNORED = "ignored"


def _order_for_intent(intent: gateway.PaymentIntentInfo) -> Order | None:
    order = (
        Order.objects.select_for_update().filter(payment_intent_id=intent.id).first()
    )
    if order is None and intent.metadata.get("order_uuid"):
        # The PaymentIntent id was never saved (crash right after creating it):
        # the metadata written at creation still names the order.
        order = (
            Order.objects.select_for_update()
            .filter(
                public_id=intent.metadata["order_uuid"],
                number=intent.metadata.get("order_number", ""),
            )
            .first()
        )
    return order


def _payment_handler(outcome: str | None) -> Callable[[gateway.WebhookEvent], None]:
    def handle(event: gateway.WebhookEvent) -> None:
        intent = gateway.payment_intent_from_dict(event.data_object)
        order = _order_for_intent(intent)
        if order is None:
            logger.warning(
                "Stripe event %s for unknown PaymentIntent %s", event.id, intent.id
            )
            return
        payment_services.order_apply_payment_outcome(
            order=order, intent=intent, outcome=outcome
        )

    return handle


def _refund_handler(event: gateway.WebhookEvent) -> None:
    refund_services.refund_apply(info=gateway.refund_from_dict(event.data_object))


def _charge_refunded(event: gateway.WebhookEvent) -> None:
    refunds = (event.data_object.get("refunds") or {}).get("data") or []
    for refund in refunds:
        refund_services.refund_apply(info=gateway.refund_from_dict(refund))


HANDLERS: dict[str, Callable[[gateway.WebhookEvent], None]] = {
    "payment_intent.succeeded": _payment_handler(payment_services.OUTCOME_SUCCEEDED),
    "payment_intent.payment_failed": _payment_handler(payment_services.OUTCOME_FAILED),
    "payment_intent.canceled": _payment_handler(payment_services.OUTCOME_CANCELED),
    # Informational: the order stays "awaiting payment" until the outcome.
    "payment_intent.processing": _payment_handler(None),
    "refund.created": _refund_handler,
    "refund.updated": _refund_handler,
    "refund.failed": _refund_handler,
    "charge.refunded": _charge_refunded,
}


def webhook_process(*, payload: bytes, signature_header: str | None) -> str:
    """Verify and apply one delivery; returns processed / duplicate / ignored.

    Raises ``gateway.WebhookSignatureError`` (the view answers 400, nothing
    written) and ``gateway.PaymentConfigurationError``.
    """
    event = gateway.webhook_event_verify(
        payload=payload, signature_header=signature_header
    )
    handler = HANDLERS.get(event.type)
    if handler is None:
        return RESULT_IGNORED
    try:
        with transaction.atomic():
            ProcessedStripeEvent.objects.create(event_id=event.id, type=event.type)
            handler(event)
    except IntegrityError:
        # Either the event id was already recorded (redelivery), or a
        # concurrent delivery of the same event committed first.
        if ProcessedStripeEvent.objects.filter(event_id=event.id).exists():
            return RESULT_DUPLICATE
        raise
    return RESULT_PROCESSED
