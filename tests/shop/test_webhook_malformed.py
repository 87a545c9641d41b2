"""Signed but malformed Stripe events: 400, recorded once, nothing else written."""

import json

import pytest

from shop.models import Order, PaymentStatus, ProcessedStripeEvent, StockRecord

from .conftest import place
from .webhook_helpers import pi_event, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(catalogue, webhook_secret):
    order = place({catalogue["rice"]: 2})
    Order.objects.filter(pk=order.pk).update(payment_intent_id="pi_test_order")
    order.refresh_from_db()
    return order


def _mutated(order, event_type, change):
    event = json.loads(pi_event("evt_bad", "payment_intent.succeeded", order))
    event["type"] = event_type
    change(event["data"]["object"])
    return json.dumps(event)


def _drop(key):
    return lambda obj: obj.pop(key)


def _put(key, value):
    return lambda obj: obj.__setitem__(key, value)


def _meta(key, value):
    return lambda obj: obj["metadata"].__setitem__(key, value)


PI_SHAPES = {
    "no id": _drop("id"),
    "id not a string": _put("id", {"nested": 1}),
    "amount not a number": _put("amount", "lots"),
    "amount a list": _put("amount", [1]),
    "metadata a string": _put("metadata", "order"),
    "metadata a list": _put("metadata", ["a", "b"]),
    "order uuid not a uuid": _meta("order_uuid", "not-a-uuid"),
    "order uuid a number": _meta("order_uuid", 42),
    "latest charge a number": _put("latest_charge", 7),
    "payment error a string": _put("last_payment_error", "declined"),
}


def _written(order):
    order.refresh_from_db()
    return (
        order.payment_status,
        order.needs_review,
        tuple(StockRecord.objects.values_list("quantity_on_hand", "quantity_reserved")),
    )


@pytest.mark.parametrize("shape", PI_SHAPES)
def test_malformed_payment_intent_is_400_recorded_and_writes_nothing(order, shape):
    before = _written(order)
    # Unknown intent id too, so that the metadata path is exercised.
    Order.objects.filter(pk=order.pk).update(payment_intent_id=None)
    before = _written(order)
    response = send(_mutated(order, "payment_intent.succeeded", PI_SHAPES[shape]))
    assert response.status_code == 400
    assert _written(order) == before
    assert order.payment_status == PaymentStatus.PENDING
    assert list(ProcessedStripeEvent.objects.values_list("event_id", flat=True)) == [
        "evt_bad"
    ]
    # A redelivery is not reprocessed and not another 400.
    again = send(_mutated(order, "payment_intent.succeeded", PI_SHAPES[shape]))
    assert again.status_code == 200
    assert again.content == b"duplicate"
    assert ProcessedStripeEvent.objects.count() == 1


REFUND_SHAPES = {
    "refund without id": {"object": "refund", "status": "succeeded", "amount": 1},
    "refund amount text": {"id": "re_1", "status": "succeeded", "amount": "x"},
    "refund intent a number": {"id": "re_1", "amount": 1, "payment_intent": 5},
    "refund status a dict": {"id": "re_1", "amount": 1, "status": {}},
}


def _event(event_type, data_object):
    return json.dumps(
        {
            "id": "evt_bad",
            "object": "event",
            "type": event_type,
            "created": 1,
            "data": {"object": data_object},
        }
    )


@pytest.mark.parametrize("shape", REFUND_SHAPES)
def test_malformed_refund_is_400_and_recorded(order, shape):
    response = send(_event("refund.updated", REFUND_SHAPES[shape]))
    assert response.status_code == 400
    assert ProcessedStripeEvent.objects.filter(event_id="evt_bad").exists()


@pytest.mark.parametrize(
    "refunds",
    [
        ["re_1"],
        {"data": "re_1"},
        {"data": [{"id": "re_1", "amount": "x"}]},
        {"data": [5]},
    ],
)
def test_malformed_charge_refunded_is_400_and_recorded(order, refunds):
    response = send(_event("charge.refunded", {"id": "ch_1", "refunds": refunds}))
    assert response.status_code == 400
    assert ProcessedStripeEvent.objects.filter(event_id="evt_bad").exists()


def test_unknown_order_named_by_valid_metadata_is_acknowledged_and_recorded(order):
    payload = pi_event("evt_u", "payment_intent.succeeded", order, pi_id="pi_other")
    payload = payload.replace(
        str(order.public_id), "00000000-0000-0000-0000-000000000000"
    )
    response = send(payload)
    assert response.status_code == 200
    assert ProcessedStripeEvent.objects.filter(event_id="evt_u").exists()
