"""Stripe webhook processing: verify -> record once -> lock -> dispatch.

The view hands over the raw body and signature header. In ONE transaction the
event id is inserted into ``ProcessedStripeEvent`` (primary key: a redelivery
or a concurrent duplicate fails the insert and becomes a no-op), the order
row is locked, and the handler applies the event through the services that
move state forward only. Unknown event types are acknowledged and ignored.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from shop.models import Order, ProcessedStripeEvent
from shop.services import payments as payment_services
from shop.services import refunds as refund_services

from . import gateway

logger = logging.getLogger(__name__)

RESULT_PROCESSED = "processed"
RESULT_DUPLICATE = "duplicate"
RESULT_IGNORED = "ignored"
# Stripe ids are short; anything longer is junk (and would not fit a column).
MAX_ID_LENGTH = 255


class MalformedWebhookEvent(Exception):
    """A signed event whose object is not what Stripe sends: recorded, not applied."""


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise MalformedWebhookEvent(what)


def _check_id(value: Any, what: str) -> None:
    _require(isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH, what)


def _check_number(data: dict[str, Any], key: str) -> None:
    value = data.get(key)
    # bool is an int in Python; Stripe never sends one for an amount.
    ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
    _require(ok and (value is None or value >= 0), key)


def _check_text(data: dict[str, Any], key: str) -> None:
    value = data.get(key)
    _require(value is None or isinstance(value, str), key)


def _check_reference(value: Any, what: str) -> None:
    # An id string, or (localstripe, expanded payloads) an object with an id.
    if value is None:
        return
    if isinstance(value, dict):
        value = value.get("id")
    _check_id(value, what)


def _intent_from(data: dict[str, Any]) -> gateway.PaymentIntentInfo:
    _check_id(data.get("id"), "id")
    for key in ("amount", "amount_received"):
        _check_number(data, key)
    for key in ("status", "currency", "client_secret"):
        _check_text(data, key)
    metadata = data.get("metadata")
    _require(metadata is None or isinstance(metadata, dict), "metadata")
    for key, value in (metadata or {}).items():
        _require(isinstance(key, str) and isinstance(value, str), "metadata")
    order_uuid = (metadata or {}).get("order_uuid")
    if order_uuid:
        try:
            uuid.UUID(order_uuid)
        except ValueError as bad:
            raise MalformedWebhookEvent("metadata.order_uuid") from bad
    _check_reference(data.get("latest_charge"), "latest_charge")
    error = data.get("last_payment_error")
    _require(error is None or isinstance(error, dict), "last_payment_error")
    if isinstance(error, dict):
        _check_text(error, "message")
    return gateway.payment_intent_from_dict(data)


def _refund_from(data: Any) -> gateway.RefundInfo:
    _require(isinstance(data, dict), "refund")
    _check_id(data.get("id"), "id")
    _check_number(data, "amount")
    for key in ("status", "currency"):
        _check_text(data, key)
    _check_reference(data.get("payment_intent"), "payment_intent")
    return gateway.refund_from_dict(data)


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
        intent = _intent_from(event.data_object)
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
    refund_services.refund_apply(info=_refund_from(event.data_object))


def _charge_refunded(event: gateway.WebhookEvent) -> None:
    refunds = event.data_object.get("refunds") or {}
    _require(isinstance(refunds, dict), "refunds")
    items = refunds.get("data") or []
    _require(isinstance(items, list), "refunds.data")
    # Every refund is checked before any is applied: all or nothing.
    for info in [_refund_from(item) for item in items]:
        refund_services.refund_apply(info=info)


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
    written), ``MalformedWebhookEvent`` (400: signed, but its object is not
    what Stripe sends; only the event id is recorded, so a redelivery is a
    no-op rather than a retry loop, and the log names it for staff) and
    ``gateway.PaymentConfigurationError``.
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
    except MalformedWebhookEvent as error:
        # The handler's writes rolled back with the transaction; record the id
        # alone. get_or_create: a concurrent delivery may have recorded it.
        logger.error(
            "Malformed Stripe event %s (%s): bad %s", event.id, event.type, error
        )
        ProcessedStripeEvent.objects.get_or_create(
            event_id=event.id, defaults={"type": event.type}
        )
        raise
    return RESULT_PROCESSED
