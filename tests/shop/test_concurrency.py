"""Reliability under concurrency: oversell races, double submits, webhook storms.

Threads run real transactions (``transaction=True``). On PostgreSQL they
contend on row locks; on SQLite every write transaction is serialised
(``BEGIN IMMEDIATE``), so the same tests prove the conditional updates but
not the locks, and run fewer repetitions.
"""

from __future__ import annotations

import datetime
import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from shop.errors import OutOfStock
from shop.models import (
    Cart,
    CartLine,
    Order,
    OrderFulfilment,
    OrderLine,
    PayableEntry,
    PaymentStatus,
    ProcessedStripeEvent,
    StockRecord,
    StockReservation,
)
from shop.services import orders as order_services
from tests.factories import shop as shop_factories

from .conftest import DETAILS
from .webhook_helpers import pi_event, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:aiohttp.*"),
]

IS_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def run_concurrently(function, arguments, workers):
    """Oscar's run_concurrently: start together, collect results and errors."""
    barrier = threading.Barrier(min(workers, len(arguments)))

    def call(argument):
        try:
            barrier.wait(timeout=30)
            return ("ok", function(argument))
        except Exception as error:  # noqa: BLE001 - the test inspects it
            return ("error", error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(call, arguments))


@pytest.mark.parametrize("units", [1, 3, 10])
def test_buyers_racing_for_the_last_units(units):
    variant = shop_factories.variant(price=150_000, on_hand=units)
    repeats = 20 if IS_POSTGRES else 1
    buyers = 50
    for _ in range(repeats):
        StockRecord.objects.filter(variant=variant).update(
            quantity_on_hand=units, quantity_reserved=0
        )
        carts = []
        for _ in range(buyers):
            cart = Cart.objects.create()
            CartLine.objects.create(
                cart=cart, variant_public_id=variant.public_id, quantity=1
            )
            carts.append(cart)

        def buy(cart):
            return order_services.order_place(
                cart=cart,
                checkout_token=uuid.uuid4(),
                details=DETAILS,
                user=None,
                language="vi",
                expected_total=None,
            )

        results = run_concurrently(buy, carts, workers=buyers)
        winners = [value for kind, value in results if kind == "ok"]
        losers = [value for kind, value in results if kind == "error"]
        assert len(winners) == units
        assert all(isinstance(error, OutOfStock) for error in losers), losers[:3]
        assert all(error.code == "out_of_stock" for error in losers)
        record = StockRecord.objects.get(variant=variant)
        assert (record.quantity_on_hand, record.quantity_reserved) == (units, units)
        # Next round: release what this round held.
        StockReservation.objects.all().delete()
        Order.objects.all().delete()
        Cart.objects.all().delete()


@pytest.mark.postgres
def test_opposite_line_orders_do_not_deadlock():
    first = shop_factories.variant(price=50_000, on_hand=100)
    second = shop_factories.variant(
        brand_page=first.product.get_parent().specific, on_hand=100
    )
    carts = []
    for n in range(20):
        cart = Cart.objects.create()
        pair = (first, second) if n % 2 else (second, first)
        for variant in pair:
            CartLine.objects.create(
                cart=cart, variant_public_id=variant.public_id, quantity=1
            )
        carts.append(cart)

    def buy(cart):
        return order_services.order_place(
            cart=cart,
            checkout_token=uuid.uuid4(),
            details=DETAILS,
            user=None,
            language="vi",
            expected_total=None,
        )

    results = run_concurrently(buy, carts, workers=20)
    assert [kind for kind, _ in results] == ["ok"] * 20
    assert set(StockRecord.objects.values_list("quantity_reserved", flat=True)) == {20}


def test_ten_identical_checkout_submits_make_one_order_and_one_payment_intent(
    stripe_settings, localstripe_server
):
    import stripe

    variant = shop_factories.variant(price=150_000, on_hand=10)
    client = Client()
    client.post("/cart/add/", {"variant": str(variant.public_id), "quantity": "1"})
    token = str(uuid.uuid4())
    data = {
        "checkout_token": token,
        "expected_total": "180000",
        "email": "a@example.com",
        "phone": "0912345678",
        "recipient_name": "An",
        "recipient_phone": "0912345678",
        "province": "An Giang",
        "commune": "Long Xuyên",
        "street": "1 Lý Thái Tổ",
        "payment_method": "card",
        "accept_terms": "on",
    }
    session_cookie = client.cookies

    def submit(_):
        browser = Client()
        browser.cookies = session_cookie
        response = browser.post("/checkout/", data)
        return response.status_code, response.get("Location", "")

    results = run_concurrently(submit, range(10), workers=10)
    assert [kind for kind, _ in results] == ["ok"] * 10, results
    order = Order.objects.get()
    locations = {value for _, value in results}
    assert locations == {(302, f"/orders/{order.public_id}/pay/")}
    assert StockRecord.objects.get(variant=variant).quantity_reserved == 1
    api = stripe.StripeClient(
        stripe_settings.STRIPE_SECRET_KEY,
        base_addresses={"api": stripe_settings.STRIPE_API_BASE},
    )
    intents = [
        intent
        for intent in api.v1.payment_intents.list(params={"limit": 100}).data
        if intent.to_dict().get("metadata", {}).get("order_uuid")
        == str(order.public_id)
    ]
    assert len(intents) == 1
    assert order.payment_intent_id == intents[0].id


def _bulk_orders(count: int):
    """``count`` pending orders of one unit each, built directly (test data)."""
    variant = shop_factories.variant(price=100_000, on_hand=count)
    record = StockRecord.objects.get(variant=variant)
    organisation_id = (
        OrderFulfilment._meta.get_field("organisation")
        .related_model.objects.get(brand_pages__id=variant.product.get_parent().pk)
        .pk
    )
    now = timezone.now()
    orders = Order.objects.bulk_create(
        [
            Order(
                number=f"AG-2099-{n:06d}",
                checkout_token=uuid.uuid4(),
                email=f"buyer{n}@example.com",
                phone="0912345678",
                recipient_name="X",
                recipient_phone="0912345678",
                province="An Giang",
                commune="Y",
                street="Z",
                terms_accepted_at=now,
                subtotal=100_000,
                shipping_total=0,
                total=100_000,
                reserved_until=now + datetime.timedelta(hours=1),
                payment_intent_id=f"pi_storm_{n}",
            )
            for n in range(count)
        ]
    )
    orders = list(Order.objects.order_by("pk"))
    fulfilments = OrderFulfilment.objects.bulk_create(
        [
            OrderFulfilment(
                order=order,
                organisation_id=organisation_id,
                brand_title="B",
                subtotal=100_000,
                shipping_fee=0,
            )
            for order in orders
        ]
    )
    fulfilments = list(OrderFulfilment.objects.order_by("order_id"))
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                fulfilment=fulfilment,
                organisation_id=organisation_id,
                variant=variant,
                variant_public_id=variant.public_id,
                product_title="P",
                variant_name="V",
                sku=variant.sku,
                unit_price=100_000,
                quantity=1,
                line_total=100_000,
            )
            for order, fulfilment in zip(orders, fulfilments, strict=True)
        ]
    )
    StockReservation.objects.bulk_create(
        [
            StockReservation(
                order=order, stock=record, quantity=1, expires_at=order.reserved_until
            )
            for order in orders
        ]
    )
    StockRecord.objects.filter(pk=record.pk).update(quantity_reserved=count)
    return orders, record


@pytest.mark.timeout(600)
def test_webhook_storm_200_events_5_times_shuffled_concurrent(webhook_secret):
    orders, record = _bulk_orders(200)
    payloads = [
        pi_event(f"evt_storm_{o.pk}", "payment_intent.succeeded", o) for o in orders
    ]
    deliveries = payloads * 5
    random.Random(42).shuffle(deliveries)
    bad = [
        ("bad-signature", payloads[0]),
        ("stale", payloads[1]),
    ]

    def deliver(payload):
        return send(payload).status_code

    results = run_concurrently(deliver, deliveries, workers=10)
    statuses = [value for kind, value in results if kind == "ok"]
    assert [kind for kind, _ in results].count("ok") == len(deliveries)
    assert set(statuses) == {200}
    assert ProcessedStripeEvent.objects.count() == 200
    assert Order.objects.filter(payment_status=PaymentStatus.PAID).count() == 200
    assert PayableEntry.objects.filter(kind="sale").count() == 200
    assert len(mail.outbox) == 200  # one receipt per order, none twice
    record.refresh_from_db()
    assert (record.quantity_on_hand, record.quantity_reserved) == (0, 0)
    assert StockReservation.objects.filter(status="sold").count() == 200
    # Bad signature and stale timestamp: 400, nothing written.
    import time

    before = ProcessedStripeEvent.objects.count()
    assert send(bad[0][1], secret="whsec_wrong").status_code == 400
    assert send(bad[1][1], timestamp=time.time() - 3600).status_code == 400
    assert ProcessedStripeEvent.objects.count() == before
    connections.close_all()
