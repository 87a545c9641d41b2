"""Signed bank-feed notifications built the way SePay sends them (no mocking)."""

from __future__ import annotations

import itertools
import json
import time
import uuid

from django.test import Client, TestCase

from shop.models import PaymentMethod
from shop.payments.bankfeed import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    notification_signature,
)
from shop.services import orders as order_services

from .conftest import ACCOUNT, BANK_FEED_SECRET, DETAILS, filled_cart

URL = "/shop/bank-feed/"

_ids = itertools.count(1)


def place_vietqr(items: dict):
    return order_services.order_place(
        cart=filled_cart(items),
        checkout_token=uuid.uuid4(),
        details=DETAILS,
        user=None,
        language="vi",
        expected_total=None,
        payment_method=PaymentMethod.VIETQR,
    )


def notification(
    *,
    amount: int,
    content: str,
    reference: str | None = None,
    direction: str = "in",
    account: str = ACCOUNT,
    **extra,
) -> bytes:
    n = next(_ids)
    body = {
        "id": 90000 + n,
        "gateway": "Vietcombank",
        "transactionDate": "2026-12-07 14:02:37",
        "accountNumber": account,
        "code": None,
        "content": content,
        "transferType": direction,
        "transferAmount": amount,
        "accumulated": 19_077_000,
        "subAccount": None,
        "referenceCode": reference or f"FT{uuid.uuid4().hex[:12].upper()}",
        "description": "",
    }
    body.update(extra)
    return json.dumps(body).encode()


def send(
    payload: bytes,
    *,
    client=None,
    secret: str = BANK_FEED_SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
):
    client = client or Client()
    stamp = int(time.time()) if timestamp is None else timestamp
    if signature is None:
        signature = notification_signature(
            payload=payload, secret=secret, timestamp=stamp
        )
    headers = {
        f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": signature,
        f"HTTP_{TIMESTAMP_HEADER.upper().replace('-', '_')}": str(stamp),
    }
    # Emails go out on commit; inside a test transaction run those callbacks.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            URL, data=payload, content_type="application/json", **headers
        )
