"""Shop benchmark: placing orders and processing signed webhooks.

Prints p50/p95 latency of ``order_place`` (cart -> pending order with stock
held, one transaction) and of one webhook delivery (signature check, event
recorded, order locked, paid, stock sold, ledger booked, receipt email), and
orders per second sustained by placing orders back to back.

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

    from shop.cart import cart_add
    from shop.models import Cart, Order
    from shop.payments.gateway import webhook_signature_header
    from shop.services import orders as order_services
    from tests.factories import shop as shop_factories
    from tests.shop.conftest import DETAILS
    from tests.shop.webhook_helpers import pi_event

    variant = shop_factories.variant(price=150_000, on_hand=args.orders * 2)
    other = shop_factories.variant(price=85_000, on_hand=args.orders * 2)
    place_ms: list[float] = []
    orders = []
    started = time.perf_counter()
    for _ in range(args.orders):
        cart = Cart.objects.create()
        cart_add(
            cart=cart, variant_public_id=variant.public_id, quantity=1, language="vi"
        )
        cart_add(
            cart=cart, variant_public_id=other.public_id, quantity=2, language="vi"
        )
        t0 = time.perf_counter()
        order = order_services.order_place(
            cart=cart,
            checkout_token=uuid.uuid4(),
            details=DETAILS,
            user=None,
            language="vi",
            expected_total=None,
        )
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
        f"orders/s sustained (cart + place, one process): {args.orders / elapsed:.1f}"
    )
    connection.creation.destroy_test_db(
        connection.settings_dict["NAME"], verbosity=0, keepdb=args.keepdb
    )


if __name__ == "__main__":
    main()
