"""The one module that talks to Stripe.

Everything else in the project calls these functions, receives the frozen
dataclasses below and catches ``PaymentError`` subclasses; no Stripe object or
exception leaves this module (an import-linter contract forbids importing
``stripe`` anywhere else). The client is built per call from settings, so
tests and ``make run`` point it at localstripe through ``STRIPE_API_BASE``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import stripe
from django.conf import settings

from core.digits import ascii_int
from shop import money

if TYPE_CHECKING:
    from stripe.params import PaymentIntentCreateParams


class PaymentError(Exception):
    """Base of the payment failures callers handle."""


class PaymentConfigurationError(PaymentError):
    """Stripe keys are missing: the shop cannot take payments."""


class PaymentDeclined(PaymentError):
    """The card was declined; the buyer may try another card."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class PaymentUnavailable(PaymentError):
    """Stripe could not be reached or answered with an error; safe to retry."""


class PaymentRejected(PaymentError):
    """Stripe refused the request as invalid (a bug or a tampered input)."""


class WebhookSignatureError(PaymentError):
    """A webhook whose signature or timestamp does not check out."""


@dataclass(frozen=True)
class PaymentIntentInfo:
    id: str
    status: str
    amount: int
    amount_received: int
    currency: str
    client_secret: str
    metadata: dict[str, str]
    latest_charge_id: str | None
    error_message: str


@dataclass(frozen=True)
class RefundInfo:
    id: str
    status: str
    amount: int
    currency: str
    payment_intent_id: str | None


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    created: int
    data_object: dict[str, Any]


def _client() -> stripe.StripeClient:
    key = settings.STRIPE_SECRET_KEY
    if not key:
        raise PaymentConfigurationError("STRIPE_SECRET_KEY is not set.")
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        key,
        stripe_version=settings.STRIPE_API_VERSION,
        base_addresses={"api": base} if base else None,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _translate(error: stripe.StripeError) -> PaymentError:
    if isinstance(error, stripe.CardError):
        return PaymentDeclined(error.user_message or str(error), error.code or "")
    if isinstance(error, stripe.InvalidRequestError):
        return PaymentRejected(error.user_message or str(error))
    if isinstance(error, stripe.AuthenticationError):
        return PaymentConfigurationError(str(error))
    return PaymentUnavailable(str(error) or error.__class__.__name__)


def _charge_id(value: Any) -> str | None:
    # Real Stripe sends an id string; localstripe (and expanded payloads) an object.
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value.get("id")


def payment_intent_from_dict(data: dict[str, Any]) -> PaymentIntentInfo:
    error = data.get("last_payment_error") or {}
    return PaymentIntentInfo(
        id=data["id"],
        status=data.get("status") or "",
        amount=int(data.get("amount") or 0),
        amount_received=int(data.get("amount_received") or 0),
        currency=(data.get("currency") or "").lower(),
        client_secret=data.get("client_secret") or "",
        metadata=dict(data.get("metadata") or {}),
        latest_charge_id=_charge_id(data.get("latest_charge")),
        error_message=(error.get("message") or "") if isinstance(error, dict) else "",
    )


def _pi(obj: Any) -> PaymentIntentInfo:
    return payment_intent_from_dict(obj.to_dict())


def payment_intent_create(
    *, amount: int, currency: str, order_number: str, order_uuid: str, attempt: int
) -> PaymentIntentInfo:
    """Create the order's PaymentIntent (card only, amount in whole VND).

    The idempotency key is derived from the order number and the attempt, so a
    retry after a timeout returns the same PaymentIntent at Stripe. Limits are
    checked first (``money.MoneyError``). Raises ``PaymentError`` subclasses.
    """
    checked = money.stripe_amount(amount, currency)
    # payment_method_types is what localstripe understands; the typed params of
    # stripe 16 only list its successor allowed_payment_method_types.
    params: dict[str, Any] = {
        "amount": checked.amount,
        "currency": checked.currency,
        "payment_method_types": ["card"],
        "metadata": {"order_number": order_number, "order_uuid": order_uuid},
    }
    try:
        intent = _client().v1.payment_intents.create(
            params=cast("PaymentIntentCreateParams", params),
            options={"idempotency_key": f"{order_number}-pi-{attempt}"},
        )
    except stripe.StripeError as error:
        raise _translate(error) from error
    return _pi(intent)


def payment_intent_retrieve(*, payment_intent_id: str) -> PaymentIntentInfo:
    """Ask Stripe for the current state of a PaymentIntent (reconciliation)."""
    try:
        return _pi(_client().v1.payment_intents.retrieve(payment_intent_id))
    except stripe.StripeError as error:
        raise _translate(error) from error


def payment_intent_pay_with_card(
    *, payment_intent_id: str, card_id: str
) -> PaymentIntentInfo:
    """Attach the card Stripe.js tokenised in the browser and confirm.

    ``card_id`` is the ``card_…`` id of a token made by Stripe.js
    ``createToken`` (raw card numbers never reach this server). The result may
    be ``succeeded``, ``processing`` or ``requires_action`` (3-D Secure, which
    the browser then completes). Only the webhook marks the order paid.
    Raises ``PaymentDeclined`` when the card is refused.
    """
    client = _client()
    try:
        client.v1.payment_intents.update(
            payment_intent_id, params={"payment_method": card_id}
        )
        intent = client.v1.payment_intents.confirm(payment_intent_id)
    except stripe.StripeError as error:
        raise _translate(error) from error
    return _pi(intent)


def payment_intent_cancel(*, payment_intent_id: str) -> PaymentIntentInfo:
    """Cancel an unpaid PaymentIntent so it can never be charged later."""
    try:
        return _pi(_client().v1.payment_intents.cancel(payment_intent_id))
    except stripe.StripeError as error:
        raise _translate(error) from error


def refund_create(
    *, payment_intent_id: str, amount: int, currency: str, key: str
) -> RefundInfo:
    """Refund ``amount`` (whole units) of a PaymentIntent; ``key`` makes it idempotent."""
    minor = money.to_minor_units(amount, currency)
    try:
        refund = _client().v1.refunds.create(
            params={"payment_intent": payment_intent_id, "amount": minor},
            options={"idempotency_key": f"refund-{key}"},
        )
    except stripe.StripeError as error:
        raise _translate(error) from error
    return refund_from_dict(refund.to_dict())


def refund_from_dict(data: dict[str, Any]) -> RefundInfo:
    return RefundInfo(
        id=data["id"],
        status=data.get("status") or "",
        amount=int(data.get("amount") or 0),
        currency=(data.get("currency") or "").lower(),
        payment_intent_id=_charge_id(data.get("payment_intent")),
    )


def _signature_timestamp(header: str) -> int:
    for item in header.split(","):
        key, _sep, value = item.partition("=")
        if key.strip() == "t":
            seconds = ascii_int(value, max_digits=12)
            if seconds is None:
                raise ValueError("malformed timestamp")
            return seconds
    raise ValueError("no timestamp")


def webhook_event_verify(
    *, payload: bytes, signature_header: str | None, now: float | None = None
) -> WebhookEvent:
    """Check a webhook's signature and timestamp and parse it.

    Stripe's library rejects stale timestamps only; a timestamp further than
    the tolerance in the future is rejected here too (a replayed or forged
    header should not become valid later). Raises ``WebhookSignatureError``.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise PaymentConfigurationError("STRIPE_WEBHOOK_SECRET is not set.")
    tolerance = settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature_header, secret, tolerance
        )
        timestamp = _signature_timestamp(signature_header or "")
    except stripe.SignatureVerificationError as error:
        raise WebhookSignatureError(str(error)) from error
    except (ValueError, IndexError) as error:
        raise WebhookSignatureError("Malformed signature header.") from error
    current = time.time() if now is None else now
    if timestamp > current + tolerance:
        raise WebhookSignatureError("Timestamp is in the future.")
    try:
        data = json.loads(payload)
        return WebhookEvent(
            id=str(data["id"]),
            type=str(data["type"]),
            created=int(data.get("created") or 0),
            data_object=dict(data["data"]["object"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise WebhookSignatureError("Signed payload is not a Stripe event.") from error


def webhook_signature_header(*, payload: str, secret: str, timestamp: int) -> str:
    """Sign a payload the way Stripe does (tests and the benchmark use it)."""
    return stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp=timestamp
    )
