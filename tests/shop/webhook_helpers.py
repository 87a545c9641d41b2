"""Signed Stripe events built the way Stripe sends them (no mocking)."""

from __future__ import annotations

import json
import time

from django.test import Client, TestCase

from shop.payments.gateway import webhook_signature_header

from .conftest import WEBHOOK_SECRET

STATUS_FOR_TYPE = {
    "payment_intent.succeeded": "succeeded",
    "payment_intent.payment_failed": "requires_payment_method",
    "payment_intent.canceled": "canceled",
    "payment_intent.processing": "processing",
}


def pi_event(
    event_id: str, event_type: str, order, *, amount=None, currency="vnd", pi_id=None
):
    status = STATUS_FOR_TYPE[event_type]
    amount = order.total if amount is None else amount
    intent = {
        "id": pi_id or order.payment_intent_id,
        "object": "payment_intent",
        "status": status,
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": currency,
        "metadata": {"order_number": order.number, "order_uuid": str(order.public_id)},
        "latest_charge": "ch_test",
        "last_payment_error": {"message": "Your card was declined."}
        if status == "requires_payment_method"
        else None,
    }
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": intent},
        }
    )


def send(
    payload: str, *, client=None, timestamp=None, secret=WEBHOOK_SECRET, header=None
):
    client = client or Client()
    if header is None:
        header = webhook_signature_header(
            payload=payload, secret=secret, timestamp=int(timestamp or time.time())
        )
    # Emails go out on commit; inside a test transaction run those callbacks.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/stripe/webhook/",
            data=payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
