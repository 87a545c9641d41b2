"""Bank-feed notifications: verify -> read -> record once -> match.

Vietnamese bank-feed services (SePay, Casso) watch the shop's account and
POST one JSON notification per transaction, at least once, possibly late or
twice. We take SePay's shape::

    {"id": 92704, "gateway": "Vietcombank", "transactionDate": "2023-03-25 14:02:37",
     "accountNumber": "0123499999", "content": "AG7K3M9P chuyen tien",
     "transferType": "in", "transferAmount": 2277000, "referenceCode": "FT23084…"}

signed with a shared secret: ``X-Bank-Feed-Timestamp`` (Unix seconds) and
``X-Bank-Feed-Signature`` = hex HMAC-SHA256 of ``"{timestamp}." + raw body``,
compared in constant time; a timestamp outside the tolerance is refused so a
captured request cannot be replayed later. The bank's ``referenceCode`` is
the idempotency key (the statement carries it too), scoped by the receiving
bank; matching is ``shop.services.transfers``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from core.digits import ascii_int
from shop.models import BankTransaction
from shop.services import transfers

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Bank-Feed-Signature"
TIMESTAMP_HEADER = "X-Bank-Feed-Timestamp"
MAX_REFERENCE_LENGTH = 120
MAX_CONTENT_LENGTH = 1000
# Largest transfer amount read (15 digits: far above any NAPAS 247 limit).
MAX_AMOUNT = 10**15 - 1
# Wall-clock formats the services send, in Vietnam's time (settings.TIME_ZONE).
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S")

RESULT_PROCESSED = "processed"
RESULT_DUPLICATE = "duplicate"


class BankFeedSignatureError(Exception):
    """Unsigned, badly signed or stale: answered 400, nothing written."""


class BankFeedConfigurationError(Exception):
    """No shared secret configured: answered 503 so the service retries later."""


class MalformedNotification(Exception):
    """Signed, but not a transaction we can read: recorded once, answered 400."""


def _secret() -> bytes:
    secret = settings.SHOP_BANK_FEED_SECRET
    if not secret:
        raise BankFeedConfigurationError("SHOP_BANK_FEED_SECRET is not set.")
    return secret.encode()


def notification_signature(*, payload: bytes, secret: str, timestamp: int) -> str:
    """The signature header value for ``payload`` (the fake sender and tests)."""
    message = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def notification_verify(
    *,
    payload: bytes,
    signature: str | None,
    timestamp: str | None,
    now: float | None = None,
) -> None:
    """Raise ``BankFeedSignatureError`` unless the request is signed and fresh."""
    secret = _secret()
    if not signature or not timestamp:
        raise BankFeedSignatureError("Missing signature headers.")
    stamp = timestamp.strip()
    stamp_seconds = ascii_int(stamp, max_digits=12)
    if stamp_seconds is None:
        raise BankFeedSignatureError("Malformed timestamp.")
    message = stamp.encode() + b"." + payload
    expected = hmac.new(secret, message, hashlib.sha256).hexdigest()
    given = signature.strip().removeprefix("sha256=").lower()
    # compare_digest needs ASCII str; a non-ASCII header is simply wrong.
    if not given.isascii() or not hmac.compare_digest(expected, given):
        raise BankFeedSignatureError("Signature does not match.")
    current = time.time() if now is None else now
    if abs(current - stamp_seconds) > settings.SHOP_BANK_FEED_TOLERANCE_SECONDS:
        raise BankFeedSignatureError("Timestamp outside the tolerance.")


def _text(data: dict[str, Any], key: str, *, required: bool, limit: int) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedNotification(key)
    text = str(value).strip()
    if (required and not text) or len(text) > limit:
        raise MalformedNotification(key)
    return text


def _amount(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    # Whole đồng only: bool is an int in Python, and a float (or "1.5") is
    # not an amount the bank sends for VND.
    if isinstance(value, str):
        value = ascii_int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedNotification(key)
    if not 0 < value <= MAX_AMOUNT:
        raise MalformedNotification(key)
    return value


def _time(data: dict[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise MalformedNotification(key)
    for layout in TIME_FORMATS:
        try:
            parsed = datetime.strptime(value.strip(), layout)
        except ValueError:
            continue
        return timezone.make_aware(parsed)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise MalformedNotification(key) from error
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def credit_from(data: Any) -> transfers.BankCredit:
    """The transaction a notification reports; raises ``MalformedNotification``."""
    if not isinstance(data, dict):
        raise MalformedNotification("body")
    reference = _text(data, "referenceCode", required=True, limit=MAX_REFERENCE_LENGTH)
    feed_id = _text(data, "id", required=False, limit=MAX_REFERENCE_LENGTH)
    content = _text(data, "content", required=False, limit=MAX_CONTENT_LENGTH)
    description = _text(data, "description", required=False, limit=MAX_CONTENT_LENGTH)
    direction = _text(data, "transferType", required=False, limit=10).lower() or "in"
    if direction not in ("in", "out", "credit", "debit"):
        raise MalformedNotification("transferType")
    amount = _amount(data, "transferAmount")
    transacted_at = _time(data, "transactionDate")
    account = _text(data, "accountNumber", required=False, limit=40)
    ignore = ""
    if direction in ("out", "debit"):
        ignore = "outgoing"
    elif (
        account
        and settings.SHOP_VIETQR_ACCOUNT
        and account != settings.SHOP_VIETQR_ACCOUNT
    ):
        ignore = "other_account"
    return transfers.BankCredit(
        bank_reference=reference,
        feed_id=feed_id,
        amount=amount,
        # Some services put the buyer's words in "description" (the whole
        # bank message) and leave "content" empty; the matcher reads both.
        content=" ".join(part for part in (content, description) if part),
        transacted_at=transacted_at,
        source=BankTransaction.Source.NOTIFICATION,
        raw=data,
        ignore_reason=ignore,
    )


def notification_process(
    *, payload: bytes, signature: str | None, timestamp: str | None
) -> str:
    """Verify and apply one delivery; returns processed / duplicate.

    Raises ``BankFeedSignatureError`` (400, nothing written),
    ``MalformedNotification`` (400: signed but unreadable; the body is kept
    once for staff) and ``BankFeedConfigurationError`` (503).
    """
    notification_verify(payload=payload, signature=signature, timestamp=timestamp)
    data: Any = None
    try:
        data = _json(payload)
        credit = credit_from(data)
    except MalformedNotification as error:
        raw = (
            data
            if isinstance(data, dict)
            else {
                "body": payload.decode("utf-8", errors="replace").replace("\x00", "")[
                    :10_000
                ]
            }
        )
        transfers.bank_malformed_record(
            fingerprint=hashlib.sha256(payload).hexdigest(), raw=raw, what=str(error)
        )
        logger.error("Malformed bank-feed notification: bad %s", error)
        raise
    result = transfers.bank_credit_record(credit=credit)
    return RESULT_PROCESSED if result.created else RESULT_DUPLICATE


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON, and PostgreSQL's jsonb refuses them.
    raise ValueError(name)


def _json(payload: bytes) -> Any:
    # PostgreSQL stores neither NUL characters (text, jsonb) nor lone UTF-16
    # surrogates: such a body is refused here rather than failing the insert.
    if b"\x00" in payload or b"\\u0000" in payload.lower():
        raise MalformedNotification("JSON")
    try:
        data = json.loads(payload, parse_constant=_no_constant)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError, UnicodeError) as error:
        raise MalformedNotification("JSON") from error
    return data
