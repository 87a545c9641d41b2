"""End to end with the real `stripe` library against localstripe over HTTP."""

import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from shop.models import Order, PayableEntry, PaymentStatus, Refund, StockRecord
from shop.services import jobs, refunds

from .conftest import (
    CHECKOUT_FIELDS,
    WEBHOOK_SECRET,
    card_token,
    stripe_api,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:aiohttp.*"),
]


def _checkout(client, catalogue, token=None):
    for variant, qty in ((catalogue["rice"], 2), (catalogue["sauce"], 1)):
        client.post(
            reverse("shop:cart_add"),
            {"variant": str(variant.public_id), "quantity": qty},
        )
    data = {
        "checkout_token": str(token or uuid.uuid4()),
        "expected_total": "475000",
        **CHECKOUT_FIELDS,
    }
    return client.post(reverse("shop:checkout"), data)


def test_buy_two_brands_pay_by_card_webhook_marks_paid_then_partial_refund(
    live_server, stripe_settings, localstripe_server, catalogue
):
    import localstripe_server as harness

    harness.register_webhook(
        base_url=localstripe_server.base_url,
        url=f"{live_server.url}/stripe/webhook/",
        secret=WEBHOOK_SECRET,
        name="e2e",
    )
    client = Client()
    response = _checkout(client, catalogue)
    order = Order.objects.get()
    assert response.status_code == 302
    assert order.payment_intent_id.startswith("pi_")
    intent = stripe_api(stripe_settings).v1.payment_intents.retrieve(
        order.payment_intent_id
    )
    assert (intent.amount, intent.currency) == (475_000, "vnd")
    assert intent.metadata["order_number"] == order.number
    assert intent.metadata["order_uuid"] == str(order.public_id)

    pay_page = client.get(
        reverse("shop:order_pay", kwargs={"public_id": order.public_id})
    )
    assert (
        f"{localstripe_server.base_url}/js.stripe.com/v3/" in pay_page.content.decode()
    )

    answer = client.post(
        reverse("shop:order_pay_card", kwargs={"public_id": order.public_id}),
        {"card": card_token(stripe_settings)},
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "succeeded"
    # The browser's answer does not mark the order paid; only the webhook does.
    assert wait_for(lambda: Order.objects.get().payment_status == PaymentStatus.PAID)
    assert StockRecord.objects.get(variant=catalogue["rice"]).quantity_on_hand == 8
    # The receipt goes out just after the webhook's commit; the test brands have
    # no members, so the buyer's is the only email.
    assert wait_for(lambda: len(mail.outbox) == 1)

    fulfilment = order.fulfilments.get(organisation=catalogue["brand_a"].organisation)
    refund = refunds.refund_request(
        fulfilment=fulfilment, amount=50_000, reason="", user=None
    )
    assert refund.status == Refund.Status.SUCCEEDED
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    assert order.amount_refunded == 50_000
    charge = stripe_api(stripe_settings).v1.payment_intents.retrieve(
        order.payment_intent_id
    )
    assert charge.status == "succeeded"
    assert PayableEntry.objects.filter(kind="refund").get().amount == -50_000
    with pytest.raises(Exception) as too_much:
        refunds.refund_request(
            fulfilment=fulfilment, amount=10_000_000, reason="", user=None
        )
    assert too_much.type.__name__ == "RefundInvalid"
    assert Refund.objects.count() == 1


def test_declined_card_is_a_clear_402_and_order_stays_payable(
    stripe_settings, localstripe_server, catalogue
):
    import localstripe_server as harness

    harness.register_webhook(
        base_url=localstripe_server.base_url,
        url="http://127.0.0.1:9/",
        secret="whsec_x",
        name="e2e",
    )
    client = Client()
    _checkout(client, catalogue)
    order = Order.objects.get()
    answer = client.post(
        reverse("shop:order_pay_card", kwargs={"public_id": order.public_id}),
        {"card": card_token(stripe_settings, "4000000000000341")},
    )
    assert answer.status_code == 402
    assert answer.json()["error"] == "payment_failed"
    order.refresh_from_db()
    assert order.is_payable


def test_lost_webhook_is_recovered_by_reconciliation_once(
    stripe_settings, localstripe_server, catalogue
):
    """Crash inside the webhook before commit == the event never applied."""
    import localstripe_server as harness

    harness.register_webhook(
        base_url=localstripe_server.base_url,
        url="http://127.0.0.1:9/",
        secret="whsec_x",
        name="e2e",
    )
    client = Client()
    _checkout(client, catalogue)
    order = Order.objects.get()
    client.post(
        reverse("shop:order_pay_card", kwargs={"public_id": order.public_id}),
        {"card": card_token(stripe_settings)},
    )
    assert Order.objects.get().payment_status == PaymentStatus.PENDING
    report = jobs.orders_reconcile(older_than_minutes=0)
    assert (report.checked, report.paid) == (1, 1)
    assert Order.objects.get().payment_status == PaymentStatus.PAID
    emails, payables = len(mail.outbox), PayableEntry.objects.count()
    # Stripe redelivers the (late) webhook: nothing happens twice.
    from .webhook_helpers import pi_event, send

    order.refresh_from_db()
    send(pi_event("evt_late", "payment_intent.succeeded", order))
    second = jobs.orders_reconcile(older_than_minutes=0)
    assert second.paid == 0
    assert (len(mail.outbox), PayableEntry.objects.count()) == (emails, payables)
    assert StockRecord.objects.get(variant=catalogue["rice"]).quantity_on_hand == 8


def test_unpaid_orders_expire_cancel_their_intent_and_release_stock(
    stripe_settings, localstripe_server, catalogue
):
    client = Client()
    _checkout(client, catalogue)
    order = Order.objects.get()
    # A second order that crashed right after the insert (no PaymentIntent).
    from .conftest import place

    crashed = place({catalogue["sugar"]: 1})
    Order.objects.update(reserved_until=order.created_at)
    report = jobs.orders_expire()
    assert report.expired == 2
    assert set(Order.objects.values_list("payment_status", flat=True)) == {"expired"}
    assert set(StockRecord.objects.values_list("quantity_reserved", flat=True)) == {0}
    intent = stripe_api(stripe_settings).v1.payment_intents.retrieve(
        order.payment_intent_id
    )
    assert intent.status == "canceled"
    assert crashed.payment_intent_id is None
    # Paying an expired order is refused.
    answer = client.post(
        reverse("shop:order_pay_card", kwargs={"public_id": order.public_id}),
        {"card": "card_123456"},
    )
    assert answer.status_code == 409
