"""Shop benchmark: placing orders, signed webhooks and bank notifications.

Prints p50/p95 latency of ``order_place`` (cart -> pending order with stock
held, one transaction), of one Stripe webhook delivery (signature check,
event recorded, order locked, paid, stock sold, ledger booked, receipt
email) and of one signed bank notification for a VietQR order (signature
check, bank transaction recorded once, reference matched, the same paid
transition), orders per second sustained by placing orders back to back,
and transfers matched per second by a statement import (the same matcher,
no HTTP). The bank notification's p50 is also printed as a ratio of the
webhook's, measured in the same run: both end in the same paid transition,
so the ratio stays near 1 unless the matcher costs more than it should
(ceiling ``BANK_RATIO_CEILING``; the script exits 1 above it).

Runs on a throwaway test database (created with migrations, or reused with
--keepdb), never on the development data:

    DJANGO_SETTINGS_MODULE=config.settings.test TEST_DB_NAME=/tmp/bench-shop.sqlite3 \
        .venv/bin/python bench/shop.py --orders 300 --keepdb
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# A throwaway signing secret for the benchmark's own test database.
BENCH_SECRET = "whsec_" + "bench"
BENCH_BANK_SECRET = "bank-" + "bench"
BANK_RATIO_CEILING = 2.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--keepdb", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=args.keepdb)
    settings.STRIPE_WEBHOOK_SECRET = BENCH_SECRET

    from shop.models import Order, PaymentMethod
    from shop.payments.gateway import webhook_signature_header
    from tests.factories import shop as shop_factories
    from tests.shop.webhook_helpers import pi_event

    variant = shop_factories.variant(price=150_000, on_hand=args.orders * 8)
    other = shop_factories.variant(price=85_000, on_hand=args.orders * 8)
    place_ms: list[float] = []
    orders = []
    started = time.perf_counter()
    for _ in range(args.orders):
        cart = _cart(variant, other)
        t0 = time.perf_counter()
        order = _place(cart, PaymentMethod.CARD)
        place_ms.append((time.perf_counter() - t0) * 1000)
        orders.append(order)
    elapsed = time.perf_counter() - started

    client = Client()
    webhook_ms: list[float] = []
    for n, order in enumerate(orders):
        Order.objects.filter(pk=order.pk).update(
            payment_intent_id=f"pi_bench_{order.pk}"
        )
        order.refresh_from_db()
        payload = pi_event(
            f"evt_bench_{order.pk}_{n}", "payment_intent.succeeded", order
        )
        header = webhook_signature_header(
            payload=payload, secret=BENCH_SECRET, timestamp=int(time.time())
        )
        t0 = time.perf_counter()
        response = client.post(
            "/stripe/webhook/",
            data=payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
        webhook_ms.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(
                f"webhook failed: {response.status_code} {response.content!r}"
            )

    bank_ms, matches_per_s = _bank_transfers(args.orders, variant, other)

    engine = connection.vendor
    print(f"database: {engine}; orders: {args.orders} (2 lines each)")
    print(
        f"order_place: p50 {statistics.median(place_ms):.1f} ms, "
        f"p95 {percentile(place_ms, 0.95):.1f} ms"
    )
    print(
        f"webhook (paid): p50 {statistics.median(webhook_ms):.1f} ms, "
        f"p95 {percentile(webhook_ms, 0.95):.1f} ms"
    )
    print(
        f"bank notification (paid): p50 {statistics.median(bank_ms):.1f} ms, "
        f"p95 {percentile(bank_ms, 0.95):.1f} ms"
    )
    print(
        f"orders/s sustained (cart + place, one process): {args.orders / elapsed:.1f}"
    )
    print(f"transfers matched/s (statement import, paid): {matches_per_s:.1f}")
    ratio = statistics.median(bank_ms) / statistics.median(webhook_ms)
    verdict = "ok" if ratio <= BANK_RATIO_CEILING else "OVER"
    print(
        f"bank notification p50 / webhook p50: {ratio:.2f} "
        f"(ceiling {BANK_RATIO_CEILING}) {verdict}"
    )
    connection.creation.destroy_test_db(
        connection.settings_dict["NAME"], verbosity=0, keepdb=args.keepdb
    )
    if verdict != "ok":
        raise SystemExit(1)


def _cart(variant, other):
    """A cart of two lines: one of ``variant``, two of ``other``."""
    from shop.cart import cart_add
    from shop.models import Cart

    cart = Cart.objects.create()
    for line, quantity in ((variant, 1), (other, 2)):
        cart_add(
            cart=cart,
            variant_public_id=line.public_id,
            quantity=quantity,
            language="vi",
        )
    return cart


def _place(cart, method: str):
    from shop.services import orders as order_services
    from tests.shop.conftest import DETAILS

    return order_services.order_place(
        cart=cart,
        checkout_token=uuid.uuid4(),
        details=DETAILS,
        user=None,
        language="vi",
        expected_total=None,
        payment_method=method,
    )


def _vietqr_orders(count: int, variant, other) -> list:
    from shop.models import PaymentMethod

    return [_place(_cart(variant, other), PaymentMethod.VIETQR) for _ in range(count)]


def _bank_transfers(count: int, variant, other) -> tuple[list[float], float]:
    """Signed notifications for ``count`` VietQR orders (p50/p95 of each),
    then a statement of ``count`` more transfers (matches per second)."""
    from django.conf import settings
    from django.test import Client

    from shop.models import Order, PaymentStatus
    from shop.services.statements import statement_import
    from tests.shop.bankfeed_helpers import notification, send
    from tests.shop.conftest import ACCOUNT, BANK_BIN, HOLDER

    settings.SHOP_BANK_FEED_SECRET = BENCH_BANK_SECRET
    settings.SHOP_VIETQR_BANK_BIN = BANK_BIN
    settings.SHOP_VIETQR_ACCOUNT = ACCOUNT
    settings.SHOP_VIETQR_ACCOUNT_HOLDER = HOLDER
    client = Client()
    timings: list[float] = []
    for order in _vietqr_orders(count, variant, other):
        payload = notification(
            amount=order.total,
            content=f"MBVCB.123.{order.transfer_reference.lower()} chuyen tien",
        )
        # Signing (one HMAC) is inside the timing, as a sender's would be.
        t0 = time.perf_counter()
        response = send(payload, client=client, secret=BENCH_BANK_SECRET)
        timings.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"bank feed failed: {response.status_code}")
    orders = _vietqr_orders(count, variant, other)
    rows = [
        f'{n},07/12/2026 10:15:02,FTBENCH{n:06d},,"{order.total}",'
        f'"MBVCB.{n}.{order.transfer_reference}.CT"'
        for n, order in enumerate(orders, start=1)
    ]
    head = "STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có (VND),Nội dung chi tiết"
    data = ("\n".join([head, *rows]) + "\n").encode()
    t0 = time.perf_counter()
    report = statement_import(data)
    seconds = time.perf_counter() - t0
    paid = Order.objects.filter(
        pk__in=[o.pk for o in orders], payment_status=PaymentStatus.PAID
    ).count()
    if report.created != count or paid != count:
        raise SystemExit(f"statement import: {report}, {paid} of {count} paid")
    return timings, count / seconds


if __name__ == "__main__":
    main()
