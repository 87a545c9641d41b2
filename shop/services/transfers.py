"""Bank transfers (VietQR): starting one for an order, the buyer's instructions,
and matching what the bank reports to orders.

Every incoming transaction, from the bank feed or a statement import, goes
through ``bank_credit_record``: in ONE transaction the transaction is
inserted under its unique bank identity (a redelivery, a second import or the
two racing fail the insert and change nothing), the order named by the
reference in its content is locked, and only an exact, first, timely transfer
for an unpaid order marks it paid, through the same paid transition as a
card. Everything else is recorded and put in front of staff; nothing is
guessed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from shop import stock
from shop.errors import (
    OrderNotPayable,
    OutOfStock,
    TransferResolutionInvalid,
    TransferUnavailable,
)
from shop.models import (
    PAID_STATUSES,
    BankTransaction,
    Order,
    PaymentMethod,
    PaymentStatus,
    ReviewReason,
    StockReservation,
)
from shop.payments import vietqr

from .orders import hold_minutes, order_lock, transfer_reference_assign
from .payments import order_mark_paid
from .review import order_flag_review

logger = logging.getLogger(__name__)

# Why a transaction went to review (BankTransaction.reason and the order's
# review log); the codes and their labels are ``ReviewReason``.
REASON_UNKNOWN_REFERENCE = ReviewReason.UNKNOWN_REFERENCE
REASON_SEVERAL_REFERENCES = ReviewReason.SEVERAL_REFERENCES
REASON_NOT_TRANSFER_ORDER = ReviewReason.NOT_TRANSFER_ORDER
REASON_ALREADY_PAID = ReviewReason.ALREADY_PAID
REASON_SECOND_TRANSFER = ReviewReason.SECOND_TRANSFER
REASON_UNDERPAID = ReviewReason.UNDERPAID
REASON_OVERPAID = ReviewReason.OVERPAID
REASON_AFTER_EXPIRY = ReviewReason.AFTER_EXPIRY
REASON_NOT_PAYABLE = ReviewReason.NOT_PAYABLE


def transfer_provider() -> str:
    """The bank identity transactions are recorded under: the receiving bank.

    The same for the feed and the statement, so that both name one
    transaction by the same (provider, bank reference) pair.
    """
    return settings.SHOP_VIETQR_BANK_BIN or "bank"


@dataclass(frozen=True)
class BankCredit:
    """One transaction as the bank reports it, checked and typed."""

    bank_reference: str
    amount: int
    content: str
    source: str
    transacted_at: datetime | None = None
    feed_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    # Set for a transaction recorded but not matched: money going out, or
    # another account of ours (the feed may watch several).
    ignore_reason: str = ""


@dataclass(frozen=True)
class RecordResult:
    transaction: BankTransaction
    created: bool


# --- Starting a transfer and what the buyer is shown ---------------------------


@transaction.atomic
def order_vietqr_start(*, order: Order) -> Order:
    """Make ``order`` a VietQR order with its transfer reference; returns it fresh.

    For an order placed for a card that has no PaymentIntent yet (a buyer
    changing their mind on the payment page). The stock hold becomes the
    VietQR one, counted from when the order was placed. Raises
    ``OrderNotPayable``.
    """
    order = order_lock(order_id=order.pk)
    if order.payment_method == PaymentMethod.VIETQR and order.transfer_reference:
        return order
    now = timezone.now()
    if (
        not order.is_payable
        or order.payment_intent_id
        or order.payment_method != PaymentMethod.CARD
        or order.reserved_until <= now
    ):
        raise OrderNotPayable()
    until = max(
        order.reserved_until,
        order.created_at
        + timedelta(
            minutes=hold_minutes(PaymentMethod.VIETQR, is_guest=order.user_id is None)
        ),
    )
    Order.objects.filter(pk=order.pk).update(
        payment_method=PaymentMethod.VIETQR, reserved_until=until, updated_at=now
    )
    StockReservation.objects.filter(
        order=order, status=StockReservation.Status.HELD
    ).update(expires_at=until)
    transfer_reference_assign(order=order)
    order.refresh_from_db()
    return order


@dataclass(frozen=True)
class TransferInstructions:
    """What the payment page and email show for one VietQR order."""

    bank_name: str
    bank_bin: str
    account: str
    account_holder: str
    amount: int
    reference: str
    payload: str  # the VietQR (EMVCo) string to draw as a QR code
    expires_at: datetime


def vietqr_instructions(*, order: Order) -> TransferInstructions:
    """The VietQR payload and the bank details for ``order``.

    Raises ``TransferUnavailable`` when the receiving account is not set up
    (or is set up wrongly) and ``OrderNotPayable`` for an order that is not
    an unpaid VietQR order.
    """
    if order.payment_method != PaymentMethod.VIETQR or not order.transfer_reference:
        raise OrderNotPayable()
    if not order.is_payable:
        raise OrderNotPayable()
    bank_bin = settings.SHOP_VIETQR_BANK_BIN
    account = settings.SHOP_VIETQR_ACCOUNT
    holder = settings.SHOP_VIETQR_ACCOUNT_HOLDER
    if not (bank_bin and account and holder):
        logger.error("VietQR receiving account is not configured")
        raise TransferUnavailable()
    try:
        payload = vietqr.encode(
            vietqr.TransferQR(
                bank_bin=bank_bin,
                account=account,
                amount_vnd=order.total,
                purpose=order.transfer_reference,
            )
        )
    except vietqr.PayloadError as error:
        logger.error("VietQR payload for %s not made: %s", order.number, error)
        raise TransferUnavailable() from error
    return TransferInstructions(
        bank_name=settings.SHOP_VIETQR_BANK_NAME,
        bank_bin=bank_bin,
        account=account,
        account_holder=holder,
        amount=order.total,
        reference=order.transfer_reference,
        payload=payload,
        expires_at=order.reserved_until,
    )


# --- Recording and matching what the bank reports -------------------------------


def bank_credit_record(*, credit: BankCredit) -> RecordResult:
    """Record ``credit`` once and apply it to its order; ``created`` is False
    for a transaction already recorded (by the feed or an import)."""
    provider = transfer_provider()
    try:
        with transaction.atomic():
            record = BankTransaction.objects.create(
                provider=provider,
                bank_reference=credit.bank_reference,
                feed_id=credit.feed_id,
                source=credit.source,
                amount=credit.amount,
                content=credit.content,
                transacted_at=credit.transacted_at,
                raw=credit.raw,
                outcome=BankTransaction.Outcome.REVIEW,
            )
            _apply(record=record, credit=credit)
    except IntegrityError:
        # Recorded before, or a concurrent report of the same transaction
        # committed first (PostgreSQL makes this insert wait for it).
        existing = BankTransaction.objects.filter(
            provider=provider, bank_reference=credit.bank_reference
        ).first()
        if existing is None:
            raise
        return RecordResult(transaction=existing, created=False)
    return RecordResult(transaction=record, created=True)


def bank_malformed_record(
    *, fingerprint: str, raw: dict[str, Any], what: str
) -> BankTransaction:
    """Keep a signed notification we could not read, once per distinct body,
    so staff see it and a redelivery adds nothing."""
    record, _created = BankTransaction.objects.get_or_create(
        provider=transfer_provider(),
        bank_reference=f"malformed:{fingerprint}",
        defaults={
            "source": BankTransaction.Source.NOTIFICATION,
            "amount": 0,
            "raw": raw,
            "outcome": BankTransaction.Outcome.MALFORMED,
            "reason": "malformed",
            "note": f"Unreadable notification: bad {what}"[:255],
        },
    )
    return record


def _settle(
    record: BankTransaction,
    *,
    outcome: str,
    reason: str = "",
    note: str = "",
    order: Order | None = None,
) -> None:
    BankTransaction.objects.filter(pk=record.pk).update(
        outcome=outcome, reason=reason, note=note[:255], order=order
    )
    record.outcome, record.reason, record.note, record.order = (
        outcome,
        reason,
        note[:255],
        order,
    )


def _review(
    record: BankTransaction, *, reason: str, note: str, order: Order | None
) -> None:
    _settle(
        record,
        outcome=BankTransaction.Outcome.REVIEW,
        reason=reason,
        note=note,
        order=order,
    )
    if order is not None:
        order_flag_review(order=order, reason=reason, note=note)
    else:
        logger.warning(
            "Bank transaction %s needs review: %s", record.bank_reference, reason
        )


def _apply(*, record: BankTransaction, credit: BankCredit) -> None:
    if credit.ignore_reason:
        _settle(
            record, outcome=BankTransaction.Outcome.IGNORED, reason=credit.ignore_reason
        )
        return
    said = f"Transfer {credit.bank_reference} of {credit.amount} VND"
    references = vietqr.references_in(credit.content)
    order_ids = list(
        Order.objects.filter(transfer_reference__in=references)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not order_ids:
        _review(
            record,
            reason=REASON_UNKNOWN_REFERENCE,
            note=f"{said} names no order.",
            order=None,
        )
        return
    if len(order_ids) > 1:
        _review(
            record,
            reason=REASON_SEVERAL_REFERENCES,
            note=f"{said} names {len(order_ids)} orders.",
            order=None,
        )
        return
    order = order_lock(order_id=order_ids[0])
    reason, note = _mismatch(record=record, credit=credit, order=order, said=said)
    if reason:
        _review(record, reason=reason, note=note, order=order)
        return
    if not order_mark_paid(order=order):
        _review(
            record,
            reason=REASON_NOT_PAYABLE,
            note=f"{said}: the order could not be marked paid.",
            order=order,
        )
        return
    _settle(record, outcome=BankTransaction.Outcome.PAID, order=order)


def _mismatch(
    *, record: BankTransaction, credit: BankCredit, order: Order, said: str
) -> tuple[str, str]:
    """Why this transfer cannot pay ``order`` (locked), or ("", "") if it can."""
    if order.payment_method != PaymentMethod.VIETQR:
        return REASON_NOT_TRANSFER_ORDER, f"{said}: the order is not a bank transfer."
    if order.payment_status in PAID_STATUSES:
        return REASON_ALREADY_PAID, f"{said}: the order is already paid."
    earlier = BankTransaction.objects.filter(order=order).exclude(pk=record.pk).exists()
    if earlier:
        return REASON_SECOND_TRANSFER, f"{said}: another transfer came for this order."
    if credit.amount < order.total:
        return REASON_UNDERPAID, f"{said}; order total {order.total} VND."
    if credit.amount > order.total:
        return REASON_OVERPAID, f"{said}; order total {order.total} VND."
    if order.payment_status == PaymentStatus.EXPIRED:
        return REASON_AFTER_EXPIRY, f"{said} after the order expired; {_rehold(order)}"
    return "", ""


def _rehold(order: Order) -> str:
    """Hold the expired order's units again if nobody bought them meanwhile."""
    try:
        with transaction.atomic():
            stock.stock_rehold(order=order)
    except OutOfStock:
        return "stock was sold meanwhile."
    return "stock re-held."


# --- Staff resolving a transaction that went to review -----------------------


def _reviewed(record_id: int) -> BankTransaction:
    record = BankTransaction.objects.select_for_update().get(pk=record_id)
    if record.outcome != BankTransaction.Outcome.REVIEW:
        raise TransferResolutionInvalid()
    return record


@transaction.atomic
def bank_transaction_attach(
    *, record: BankTransaction, order: Order, by: User
) -> BankTransaction:
    """Staff decide that a transaction in review pays ``order`` (e.g. the buyer
    mistyped the reference). Only the order's exact total pays it, through the
    same paid transition; anything else stays for a refund. Raises
    ``TransferResolutionInvalid``.
    """
    record = _reviewed(record.pk)
    order = order_lock(order_id=order.pk)
    if (
        order.payment_method != PaymentMethod.VIETQR
        or order.payment_status in PAID_STATUSES
        or record.amount != order.total
        or BankTransaction.objects.filter(order=order, outcome="paid").exists()
    ):
        raise TransferResolutionInvalid()
    if not order_mark_paid(order=order):
        raise TransferResolutionInvalid()
    _resolve(record, outcome=BankTransaction.Outcome.PAID, order=order, by=by)
    return record


@transaction.atomic
def bank_transaction_mark_refunded(
    *, record: BankTransaction, by: User, note: str = ""
) -> BankTransaction:
    """Staff sent the money back from the bank (a wrong amount, a second or
    late transfer, an unknown sender). The order, if any, is left as it is.
    Raises ``TransferResolutionInvalid``."""
    record = _reviewed(record.pk)
    _resolve(
        record,
        outcome=BankTransaction.Outcome.REFUNDED,
        order=record.order,
        by=by,
        note=note or record.note,
    )
    return record


def _resolve(
    record: BankTransaction,
    *,
    outcome: str,
    order: Order | None,
    by: User,
    note: str | None = None,
) -> None:
    now = timezone.now()
    fields = {"outcome": outcome, "order": order, "resolved_by": by, "resolved_at": now}
    if note is not None:
        fields["note"] = note[:255]
    BankTransaction.objects.filter(pk=record.pk).update(**fields)
    record.refresh_from_db()
