"""Paying: the order's one PaymentIntent, card confirmation, and applying
what Stripe says about it (the only way an order becomes paid).

Stripe is never called inside a database transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shop import money, stock
from shop.errors import (
    OrderNotPayable,
    OutOfStock,
    PaymentFailed,
    PaymentServiceUnavailable,
)
from shop.models import Order, PaymentMethod, PaymentStatus, ReviewReason
from shop.payments import gateway
from shop.tasks import order_paid_emails_send

from .ledger import payables_book_sale
from .orders import (
    PAYMENT_TRANSITIONS,
    order_amount_error,
    order_lock,
    order_set_payment_status,
)
from .review import order_flag_review

logger = logging.getLogger(__name__)


def order_payment_start(*, order: Order) -> Order:
    """Make sure the order has its one PaymentIntent; returns the fresh order.

    Parallel callers race for a claim (a conditional UPDATE); only the winner
    calls Stripe, with an idempotency key from the order number and attempt,
    so a crash between Stripe's answer and saving the id is repaired by the
    next caller with the same key. Raises ``PaymentServiceUnavailable``.
    """
    order.refresh_from_db()
    if order.payment_intent_id or not order.is_payable:
        return order
    if order.payment_method != PaymentMethod.CARD:
        # A bank transfer or cash order never gets a PaymentIntent.
        return order
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SHOP_PAYMENT_CLAIM_SECONDS)
    claimed = (
        Order.objects.filter(pk=order.pk, payment_intent_id__isnull=True)
        .filter(Q(payment_claimed_at__isnull=True) | Q(payment_claimed_at__lt=stale))
        .update(payment_claimed_at=now)
    )
    if not claimed:
        order.refresh_from_db()
        return order
    try:
        intent = gateway.payment_intent_create(
            amount=order.total,
            currency=order.currency,
            order_number=order.number,
            order_uuid=str(order.public_id),
            attempt=order.payment_attempt,
        )
    except money.MoneyError as error:
        Order.objects.filter(pk=order.pk).update(payment_claimed_at=None)
        raise order_amount_error(error=error) from error
    except gateway.PaymentError as error:
        Order.objects.filter(pk=order.pk).update(payment_claimed_at=None)
        logger.warning("PaymentIntent for %s not created: %s", order.number, error)
        raise PaymentServiceUnavailable() from error
    Order.objects.filter(pk=order.pk, payment_intent_id__isnull=True).update(
        payment_intent_id=intent.id, payment_client_secret=intent.client_secret
    )
    order.refresh_from_db()
    return order


def order_pay_with_card(*, order: Order, card_id: str) -> gateway.PaymentIntentInfo:
    """Confirm the order's PaymentIntent with a card tokenised by Stripe.js.

    Returns Stripe's answer for the browser (``requires_action`` means 3-D
    Secure follows); never marks the order paid itself. A retry whose first
    attempt was charged but whose answer was lost (the worker died, the
    network dropped) gets Stripe's current state rather than "declined". A
    retry the provider refuses on the same PaymentIntent (localstripe keeps a
    declined one in ``requires_payment_method`` and will not confirm it again)
    moves the order to a fresh attempt and pays that one instead, so a buyer
    with a good card is never stuck behind an earlier decline.
    Raises ``OrderNotPayable``, ``PaymentFailed`` or ``PaymentServiceUnavailable``.
    """
    if order.is_paid and order.payment_intent_id:
        return _intent_current(payment_intent_id=order.payment_intent_id)
    if order.payment_method != PaymentMethod.CARD:
        raise OrderNotPayable()
    if not order.is_payable or not order.payment_intent_id:
        raise OrderNotPayable()
    if order.reserved_until <= timezone.now():
        raise OrderNotPayable()
    try:
        return _confirm(payment_intent_id=order.payment_intent_id, card_id=card_id)
    except _ConfirmRefused as refused:
        intent = _intent_current(payment_intent_id=order.payment_intent_id)
        if intent.status in ("succeeded", "processing"):
            return intent
        if intent.status not in RESTARTABLE_STATUSES:
            raise PaymentFailed() from refused
    fresh = order_payment_restart(order=order, refused_intent_id=intent.id)
    if not fresh.payment_intent_id or fresh.payment_intent_id == intent.id:
        raise PaymentFailed()
    try:
        return _confirm(payment_intent_id=fresh.payment_intent_id, card_id=card_id)
    except _ConfirmRefused as refused:
        raise PaymentFailed() from refused


class _ConfirmRefused(Exception):
    """Stripe refused the request itself (not the card): the intent's state says why."""


# A PaymentIntent in these states that refuses a new card is replaced by a
# fresh one; in any other state (paid, cancelled) a refusal is final.
RESTARTABLE_STATUSES = frozenset(
    {"requires_payment_method", "requires_confirmation", "requires_action"}
)


def _confirm(*, payment_intent_id: str, card_id: str) -> gateway.PaymentIntentInfo:
    try:
        return gateway.payment_intent_pay_with_card(
            payment_intent_id=payment_intent_id, card_id=card_id
        )
    except gateway.PaymentDeclined as error:
        raise PaymentFailed() from error
    except gateway.PaymentRejected as error:
        raise _ConfirmRefused(str(error)) from error
    except gateway.PaymentError as error:
        raise PaymentServiceUnavailable() from error


def order_payment_restart(*, order: Order, refused_intent_id: str) -> Order:
    """Give the order a fresh PaymentIntent in place of one that cannot be paid.

    The attempt number is the claim: a conditional UPDATE from (old intent,
    attempt n) to attempt n+1 lets one caller through, which creates the new
    intent with the key ``<number>-pi-<n+1>`` (a crash and a retry reuse it),
    swaps it in, then cancels the old one so it can never be charged. The old
    intent's later webhooks name an intent the order no longer holds and are
    ignored (``order_apply_payment_outcome``). Returns the fresh order.
    Raises ``PaymentServiceUnavailable`` or ``OrderAmountInvalid``.
    """
    order.refresh_from_db()
    if not order.is_payable or order.payment_intent_id != refused_intent_id:
        return order
    attempt = order.payment_attempt + 1
    current = Order.objects.filter(pk=order.pk, payment_intent_id=refused_intent_id)
    if not current.filter(payment_attempt=attempt - 1).update(payment_attempt=attempt):
        order.refresh_from_db()
        return order
    try:
        intent = gateway.payment_intent_create(
            amount=order.total,
            currency=order.currency,
            order_number=order.number,
            order_uuid=str(order.public_id),
            attempt=attempt,
        )
    except (money.MoneyError, gateway.PaymentError) as error:
        # Give the claim back: the next try reuses this attempt's key.
        current.filter(payment_attempt=attempt).update(payment_attempt=attempt - 1)
        if isinstance(error, money.MoneyError):
            raise order_amount_error(error=error) from error
        logger.warning("New PaymentIntent for %s not created: %s", order.number, error)
        raise PaymentServiceUnavailable() from error
    current.filter(payment_attempt=attempt).update(
        payment_intent_id=intent.id, payment_client_secret=intent.client_secret
    )
    logger.info(
        "Order %s: payment attempt %s (%s) replaces %s",
        order.number,
        attempt,
        intent.id,
        refused_intent_id,
    )
    try:
        gateway.payment_intent_cancel(payment_intent_id=refused_intent_id)
    except gateway.PaymentError as error:
        # Best effort: an old intent that is charged after all is flagged for
        # review by its webhook rather than counted.
        logger.warning(
            "Old PaymentIntent %s not cancelled: %s", refused_intent_id, error
        )
    order.refresh_from_db()
    return order


@dataclass(frozen=True)
class PaymentProgress:
    """Where the buyer stands with paying, from Stripe's own answer."""

    order: Order
    # The money is on its way (Stripe is processing, or the webhook is late):
    # the page waits and checks again.
    processing: bool
    # The last attempt failed (declined, or 3-D Secure not completed): the
    # order and its held stock stay until the hold lapses; pay again.
    not_paid: bool


# PaymentIntent states in which the buyer has nothing to do but wait.
WAITING_STATUSES = frozenset({"processing", "succeeded", "requires_capture"})


def order_payment_progress(*, order: Order) -> PaymentProgress:
    """Ask Stripe about an unpaid order's PaymentIntent and apply the answer.

    This is the reconciliation job's step, run when the buyer looks: a 3-D
    Secure check that failed sends no webhook from localstripe (and Stripe's
    may be late), so without it the order page would wait for ever. When
    Stripe cannot be reached the order's own status decides.
    """
    if not order.is_payable or not order.payment_intent_id:
        return PaymentProgress(order=order, processing=False, not_paid=False)
    try:
        intent = gateway.payment_intent_retrieve(
            payment_intent_id=order.payment_intent_id
        )
    except gateway.PaymentError as error:
        logger.warning("Payment of %s not checked: %s", order.number, error)
        pending = order.payment_status == PaymentStatus.PENDING
        return PaymentProgress(order=order, processing=pending, not_paid=not pending)
    with transaction.atomic():
        locked = order_lock(order_id=order.pk)
        order_apply_payment_outcome(
            order=locked, intent=intent, outcome=payment_outcome_for(intent=intent)
        )
    order.refresh_from_db()
    waiting = order.is_payable and intent.status in WAITING_STATUSES
    return PaymentProgress(
        order=order,
        processing=waiting,
        not_paid=not waiting and order.payment_status == PaymentStatus.FAILED,
    )


def _intent_current(*, payment_intent_id: str) -> gateway.PaymentIntentInfo:
    try:
        return gateway.payment_intent_retrieve(payment_intent_id=payment_intent_id)
    except gateway.PaymentError as error:
        raise PaymentServiceUnavailable() from error


# Outcome of a PaymentIntent state for the order, ranked so that applying them
# in any order ends in the same place.
OUTCOME_SUCCEEDED = "succeeded"
OUTCOME_FAILED = "failed"
OUTCOME_CANCELED = "canceled"


def payment_outcome_for(*, intent: gateway.PaymentIntentInfo) -> str | None:
    if intent.status == "succeeded":
        return OUTCOME_SUCCEEDED
    if intent.status == "canceled":
        return OUTCOME_CANCELED
    if intent.status == "requires_payment_method" and intent.error_message:
        return OUTCOME_FAILED
    return None


def order_apply_payment_outcome(
    *, order: Order, intent: gateway.PaymentIntentInfo, outcome: str | None
) -> bool:
    """Apply what Stripe says about the order's PaymentIntent; True if it changed.

    ``order`` must be locked by the caller's transaction. Moves forward only;
    a paid order ignores later failures. A payment whose amount or currency
    does not match the order is flagged for review instead of marking paid.
    """
    if outcome is None:
        return False
    if order.payment_intent_id is None:
        Order.objects.filter(pk=order.pk).update(payment_intent_id=intent.id)
        order.payment_intent_id = intent.id
    elif order.payment_intent_id != intent.id:
        # An earlier attempt's intent (replaced by order_payment_restart, and
        # cancelled) or a stranger's: it never pays, fails or expires the order.
        if outcome == OUTCOME_SUCCEEDED:
            # The old attempt was charged after all (its cancel failed): money
            # the order does not count, for staff to refund.
            order_flag_review(
                order=order,
                reason=ReviewReason.REPLACED_INTENT_CHARGED,
                note=f"Replaced PaymentIntent {intent.id} was charged; refund it.",
            )
        logger.warning("Event for %s carries a foreign PaymentIntent", order.number)
        return False
    if outcome == OUTCOME_SUCCEEDED:
        return _order_mark_paid(order=order, intent=intent)
    if outcome == OUTCOME_CANCELED:
        if PaymentStatus.EXPIRED not in PAYMENT_TRANSITIONS[order.payment_status]:
            return False
        order_set_payment_status(order=order, status=PaymentStatus.EXPIRED)
        stock.stock_release(order=order)
        return True
    if order.payment_status != PaymentStatus.PENDING:
        return False
    order_set_payment_status(order=order, status=PaymentStatus.FAILED)
    return True


def _order_mark_paid(*, order: Order, intent: gateway.PaymentIntentInfo) -> bool:
    if PaymentStatus.PAID not in PAYMENT_TRANSITIONS[order.payment_status]:
        return False
    received = intent.amount_received or intent.amount
    expected = money.to_minor_units(order.total, order.currency)
    if received != expected or intent.currency != order.currency.lower():
        order_flag_review(
            order=order,
            reason=ReviewReason.AMOUNT_MISMATCH,
            note=f"Stripe reported {received} {intent.currency}; order total "
            f"{expected} {order.currency.lower()}.",
        )
        return False
    return order_mark_paid(order=order)


def order_mark_paid(*, order: Order) -> bool:
    """The one paid transition, whatever the method: True if the order became paid.

    ``order`` must be locked by the caller's transaction, and the caller must
    have checked that the money received is the order's total. Commits the
    held stock (re-holding it first if the order had expired), books the
    payables and queues the receipt and brand notices after commit.
    """
    if PaymentStatus.PAID not in PAYMENT_TRANSITIONS[order.payment_status]:
        return False
    if order.payment_method == PaymentMethod.COD:
        # Paid part by part as each brand collects the cash (services.cod).
        return False
    was_expired = order.payment_status == PaymentStatus.EXPIRED
    order_set_payment_status(order=order, status=PaymentStatus.PAID)
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())
    if was_expired:
        try:
            with transaction.atomic():
                stock.stock_rehold(order=order)
        except OutOfStock:
            # Paid after its hold lapsed and the units are gone: staff refund
            # or source the goods (Saleor's "zombie payment" case).
            order_flag_review(
                order=order,
                reason=ReviewReason.SOLD_MEANWHILE,
                note="Paid after expiry; stock was sold meanwhile.",
            )
    stock.stock_commit(order=order)
    payables_book_sale(order=order)
    order_id = order.pk
    transaction.on_commit(lambda: order_paid_emails_enqueue(order_id=order_id))
    return True


def order_paid_emails_enqueue(*, order_id: int) -> None:
    """Queue the receipt and brand notices of a paid order (the task sends once)."""
    order_paid_emails_send.enqueue(order_id)
