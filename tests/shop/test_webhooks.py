import itertools
import time

import pytest
from django.core import mail

from shop.models import (
    Order,
    PayableEntry,
    PaymentStatus,
    ProcessedStripeEvent,
    StockRecord,
    StockReservation,
)

from .conftest import place
from .webhook_helpers import pi_event, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(catalogue, webhook_secret, settings):
    settings.SHOP_PLATFORM_FEE_BASIS_POINTS = 500
    order = place({catalogue["rice"]: 2, catalogue["sauce"]: 1})
    Order.objects.filter(pk=order.pk).update(payment_intent_id="pi_test_order")
    order.refresh_from_db()
    return order


def _state(order):
    order.refresh_from_db()
    return (
        order.payment_status,
        tuple(
            StockRecord.objects.order_by("pk").values_list(
                "quantity_on_hand", "quantity_reserved"
            )
        ),
        ProcessedStripeEvent.objects.count(),
        PayableEntry.objects.count(),
        len(mail.outbox),
    )


def test_succeeded_event_marks_paid_commits_stock_books_payables_and_emails(
    order, catalogue
):
    response = send(pi_event("evt_1", "payment_intent.succeeded", order))
    assert response.status_code == 200
    assert response.content == b"processed"
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert order.paid_at is not None
    assert StockRecord.objects.get(variant=catalogue["rice"]).quantity_on_hand == 8
    assert StockRecord.objects.get(variant=catalogue["rice"]).quantity_reserved == 0
    assert set(StockReservation.objects.values_list("status", flat=True)) == {"sold"}
    kinds = sorted(PayableEntry.objects.values_list("kind", "amount"))
    assert kinds == sorted(
        [
            ("sale", 300_000),
            ("fee", -15_000),
            ("sale", 120_000),
            ("fee", -6_000),
            ("shipping", 30_000),
            ("shipping", 25_000),
        ]
    )
    # Buyer receipt plus one notice per brand that has recipients.
    buyer = mail.outbox[0]
    assert buyer.to == ["nguoi.mua@example.com"]
    assert order.number in buyer.subject
    assert buyer.alternatives[0][1] == "text/html"
    assert "300.000 ₫" in buyer.body


def test_paid_emails_go_out_once_however_often_the_task_is_queued(order):
    from shop.tasks import order_paid_emails_send

    send(pi_event("evt_mail", "payment_intent.succeeded", order))
    sent = len(mail.outbox)
    assert sent >= 1
    order.refresh_from_db()
    assert order.paid_emails_sent_at is not None
    # The webhook's copy ran; reconciliation's (or a retried task) sends nothing.
    order_paid_emails_send.enqueue(order.pk)
    assert len(mail.outbox) == sent


def test_redelivery_is_a_no_op(order):
    payload = pi_event("evt_dup", "payment_intent.succeeded", order)
    send(payload)
    after_first = _state(order)
    response = send(payload)
    assert response.status_code == 200
    assert response.content == b"duplicate"
    assert _state(order) == after_first


@pytest.mark.parametrize(
    "header",
    ["", "t=1,v1=deadbeef", "garbage", "v1=abc"],
)
def test_bad_signatures_are_400_and_write_nothing(order, header):
    before = _state(order)
    payload = pi_event("evt_bad", "payment_intent.succeeded", order)
    response = (
        send(payload, header=header or None)
        if header
        else send(payload, secret="whsec_wrong")
    )
    assert response.status_code == 400
    assert _state(order) == before


def test_stale_and_future_timestamps_are_rejected(order):
    before = _state(order)
    payload = pi_event("evt_old", "payment_intent.succeeded", order)
    assert send(payload, timestamp=time.time() - 301).status_code == 400
    assert send(payload, timestamp=time.time() + 301).status_code == 400
    assert _state(order) == before
    assert send(payload, timestamp=time.time() - 200).status_code == 200


def test_tampered_body_fails_the_signature(order):
    from shop.payments.gateway import webhook_signature_header

    from .conftest import WEBHOOK_SECRET

    payload = pi_event("evt_t", "payment_intent.succeeded", order)
    header = webhook_signature_header(
        payload=payload, secret=WEBHOOK_SECRET, timestamp=int(time.time())
    )
    before = _state(order)
    response = send(payload.replace('"amount": ', '"amount": 1'), header=header)
    assert response.status_code == 400
    assert _state(order) == before


def test_unknown_event_type_is_acknowledged(order, webhook_secret):
    payload = '{"id": "evt_x", "type": "customer.created", "created": 1, "data": {"object": {}}}'
    response = send(payload)
    assert response.status_code == 200
    assert response.content == b"ignored"
    assert ProcessedStripeEvent.objects.count() == 0


def test_get_is_not_allowed(client):
    assert client.get("/stripe/webhook/").status_code == 405


@pytest.mark.parametrize(
    ("amount", "currency"), [(1, "vnd"), (None, "usd")], ids=["amount", "currency"]
)
def test_amount_or_currency_mismatch_is_flagged_not_paid(order, amount, currency):
    send(
        pi_event(
            "evt_mis",
            "payment_intent.succeeded",
            order,
            amount=amount,
            currency=currency,
        )
    )
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PENDING
    assert order.needs_review is True
    assert PayableEntry.objects.count() == 0
    assert len(mail.outbox) == 0


def test_late_failure_never_downgrades_a_paid_order(order):
    send(pi_event("evt_s", "payment_intent.succeeded", order))
    send(pi_event("evt_f", "payment_intent.payment_failed", order))
    send(pi_event("evt_c", "payment_intent.canceled", order))
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID


def test_event_for_unknown_intent_is_acknowledged(order):
    payload = pi_event(
        "evt_u", "payment_intent.succeeded", order, pi_id="pi_someone_else"
    )
    payload = payload.replace(
        str(order.public_id), "00000000-0000-0000-0000-000000000000"
    )
    response = send(payload)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PENDING


def test_intent_id_found_through_metadata_after_a_crash(order):
    """The PaymentIntent id was never saved: the metadata names the order."""
    Order.objects.filter(pk=order.pk).update(payment_intent_id=None)
    order.refresh_from_db()
    send(pi_event("evt_m", "payment_intent.succeeded", order, pi_id="pi_recovered"))
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert order.payment_intent_id == "pi_recovered"


EVENTS = [
    "payment_intent.processing",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.succeeded",
]


def _expected(events):
    # What the latest PaymentIntent at Stripe implies for the order.
    if "payment_intent.succeeded" in events:
        return PaymentStatus.PAID
    if "payment_intent.canceled" in events:
        return PaymentStatus.EXPIRED
    if "payment_intent.payment_failed" in events:
        return PaymentStatus.FAILED
    return PaymentStatus.PENDING


@pytest.mark.parametrize("subset_size", [2, 3, 4])
def test_every_ordering_of_events_ends_in_the_state_stripe_implies(order, subset_size):
    reservation_count = StockReservation.objects.count()
    stock = list(
        StockRecord.objects.values_list("pk", "quantity_on_hand", "quantity_reserved")
    )
    for n, events in enumerate(itertools.permutations(EVENTS, subset_size)):
        # Back to a fresh pending order with its stock held.
        Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.PENDING)
        StockReservation.objects.update(status="held")
        for pk, on_hand, reserved in stock:
            StockRecord.objects.filter(pk=pk).update(
                quantity_on_hand=on_hand, quantity_reserved=reserved
            )
        PayableEntry.objects.all().delete()
        for i, event_type in enumerate(events):
            assert (
                send(
                    pi_event(f"evt_{subset_size}_{n}_{i}", event_type, order)
                ).status_code
                == 200
            )
        order.refresh_from_db()
        assert order.payment_status == _expected(events), events
        held = set(StockReservation.objects.values_list("status", flat=True))
        expected_stock = {
            PaymentStatus.PAID: {"sold"},
            PaymentStatus.EXPIRED: {"released"},
        }
        assert held == expected_stock.get(order.payment_status, {"held"}), events
    assert StockReservation.objects.count() == reservation_count
