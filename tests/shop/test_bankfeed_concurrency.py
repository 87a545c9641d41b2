"""The bank feed under concurrency: notification storms, and a notification
racing a statement import for the same transfer.

Threads run real transactions (``transaction=True``) through the endpoint.
On PostgreSQL they contend on the unique index and the order's row lock; on
SQLite every write transaction is serialised (``BEGIN IMMEDIATE``), so the
same tests prove the unique-insert idempotency but not the locks.
"""

from __future__ import annotations

import random
import sys
import time

import pytest
from django.core import mail
from django.db import connections

from shop.models import (
    BankTransaction,
    Order,
    PayableEntry,
    PaymentMethod,
    PaymentStatus,
    StockReservation,
)
from shop.services import orders as order_services
from shop.services.statements import statement_import
from shop.services.transfers import REASON_ALREADY_PAID, REASON_SECOND_TRANSFER

from .bankfeed_helpers import notification, send
from .test_concurrency import IS_POSTGRES, _bulk_orders, run_concurrently

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:aiohttp.*"),
]


def _vietqr_orders(count: int):
    orders, record = _bulk_orders(count)
    Order.objects.update(payment_intent_id=None, payment_method=PaymentMethod.VIETQR)
    for order in orders:
        order_services.transfer_reference_assign(order=order)
    return list(Order.objects.order_by("pk")), record


def _statement(rows: list[tuple[str, int, str]]) -> bytes:
    """A one-account statement as Vietcombank-style internet banking exports it."""
    lines = [
        "SAO KÊ TÀI KHOẢN",
        "Số tài khoản: 0123456789",
        "",
        "STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Nội dung",
    ]
    for n, (reference, amount, content) in enumerate(rows, start=1):
        grouped = f"{amount:,}".replace(",", ".")
        lines.append(f'{n},07/12/2026,{reference},,"{grouped}","{content}"')
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def feed(bank_settings):
    return bank_settings


@pytest.mark.timeout(600)
def test_200_notifications_3_times_shuffled_concurrent(feed):
    orders, record = _vietqr_orders(200)
    payloads = [
        notification(
            amount=o.total,
            content=f"CT {o.transfer_reference.lower()} thanh toan",
            reference=f"FT26341{o.pk:06d}",
        )
        for o in orders
    ]
    deliveries = payloads * 3
    random.Random(12).shuffle(deliveries)

    def deliver(payload):
        return send(payload).status_code

    started = time.monotonic()
    results = run_concurrently(deliver, deliveries, workers=10)
    elapsed = time.monotonic() - started
    assert [kind for kind, _ in results] == ["ok"] * len(deliveries), [
        v for k, v in results if k == "error"
    ][:3]
    assert {value for _, value in results} == {200}  # zero 5xx, zero 4xx
    assert BankTransaction.objects.count() == 200
    assert set(BankTransaction.objects.values_list("outcome", flat=True)) == {"paid"}
    assert Order.objects.filter(payment_status=PaymentStatus.PAID).count() == 200
    assert not Order.objects.filter(needs_review=True).exists()
    paid_by = dict(BankTransaction.objects.values_list("order_id", "bank_reference"))
    assert set(paid_by) == {o.pk for o in orders}
    assert PayableEntry.objects.filter(kind="sale").count() == 200
    assert len(mail.outbox) == 200  # one receipt per order, none twice
    record.refresh_from_db()
    assert (record.quantity_on_hand, record.quantity_reserved) == (0, 0)
    assert StockReservation.objects.filter(status="sold").count() == 200
    amounts = BankTransaction.objects.values_list("amount", flat=True)
    assert all(type(a) is int for a in amounts)
    # The closing note's figure (pytest -s shows it); not a pass/fail bound.
    sys.stderr.write(f"\n600 bank notifications in {elapsed:.1f}s\n")

    # Bad signatures in a storm's aftermath: 400, nothing written.
    before = BankTransaction.objects.count()
    fresh = notification(amount=1, content="AGXXXXXX", reference="FT-BAD")
    assert send(fresh, secret="not-the-secret").status_code == 400
    assert send(fresh, timestamp=int(time.time()) - 3600).status_code == 400
    assert BankTransaction.objects.count() == before
    connections.close_all()


def test_notification_and_statement_import_racing_pay_once(feed):
    rounds = 20 if IS_POSTGRES else 8
    orders, _record = _vietqr_orders(rounds)
    statements = []
    for order in orders:
        reference = f"FT26341R{order.pk:05d}"
        content = f"{order.transfer_reference} chuyen khoan"
        payload = notification(amount=order.total, content=content, reference=reference)
        statement = _statement([(reference, order.total, content)])
        statements.append(statement)

        def report(kind, payload=payload, statement=statement):
            if kind == "feed":
                return send(payload).status_code
            return statement_import(statement).created

        results = run_concurrently(report, ["feed", "import"], workers=2)
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        assert results[0][1] == 200
        order.refresh_from_db()
        assert order.payment_status == PaymentStatus.PAID
        assert BankTransaction.objects.filter(bank_reference=reference).count() == 1
        assert PayableEntry.objects.filter(order=order, kind="sale").count() == 1
    # Importing every statement again changes nothing.
    for statement in statements:
        report = statement_import(statement)
        assert (report.rows, report.created, report.duplicates) == (1, 0, 1)
    assert BankTransaction.objects.count() == rounds
    assert Order.objects.filter(needs_review=True).count() == 0
    connections.close_all()


def test_two_different_transfers_racing_for_one_order_pay_it_once(feed):
    rounds = 20 if IS_POSTGRES else 5
    orders, _record = _vietqr_orders(rounds)
    for order in orders:
        payloads = [
            notification(
                amount=order.total,
                content=order.transfer_reference,
                reference=f"FT{side}{order.pk:06d}",
            )
            for side in ("A", "B")
        ]
        results = run_concurrently(lambda p: send(p).status_code, payloads, workers=2)
        assert [value for _, value in results] == [200, 200], results
        order.refresh_from_db()
        assert order.payment_status == PaymentStatus.PAID
        outcomes = sorted(
            BankTransaction.objects.filter(order=order).values_list("outcome", "reason")
        )
        assert outcomes[0] == ("paid", "")
        assert outcomes[1][0] == "review"
        assert outcomes[1][1] in (REASON_ALREADY_PAID, REASON_SECOND_TRANSFER)
        assert PayableEntry.objects.filter(order=order, kind="sale").count() == 1
        assert order.needs_review
    connections.close_all()
