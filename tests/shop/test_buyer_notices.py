"""The buyer hears from each brand's part: shipped (carrier and tracking),
delivered, refunded; in the buyer's language, once per event, and again only
if the first send never happened (the outbox)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from organisations.models import Membership
from shop.models import BuyerNotice, FulfilmentStatus, Order, OrderFulfilment, Refund
from shop.payments import gateway
from shop.services import cod
from shop.services import fulfilment as fulfilment_services
from shop.services.jobs import orders_reconcile
from shop.services.refunds import refund_apply
from shop.tasks import buyer_notice_send
from tests.factories import member

from .conftest import place
from .test_cod import SHIP, place_cod
from .webhook_helpers import pi_event, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(catalogue, webhook_secret):
    order = place({catalogue["rice"]: 2, catalogue["sauce"]: 1})
    Order.objects.filter(pk=order.pk).update(payment_intent_id="pi_notice")
    order.refresh_from_db()
    send(pi_event("evt_notice", "payment_intent.succeeded", order))
    mail.outbox.clear()
    return order


def _move(part, status, **details):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return fulfilment_services.fulfilment_update(
            fulfilment=part, status=status, **details
        )


def _part(order, catalogue, brand="brand_a") -> OrderFulfilment:
    return order.fulfilments.get(organisation=catalogue[brand].organisation)


def test_shipped_then_delivered_each_tell_the_buyer_once(paid, catalogue):
    part = _part(paid, catalogue)
    _move(part, FulfilmentStatus.SHIPPED, carrier="GHN", tracking_number="GHN12345")
    assert len(mail.outbox) == 1
    shipped = mail.outbox[0]
    assert shipped.to == [paid.email]
    assert part.brand_title in shipped.subject and paid.number in shipped.subject
    assert "đã gửi hàng" in shipped.subject
    assert "GHN12345" in shipped.body and "GHN" in shipped.body
    assert "GHN12345" in shipped.alternatives[0][0]
    # The same status again (a second click) tells nobody anything.
    _move(part, FulfilmentStatus.SHIPPED, carrier="GHN", tracking_number="GHN12345")
    assert len(mail.outbox) == 1
    _move(part, FulfilmentStatus.DELIVERED)
    assert len(mail.outbox) == 2
    assert "đã được giao" in mail.outbox[1].subject
    # The other brand's part is untouched, and so is its buyer's inbox.
    assert (
        BuyerNotice.objects.filter(fulfilment=_part(paid, catalogue, "brand_b")).count()
        == 0
    )
    assert set(BuyerNotice.objects.values_list("kind", flat=True)) == {
        "shipped",
        "delivered",
    }
    assert not BuyerNotice.objects.filter(sent_at__isnull=True).exists()


def test_packing_is_not_an_email(paid, catalogue):
    _move(_part(paid, catalogue), FulfilmentStatus.PACKED)
    assert mail.outbox == []
    assert not BuyerNotice.objects.exists()


def test_an_english_buyer_is_told_in_english(paid, catalogue):
    Order.objects.filter(pk=paid.pk).update(language="en")
    _move(
        _part(paid, catalogue),
        FulfilmentStatus.SHIPPED,
        carrier="VNPost",
        tracking_number="EE123456789VN",
    )
    message = mail.outbox[0]
    assert message.subject.startswith(
        _part(paid, catalogue).brand_title + " has shipped"
    )
    assert "Tracking number: EE123456789VN" in message.body


def test_a_refund_tells_the_buyer_its_amount(paid, catalogue):
    part = _part(paid, catalogue)
    refund = Refund.objects.create(
        order=paid,
        fulfilment=part,
        stripe_refund_id="re_notice",
        amount=50_000,
        reason="Bao bị rách",
    )
    info = gateway.RefundInfo(
        id="re_notice",
        status="succeeded",
        amount=50_000,
        currency="vnd",
        payment_intent_id="pi_notice",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert refund_apply(info=info)
    assert len(mail.outbox) == 1
    assert "50.000 ₫" in mail.outbox[0].subject
    assert "Bao bị rách" in mail.outbox[0].body
    # Stripe tells us again: applied once, told once.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert not refund_apply(info=info)
    assert len(mail.outbox) == 1
    assert BuyerNotice.objects.get().refund == refund


def test_cash_on_delivery_steps_tell_the_buyer_too(catalogue):
    order = place_cod({catalogue["rice"]: 1})
    mail.outbox.clear()
    part = order.fulfilments.get()
    staff = member(catalogue["brand_a"].organisation, Membership.Role.EDITOR)
    with TestCase.captureOnCommitCallbacks(execute=True):
        cod.cod_part_step(fulfilment=part, step=FulfilmentStatus.CONFIRMED, user=staff)
        cod.cod_part_step(
            fulfilment=part, step=FulfilmentStatus.SHIPPED, user=staff, **SHIP
        )
    assert [m.subject for m in mail.outbox if "S123456" in m.body]
    shipped = mail.outbox[-1]
    assert "180.000 ₫" in shipped.body  # what to pay the courier
    with TestCase.captureOnCommitCallbacks(execute=True):
        cod.cod_part_step(fulfilment=part, step=FulfilmentStatus.DELIVERED, user=staff)
    assert "180.000 ₫" in mail.outbox[-1].body
    assert BuyerNotice.objects.filter(fulfilment=part).count() == 2


def test_a_notice_the_worker_never_sent_goes_out_with_the_reconciliation(
    paid, catalogue, settings
):
    part = _part(paid, catalogue)
    # The step committed, then the process died before the task ran.
    fulfilment_services.fulfilment_update(
        fulfilment=part,
        status=FulfilmentStatus.SHIPPED,
        carrier="GHN",
        tracking_number="GHN999",
    )
    assert mail.outbox == []
    notice = BuyerNotice.objects.get()
    BuyerNotice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    report = orders_reconcile(older_than_minutes=10)
    assert report.notified >= 1
    assert len(mail.outbox) == 1 and "GHN999" in mail.outbox[0].body
    # The task queued again (a retry) sends nothing more.
    buyer_notice_send.enqueue(notice.pk)
    orders_reconcile(older_than_minutes=10)
    assert len(mail.outbox) == 1
