"""Scheduled jobs: expiring lapsed orders (every payment method) and
reconciling with Stripe; bank transfers reconcile by statement import."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from shop import stock
from shop.models import (
    PAID_STATUSES,
    BankTransaction,
    FulfilmentStatus,
    Order,
    OrderFulfilment,
    PayableEntry,
    PaymentMethod,
    PaymentStatus,
)
from shop.payments import gateway

from . import cod
from .notices import buyer_notices_requeue
from .orders import (
    PAYMENT_TRANSITIONS,
    order_emails_enqueue,
    order_lock,
    order_set_payment_status,
)
from .payments import (
    OUTCOME_FAILED,
    OUTCOME_SUCCEEDED,
    order_apply_payment_outcome,
    order_paid_emails_enqueue,
    payment_outcome_for,
)

logger = logging.getLogger(__name__)


def _paid_emails_requeue(
    *, paid_before: datetime, paid_after: datetime
) -> tuple[int, int]:
    """Queue the emails of paid orders whose process died before queueing them.

    Only orders paid before ``paid_before`` (the normal after-commit path has
    had its time) count; a cash-on-delivery order's emails are owed from when
    it was placed. Returns (queued, errors).
    """
    paid = Q(paid_at__lte=paid_before, paid_at__gte=paid_after) & ~Q(
        payment_method=PaymentMethod.COD
    )
    placed_cod = Q(
        payment_method=PaymentMethod.COD,
        created_at__lte=paid_before,
        created_at__gte=paid_after,
    )
    owed = Order.objects.filter(paid_emails_sent_at__isnull=True).filter(
        paid | placed_cod
    )
    queued = errors = 0
    for order_id, method in list(owed.values_list("pk", "payment_method")):
        try:
            if method == PaymentMethod.COD:
                order_emails_enqueue(order_id=order_id)
            else:
                order_paid_emails_enqueue(order_id=order_id)
        except Exception:  # one failing send must not stop the run
            # With the immediate backend the send happens here; the order stays
            # owed and the next run tries again.
            logger.exception("Emails of order %s not sent", order_id)
            errors += 1
            continue
        queued += 1
    return queued, errors


def _order_sync(*, order_id: int, intent: gateway.PaymentIntentInfo) -> bool:
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        return order_apply_payment_outcome(
            order=order, intent=intent, outcome=payment_outcome_for(intent=intent)
        )


@transaction.atomic
def _order_expire(*, order_id: int) -> bool:
    order = order_lock(order_id=order_id)
    if PaymentStatus.EXPIRED not in PAYMENT_TRANSITIONS[order.payment_status]:
        return False
    if order.payment_status == PaymentStatus.PAID:
        return False
    order_set_payment_status(order=order, status=PaymentStatus.EXPIRED)
    stock.stock_release(order=order)
    return True


@dataclass(frozen=True)
class MethodSummary:
    method: str
    pending: int
    paid: int
    expired: int
    review: int
    # Cash on delivery only (0 for the other methods): some parts collected,
    # the others not (yet); every part cancelled or refused.
    partly_paid: int = 0
    cancelled: int = 0


def payments_by_method(*, now: datetime | None = None) -> list[MethodSummary]:
    """Orders of the last 7 days per payment method: awaiting payment, paid,
    expired, and flagged for review (what ``shop_reconcile`` reports)."""
    now = now or timezone.now()
    recent = Order.objects.filter(created_at__gte=now - timedelta(days=7))
    counts = {
        (row["payment_method"], row["payment_status"], row["needs_review"]): row["n"]
        for row in recent.values("payment_method", "payment_status", "needs_review")
        .annotate(n=Count("pk"))
        .order_by()
    }

    def total(method: str, statuses: tuple[str, ...] | None, review: bool | None):
        return sum(
            n
            for (m, status, flagged), n in counts.items()
            if m == method
            and (statuses is None or status in statuses)
            and (review is None or flagged == review)
        )

    pending = (PaymentStatus.PENDING, PaymentStatus.FAILED)
    fully_paid = tuple(s for s in PAID_STATUSES if s != PaymentStatus.PARTIALLY_PAID)
    return [
        MethodSummary(
            method=method,
            pending=total(method, pending, None),
            paid=total(method, fully_paid, None),
            expired=total(method, (PaymentStatus.EXPIRED,), None),
            review=total(method, None, True),
            partly_paid=total(method, (PaymentStatus.PARTIALLY_PAID,), None),
            cancelled=total(method, (PaymentStatus.CANCELLED,), None),
        )
        for method in PaymentMethod.values
    ]


@dataclass(frozen=True)
class CodPartsSummary:
    """Brand parts of cash-on-delivery orders of the last 7 days, by state,
    and the platform fees the brands owe for the collected ones."""

    awaiting_confirmation: int
    confirmed: int
    shipped: int
    collected: int
    cancelled: int
    returned: int
    collected_amount: int
    fees_owed: int


def cod_parts_summary(*, now: datetime | None = None) -> CodPartsSummary:
    now = now or timezone.now()
    since = now - timedelta(days=7)
    parts = OrderFulfilment.objects.filter(
        order__payment_method=PaymentMethod.COD, order__created_at__gte=since
    )
    counts = dict(
        parts.values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    collected = parts.filter(cash_collected_at__isnull=False).aggregate(
        goods=Sum("subtotal"), shipping=Sum("shipping_fee")
    )
    fees = PayableEntry.objects.filter(
        kind=PayableEntry.Kind.COD_FEE, order__created_at__gte=since
    ).aggregate(total=Sum("amount"))
    return CodPartsSummary(
        awaiting_confirmation=counts.get(FulfilmentStatus.NEW, 0),
        confirmed=counts.get(FulfilmentStatus.CONFIRMED, 0),
        shipped=counts.get(FulfilmentStatus.SHIPPED, 0),
        collected=counts.get(FulfilmentStatus.DELIVERED, 0),
        cancelled=counts.get(FulfilmentStatus.CANCELLED, 0),
        returned=counts.get(FulfilmentStatus.RETURNED, 0),
        collected_amount=(collected["goods"] or 0) + (collected["shipping"] or 0),
        fees_owed=-(fees["total"] or 0),
    )


def bank_transactions_to_review() -> int:
    """Bank transactions that matched no order or not cleanly, not yet resolved."""
    return BankTransaction.objects.filter(
        outcome__in=[BankTransaction.Outcome.REVIEW, BankTransaction.Outcome.MALFORMED]
    ).count()


@dataclass
class JobReport:
    checked: int = 0
    paid: int = 0
    expired: int = 0
    failed: int = 0
    notified: int = 0
    errors: int = 0


def orders_expire(*, now: datetime | None = None) -> JobReport:
    """Expire unpaid orders whose stock hold has lapsed, releasing the stock.

    An order with a PaymentIntent is first checked with Stripe (a payment that
    succeeded but whose webhook is late must win) and its intent cancelled so
    it can no longer be charged.
    """
    now = now or timezone.now()
    report = JobReport()
    unpaid = Q(payment_status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED]) & ~Q(
        payment_method=PaymentMethod.COD
    )
    # A cash order lapses only for the parts no brand confirmed in time.
    unconfirmed_cod = Q(
        payment_method=PaymentMethod.COD,
        payment_status__in=cod.LIVE_ORDER_STATUSES,
        fulfilments__status=FulfilmentStatus.NEW,
    )
    due = (
        Order.objects.filter(reserved_until__lte=now)
        .filter(unpaid | unconfirmed_cod)
        .distinct()
        .values_list("pk", "payment_intent_id", "payment_method")
    )
    for order_id, intent_id, method in list(due):
        report.checked += 1
        if method == PaymentMethod.COD:
            report.expired += int(bool(cod.cod_parts_expire(order_id=order_id)))
            continue
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


def orders_reconcile(
    *, older_than_minutes: int | None = None, now: datetime | None = None
) -> JobReport:
    """Ask Stripe about pending orders older than N minutes and apply the answer.

    Covers lost or never-sent webhooks: a PaymentIntent that succeeded marks
    its order paid exactly as the webhook would. Then expires lapsed orders,
    and queues the emails of orders paid more than N minutes ago whose emails
    never went out (the process died between committing "paid" and queueing),
    and the buyer notices (shipped, delivered, refunded) left unsent.
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
        # The filter above excludes NULL; the ORM's row type does not know it.
        assert intent_id is not None  # noqa: S101
        try:
            intent = gateway.payment_intent_retrieve(payment_intent_id=intent_id)
        except gateway.PaymentError:
            report.errors += 1
            continue
        outcome = payment_outcome_for(intent=intent)
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
    report.notified += buyer_notices_requeue(
        created_before=now - timedelta(minutes=minutes),
        created_after=now - timedelta(days=7),
    )
    return report
