"""Shop services: placing, paying, expiring, refunding and fulfilling orders.

Rules kept here and nowhere else:
- an order and its number exist before any PaymentIntent (metadata points back);
- only a verified webhook or reconciliation (both reading Stripe's own state)
  marks an order paid, and only if amount and currency match;
- payment status moves forward only, through ``order_set_payment_status``;
- Stripe is never called inside a database transaction.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import request_language
from organisations.models import Organisation

from . import emails, money, stock
from .cart import cart_summary
from .errors import (
    CartChanged,
    CartEmpty,
    InvalidOrderStatus,
    InvalidQuantity,
    OrderAmountInvalid,
    OrderNotPayable,
    OutOfStock,
    PaymentFailed,
    PaymentServiceUnavailable,
    RefundInvalid,
)
from .models import (
    Cart,
    CartLine,
    FulfilmentStatus,
    Order,
    OrderFulfilment,
    OrderLine,
    OrderNumberCounter,
    PayableEntry,
    PaymentStatus,
    Refund,
    SavedAddress,
    StockRecord,
)
from .payments import gateway

logger = logging.getLogger(__name__)

# Allowed payment-status moves. A failed card may still be retried (failed ->
# paid); expiry may be overtaken by a payment that Stripe took anyway.
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    PaymentStatus.PENDING: {
        PaymentStatus.FAILED,
        PaymentStatus.EXPIRED,
        PaymentStatus.PAID,
    },
    PaymentStatus.FAILED: {PaymentStatus.EXPIRED, PaymentStatus.PAID},
    PaymentStatus.EXPIRED: {PaymentStatus.PAID},
    PaymentStatus.PAID: {PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED},
    PaymentStatus.PARTIALLY_REFUNDED: {
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    },
    PaymentStatus.REFUNDED: set(),
}

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
}


@dataclass(frozen=True)
class CheckoutDetails:
    email: str
    phone: str
    recipient_name: str
    recipient_phone: str
    province: str
    commune: str
    street: str
    notes: str = ""
    save_address: bool = False


# --- Status -------------------------------------------------------------------


def order_set_payment_status(*, order: Order, status: str) -> None:
    """Move ``order`` (locked by the caller) to ``status`` or raise InvalidOrderStatus."""
    if status not in PAYMENT_TRANSITIONS[order.payment_status]:
        raise InvalidOrderStatus()
    order.payment_status = status
    Order.objects.filter(pk=order.pk).update(
        payment_status=status, updated_at=timezone.now()
    )


def _lock_order(pk: int) -> Order:
    return Order.objects.select_for_update().get(pk=pk)


# --- Placing ------------------------------------------------------------------


def _next_order_number(year: int) -> str:
    updated = OrderNumberCounter.objects.filter(year=year).update(
        last_number=F("last_number") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                OrderNumberCounter.objects.create(year=year, last_number=1)
        except IntegrityError:
            OrderNumberCounter.objects.filter(year=year).update(
                last_number=F("last_number") + 1
            )
    number = OrderNumberCounter.objects.get(year=year).last_number
    return f"AG-{year}-{number:06d}"


def order_place(
    *,
    cart: Cart,
    checkout_token: uuid.UUID,
    details: CheckoutDetails,
    user,
    language: str,
    expected_total: int | None,
) -> Order:
    """Turn the cart into a pending order with its stock held, in one transaction.

    A second call with the same ``checkout_token`` (double submit, retry)
    returns the first order. Prices come from the catalogue now; if the total
    differs from ``expected_total`` (what the buyer confirmed) nothing is saved
    and ``CartChanged`` is raised. Raises ``CartEmpty``, ``OutOfStock``,
    ``OrderAmountInvalid`` (Stripe's limits) too.
    """
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        return existing
    try:
        return _order_create(
            cart=cart,
            checkout_token=checkout_token,
            details=details,
            user=user,
            language=language,
            expected_total=expected_total,
        )
    except IntegrityError:
        # A parallel submit of the same form committed first: return its order.
        existing = Order.objects.filter(checkout_token=checkout_token).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _order_create(
    *, cart, checkout_token, details, user, language, expected_total
) -> Order:
    lines = dict(
        CartLine.objects.select_for_update()
        .filter(cart=cart)
        .values_list("variant_public_id", "quantity")
    )
    # Checked again under the cart lock: a parallel submit of the same form
    # may have placed the order (and emptied the cart) while this one waited.
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        return existing
    if not lines:
        raise CartEmpty()
    summary = cart_summary(lines=lines, language=language)
    if summary.unavailable or summary.is_empty:
        raise CartChanged()
    if expected_total is not None and expected_total != summary.total:
        raise CartChanged()
    try:
        money.stripe_amount(summary.total, money.SHOP_CURRENCY)
    except money.MoneyError as error:
        raise _amount_error(error) from error
    now = timezone.now()
    reserved_until = now + timedelta(minutes=settings.SHOP_RESERVATION_MINUTES)
    order = Order.objects.create(
        number=_next_order_number(timezone.localdate(now).year),
        checkout_token=checkout_token,
        user=user if getattr(user, "is_authenticated", False) else None,
        language=language,
        email=details.email,
        phone=details.phone,
        recipient_name=details.recipient_name,
        recipient_phone=details.recipient_phone,
        province=details.province,
        commune=details.commune,
        street=details.street,
        notes=details.notes,
        terms_accepted_at=now,
        subtotal=summary.subtotal,
        shipping_total=summary.shipping_total,
        total=summary.total,
        reserved_until=reserved_until,
    )
    quantities: dict[int, int] = {}
    titles: dict[int, str] = {}
    for group in summary.groups:
        fulfilment = OrderFulfilment.objects.create(
            order=order,
            organisation_id=group.organisation_id,
            brand_title=group.brand_title,
            subtotal=group.subtotal,
            shipping_fee=group.shipping_fee,
        )
        for line in group.lines:
            variant = line.variant
            OrderLine.objects.create(
                order=order,
                fulfilment=fulfilment,
                organisation_id=group.organisation_id,
                variant_id=variant.variant_id,
                variant_public_id=variant.public_id,
                product_title=variant.product_title,
                variant_name=variant.variant_name,
                sku=variant.sku,
                unit_price=variant.unit_price,
                quantity=line.quantity,
                line_total=line.line_total,
            )
            quantities[variant.variant_id] = line.quantity
            titles[variant.variant_id] = (
                f"{variant.product_title} ({variant.variant_name})"
            )
    stock.stock_reserve(
        order=order, quantities=quantities, titles=titles, expires_at=reserved_until
    )
    CartLine.objects.filter(cart=cart).delete()
    if details.save_address and order.user_id:
        _address_remember(user=order.user, details=details)
    return order


def _amount_error(error: money.MoneyError) -> OrderAmountInvalid:
    if error.code == "above_maximum":
        return OrderAmountInvalid(
            _(
                "One payment can be at most %(max)s. Please split your order "
                "or contact the brand for a bulk order."
            )
            % {"max": money.format_vnd(money.maximum_charge(), request_language())}
        )
    return OrderAmountInvalid(
        _("The minimum order is %(min)s.")
        % {"min": money.format_vnd(money.minimum_charge(), request_language())}
    )


def _address_remember(*, user, details: CheckoutDetails) -> None:
    fields = {
        "recipient_name": details.recipient_name,
        "phone": details.recipient_phone,
        "province": details.province,
        "commune": details.commune,
        "street": details.street,
    }
    if not SavedAddress.objects.filter(user=user, **fields).exists():
        SavedAddress.objects.create(user=user, **fields)


@transaction.atomic
def address_delete(*, user, public_id: uuid.UUID) -> bool:
    deleted, _rows = SavedAddress.objects.filter(
        user=user, public_id=public_id
    ).delete()
    return bool(deleted)


# --- Paying -------------------------------------------------------------------


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
        raise _amount_error(error) from error
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
    network dropped) gets Stripe's current state rather than "declined".
    Raises ``OrderNotPayable``, ``PaymentFailed`` or ``PaymentServiceUnavailable``.
    """
    if order.is_paid and order.payment_intent_id:
        return _intent_current(order)
    if not order.is_payable or not order.payment_intent_id:
        raise OrderNotPayable()
    if order.reserved_until <= timezone.now():
        raise OrderNotPayable()
    try:
        return gateway.payment_intent_pay_with_card(
            payment_intent_id=order.payment_intent_id, card_id=card_id
        )
    except gateway.PaymentDeclined as error:
        raise PaymentFailed() from error
    except gateway.PaymentRejected as error:
        # Stripe refuses to confirm an intent that already succeeded.
        intent = _intent_current(order)
        if intent.status in ("succeeded", "processing"):
            return intent
        raise PaymentFailed() from error
    except gateway.PaymentError as error:
        raise PaymentServiceUnavailable() from error


def _intent_current(order: Order) -> gateway.PaymentIntentInfo:
    try:
        return gateway.payment_intent_retrieve(
            payment_intent_id=order.payment_intent_id
        )
    except gateway.PaymentError as error:
        raise PaymentServiceUnavailable() from error


# Outcome of a PaymentIntent state for the order, ranked so that applying them
# in any order ends in the same place.
OUTCOME_SUCCEEDED = "succeeded"
OUTCOME_FAILED = "failed"
OUTCOME_CANCELED = "canceled"


def _outcome_for_status(intent: gateway.PaymentIntentInfo) -> str | None:
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
        Order.objects.filter(pk=order.pk).update(
            needs_review=True,
            review_note=f"Stripe reported {received} {intent.currency}; order total "
            f"{expected} {order.currency.lower()}.",
        )
        logger.error("Amount mismatch on %s", order.number)
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
            Order.objects.filter(pk=order.pk).update(
                needs_review=True,
                review_note="Paid after expiry; stock was sold meanwhile.",
            )
    stock.stock_commit(order=order)
    _payables_book_sale(order=order)
    order_id = order.pk
    transaction.on_commit(lambda: _enqueue_paid_emails(order_id))
    return True


def _enqueue_paid_emails(order_id: int) -> None:
    from .tasks import order_paid_emails_send

    order_paid_emails_send.enqueue(order_id)


def order_paid_emails_deliver(*, order_id: int) -> int:
    """Send a paid order's receipt and brand notices unless they went out; the count.

    At least once, on purpose: the mark is written after sending, so a crash
    in between sends them again rather than never (a cooperative that never
    hears of an order does not ship it; a duplicate notice costs little). A
    copy of the task that starts after the mark sends nothing; two copies
    running at the same moment (reconciliation re-queueing while the first
    is still in the queue) may both send.
    """
    if Order.objects.filter(pk=order_id, paid_emails_sent_at__isnull=False).exists():
        return 0
    sent = emails.order_paid_emails_send(order_id=order_id)
    Order.objects.filter(pk=order_id).update(paid_emails_sent_at=timezone.now())
    return sent


def _paid_emails_requeue(*, paid_before, paid_after) -> tuple[int, int]:
    """Queue the emails of paid orders whose process died before queueing them.

    Only orders paid before ``paid_before`` (the normal after-commit path has
    had its time) count. Returns (queued, errors).
    """
    owed = Order.objects.filter(
        paid_emails_sent_at__isnull=True,
        paid_at__lte=paid_before,
        paid_at__gte=paid_after,
    ).values_list("pk", flat=True)
    queued = errors = 0
    for order_id in list(owed):
        try:
            _enqueue_paid_emails(order_id)
        except Exception:  # one failing send must not stop the run
            # With the immediate backend the send happens here; the order stays
            # owed and the next run tries again.
            logger.exception("Emails of order %s not sent", order_id)
            errors += 1
            continue
        queued += 1
    return queued, errors


# --- Payables -----------------------------------------------------------------


def _payables_book_sale(*, order: Order) -> None:
    basis_points = settings.SHOP_PLATFORM_FEE_BASIS_POINTS
    for line in OrderLine.objects.filter(order=order):
        PayableEntry.objects.create(
            organisation_id=line.organisation_id,
            order=order,
            order_line=line,
            kind=PayableEntry.Kind.SALE,
            amount=line.line_total,
            description=f"{order.number} {line.sku} × {line.quantity}",
        )
        fee = money.percent_of(line.line_total, basis_points)
        if fee:
            PayableEntry.objects.create(
                organisation_id=line.organisation_id,
                order=order,
                order_line=line,
                kind=PayableEntry.Kind.FEE,
                amount=-fee,
                description=f"{order.number} {line.sku} fee {basis_points / 100:g}%",
            )
    for fulfilment in OrderFulfilment.objects.filter(order=order, shipping_fee__gt=0):
        PayableEntry.objects.create(
            organisation_id=fulfilment.organisation_id,
            order=order,
            kind=PayableEntry.Kind.SHIPPING,
            amount=fulfilment.shipping_fee,
            description=f"{order.number} shipping",
        )


# --- Refunds ------------------------------------------------------------------


@transaction.atomic
def _refund_record(*, fulfilment_id: int, amount: int, reason: str, user) -> Refund:
    fulfilment = OrderFulfilment.objects.select_for_update().get(pk=fulfilment_id)
    order = _lock_order(fulfilment.order_id)
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
    *, fulfilment: OrderFulfilment, amount: int, reason: str, user
) -> Refund:
    """Refund ``amount`` of one brand's part of a paid order through Stripe.

    The refund row is saved first (so the amount is held against over-refunds),
    then Stripe is called with the row's UUID as idempotency key. The order's
    refunded amount and the ledger change when Stripe reports success (the
    API answer or the refund webhook, whichever comes first, applies once).
    Raises ``RefundInvalid`` or ``PaymentServiceUnavailable``.
    """
    refund = _refund_record(
        fulfilment_id=fulfilment.pk, amount=amount, reason=reason, user=user
    )
    order = refund.order
    try:
        info = gateway.refund_create(
            payment_intent_id=order.payment_intent_id,
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
            Order.objects.filter(pk=order.pk).update(
                needs_review=True, review_note=f"Unknown refund {info.id} at Stripe."
            )
        return False
    if refund.status != Refund.Status.REQUESTED:
        return False
    if info.status in ("failed", "canceled"):
        Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.FAILED)
        return True
    if info.status != "succeeded":
        return False
    order = _lock_order(refund.order_id)
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
    basis_points = settings.SHOP_PLATFORM_FEE_BASIS_POINTS
    PayableEntry.objects.create(
        organisation_id=fulfilment.organisation_id,
        order=order,
        refund=refund,
        kind=PayableEntry.Kind.REFUND,
        amount=-refund.amount,
        description=f"{order.number} refund",
    )
    goods_part = min(refund.amount, fulfilment.subtotal)
    fee_back = money.percent_of(goods_part, basis_points)
    if fee_back:
        PayableEntry.objects.create(
            organisation_id=fulfilment.organisation_id,
            order=order,
            refund=refund,
            kind=PayableEntry.Kind.FEE_REVERSAL,
            amount=fee_back,
            description=f"{order.number} fee returned on refund",
        )
    return True


# --- Fulfilment ---------------------------------------------------------------


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
    if not locked.order.is_paid and status != FulfilmentStatus.CANCELLED:
        raise InvalidOrderStatus()
    if status != locked.status and status not in FULFILMENT_TRANSITIONS[locked.status]:
        raise InvalidOrderStatus()
    OrderFulfilment.objects.filter(pk=locked.pk).update(
        status=status,
        carrier=carrier.strip(),
        tracking_number=tracking_number.strip(),
        updated_at=timezone.now(),
    )
    locked.refresh_from_db()
    return locked


# --- Expiry and reconciliation ------------------------------------------------


def _order_sync(*, order_id: int, intent: gateway.PaymentIntentInfo) -> bool:
    with transaction.atomic():
        order = _lock_order(order_id)
        return order_apply_payment_outcome(
            order=order, intent=intent, outcome=_outcome_for_status(intent)
        )


@transaction.atomic
def _order_expire(*, order_id: int) -> bool:
    order = _lock_order(order_id)
    if PaymentStatus.EXPIRED not in PAYMENT_TRANSITIONS[order.payment_status]:
        return False
    if order.payment_status == PaymentStatus.PAID:
        return False
    order_set_payment_status(order=order, status=PaymentStatus.EXPIRED)
    stock.stock_release(order=order)
    return True


@dataclass
class JobReport:
    checked: int = 0
    paid: int = 0
    expired: int = 0
    failed: int = 0
    notified: int = 0
    errors: int = 0


def orders_expire(*, now=None) -> JobReport:
    """Expire unpaid orders whose stock hold has lapsed, releasing the stock.

    An order with a PaymentIntent is first checked with Stripe (a payment that
    succeeded but whose webhook is late must win) and its intent cancelled so
    it can no longer be charged.
    """
    now = now or timezone.now()
    report = JobReport()
    due = Order.objects.filter(
        payment_status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED],
        reserved_until__lte=now,
    ).values_list("pk", "payment_intent_id")
    for order_id, intent_id in list(due):
        report.checked += 1
        if intent_id:
            try:
                intent = gateway.payment_intent_retrieve(payment_intent_id=intent_id)
                if intent.status in ("succeeded", "processing"):
                    report.paid += int(_order_sync(order_id=order_id, intent=intent))
                    continue
                if intent.status != "canceled":
                    intent = gateway.payment_intent_cancel(payment_intent_id=intent_id)
            except gateway.PaymentError:
                # Stripe unreachable or the intent changed under us (e.g. it
                # just succeeded): leave it for the next run, never guess.
                report.errors += 1
                continue
        report.expired += int(_order_expire(order_id=order_id))
    return report


def orders_reconcile(*, older_than_minutes: int | None = None, now=None) -> JobReport:
    """Ask Stripe about pending orders older than N minutes and apply the answer.

    Covers lost or never-sent webhooks: a PaymentIntent that succeeded marks
    its order paid exactly as the webhook would. Then expires lapsed orders,
    and queues the emails of orders paid more than N minutes ago whose emails
    never went out (the process died between committing "paid" and queueing).
    """
    now = now or timezone.now()
    minutes = (
        settings.SHOP_RECONCILE_AFTER_MINUTES
        if older_than_minutes is None
        else older_than_minutes
    )
    report = JobReport()
    pending = Order.objects.filter(
        payment_status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED],
        payment_intent_id__isnull=False,
        created_at__lte=now - timedelta(minutes=minutes),
        created_at__gte=now - timedelta(days=7),
    ).values_list("pk", "payment_intent_id")
    for order_id, intent_id in list(pending):
        report.checked += 1
        try:
            intent = gateway.payment_intent_retrieve(payment_intent_id=intent_id)
        except gateway.PaymentError:
            report.errors += 1
            continue
        outcome = _outcome_for_status(intent)
        changed = _order_sync(order_id=order_id, intent=intent)
        if changed and outcome == OUTCOME_SUCCEEDED:
            report.paid += 1
        elif changed and outcome == OUTCOME_FAILED:
            report.failed += 1
    expiry = orders_expire(now=now)
    report.expired += expiry.expired
    report.paid += expiry.paid
    report.errors += expiry.errors
    notified, errors = _paid_emails_requeue(
        paid_before=now - timedelta(minutes=minutes),
        paid_after=now - timedelta(days=7),
    )
    report.notified += notified
    report.errors += errors
    return report


# --- Demo and admin helpers -----------------------------------------------------


@transaction.atomic
def shipping_policy_set(
    *, organisation: Organisation, flat_fee: int, free_over: int | None
):
    from .models import ShippingPolicy

    policy, _created = ShippingPolicy.objects.update_or_create(
        organisation=organisation,
        defaults={"flat_fee": flat_fee, "free_over": free_over},
    )
    return policy


@transaction.atomic
def stock_set_on_hand(*, record, raw_quantity) -> None:
    """Set a variant's units on hand (a stock count); never below what unpaid
    orders hold. Raises ``InvalidQuantity``."""
    text = str(raw_quantity or "").strip()
    if not text.isdigit() or len(text) > 7:
        raise InvalidQuantity()
    quantity = int(text)
    with stock.purging_pages_when_availability_flips([record.pk]):
        updated = StockRecord.objects.filter(
            pk=record.pk, quantity_reserved__lte=quantity
        ).update(quantity_on_hand=quantity)
    if not updated:
        raise InvalidQuantity(
            _("Unpaid orders hold more units than that; wait for them or enter more.")
        )
