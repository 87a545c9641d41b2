"""VietQR orders and the bank feed: placing, instructions, signed notifications,
matching, every mismatch class, expiry and statement import (real DB, no mocks)."""

from __future__ import annotations

import datetime
import time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from shop.errors import (
    OrderNotPayable,
    TransferResolutionInvalid,
    TransferUnavailable,
)
from shop.models import (
    BankTransaction,
    Order,
    PayableEntry,
    PaymentMethod,
    PaymentStatus,
    StockRecord,
    StockReservation,
)
from shop.payments import vietqr
from shop.payments.bankfeed import notification_signature
from shop.services import jobs, transfers
from shop.services import payments as payment_services
from tests.factories import shop as shop_factories

from .bankfeed_helpers import notification, place_vietqr, send
from .conftest import ACCOUNT, BANK_BIN, BANK_FEED_SECRET, HOLDER, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def rice(db):
    return shop_factories.variant(price=150_000, on_hand=5)


def _fresh(order) -> Order:
    return Order.objects.get(pk=order.pk)


def _stock(variant) -> tuple[int, int]:
    record = StockRecord.objects.get(variant=variant)
    return record.quantity_on_hand, record.quantity_reserved


# --- Placing and instructions -------------------------------------------------


def test_a_vietqr_order_gets_a_reference_and_the_longer_hold(bank_settings, rice):
    # place_vietqr buys as a guest, whose hold has its own setting.
    bank_settings.SHOP_GUEST_VIETQR_EXPIRY_MINUTES = 60
    before = timezone.now()
    order = place_vietqr({rice: 2})
    assert order.payment_method == PaymentMethod.VIETQR
    assert vietqr.references_in(order.transfer_reference) == [order.transfer_reference]
    hold = order.reserved_until - before
    assert datetime.timedelta(minutes=59) < hold <= datetime.timedelta(minutes=61)
    reservation = StockReservation.objects.get(order=order)
    assert reservation.expires_at == order.reserved_until
    assert _stock(rice) == (5, 2)


def test_card_orders_keep_card_defaults_and_no_reference(bank_settings, rice):
    order = place({rice: 1})
    assert order.payment_method == PaymentMethod.CARD
    assert order.transfer_reference is None


def test_instructions_carry_the_exact_amount_bank_and_reference(bank_settings, rice):
    order = place_vietqr({rice: 1})
    info = transfers.vietqr_instructions(order=order)
    assert (info.bank_bin, info.account, info.account_holder) == (
        BANK_BIN,
        ACCOUNT,
        HOLDER,
    )
    assert info.amount == order.total == 180_000
    assert isinstance(info.amount, int)
    decoded = vietqr.decode(info.payload)
    assert decoded[vietqr.AMOUNT] == "180000"
    assert decoded[vietqr.CURRENCY] == "704"
    account = decoded[vietqr.MERCHANT_ACCOUNT]
    assert account[vietqr.ACCOUNT_BENEFICIARY] == {"00": BANK_BIN, "01": ACCOUNT}
    purpose = decoded[vietqr.ADDITIONAL_DATA][vietqr.ADDITIONAL_PURPOSE]
    assert vietqr.references_in(purpose) == [order.transfer_reference]


def test_instructions_refuse_when_the_account_is_not_configured(bank_settings, rice):
    order = place_vietqr({rice: 1})
    bank_settings.SHOP_VIETQR_ACCOUNT = ""
    with pytest.raises(TransferUnavailable):
        transfers.vietqr_instructions(order=order)
    bank_settings.SHOP_VIETQR_ACCOUNT = ACCOUNT
    bank_settings.SHOP_VIETQR_BANK_BIN = "97043"  # not 6 digits
    with pytest.raises(TransferUnavailable):
        transfers.vietqr_instructions(order=order)


def test_instructions_refuse_card_orders(bank_settings, rice):
    with pytest.raises(OrderNotPayable):
        transfers.vietqr_instructions(order=place({rice: 1}))


def test_a_card_order_without_intent_can_switch_to_vietqr(bank_settings, rice):
    order = place({rice: 1})
    switched = transfers.order_vietqr_start(order=order)
    assert switched.payment_method == PaymentMethod.VIETQR
    assert switched.transfer_reference
    # Idempotent: a second call keeps the reference.
    again = transfers.order_vietqr_start(order=order)
    assert again.transfer_reference == switched.transfer_reference
    held = StockReservation.objects.get(order=order)
    assert held.expires_at == switched.reserved_until


def test_an_order_with_a_payment_intent_cannot_switch(bank_settings, rice):
    order = place({rice: 1})
    Order.objects.filter(pk=order.pk).update(payment_intent_id="pi_started")
    with pytest.raises(OrderNotPayable):
        transfers.order_vietqr_start(order=order)
    assert _fresh(order).transfer_reference is None


def test_a_vietqr_order_never_gets_a_payment_intent(bank_settings, rice):
    # No Stripe is configured here: a call to Stripe would raise.
    order = place_vietqr({rice: 1})
    assert payment_services.order_payment_start(order=order).payment_intent_id is None
    with pytest.raises(OrderNotPayable):
        payment_services.order_pay_with_card(order=order, card_id="card_x")


def test_a_vietqr_order_may_exceed_the_card_maximum(bank_settings):
    # 99,999,999 VND is Stripe's limit, not the bank's.
    big = shop_factories.variant(price=60_000_000, on_hand=3)
    order = place_vietqr({big: 2})
    assert order.total == 120_000_000 + order.shipping_total


# --- The endpoint: paying -----------------------------------------------------


def test_exact_transfer_pays_once_through_the_paid_transition(bank_settings, rice):
    order = place_vietqr({rice: 2})
    payload = notification(
        amount=order.total, content=f"{order.transfer_reference} chuyen tien"
    )
    response = send(payload)
    assert response.status_code == 200
    assert response.json() == {"success": True, "result": "processed"}
    order = _fresh(order)
    assert order.payment_status == PaymentStatus.PAID
    assert order.paid_at is not None
    assert not order.needs_review
    assert _stock(rice) == (3, 0)
    assert PayableEntry.objects.filter(order=order, kind="sale").count() == 1
    receipts = [m for m in mail.outbox if order.email in m.to]
    assert len(receipts) == 1
    record = BankTransaction.objects.get()
    assert (record.order_id, record.outcome, record.amount) == (
        order.pk,
        BankTransaction.Outcome.PAID,
        order.total,
    )
    assert record.provider == BANK_BIN
    assert record.raw["transferAmount"] == order.total

    # Redelivered (twice): acknowledged, nothing changes.
    for _ in range(2):
        again = send(payload)
        assert again.status_code == 200
        assert again.json()["result"] == "duplicate"
    assert BankTransaction.objects.count() == 1
    assert PayableEntry.objects.filter(order=order, kind="sale").count() == 1
    assert len([m for m in mail.outbox if order.email in m.to]) == 1
    assert _stock(rice) == (3, 0)


@pytest.mark.parametrize(
    "template",
    [
        "{ref}",
        "{lower}",
        "chuyen khoan {spaced} thanh toan don hang",
        "Thanh toán đơn {dashed} cho chị Lan",
        "MBVCB.3278907687.{lower}.CT tu 0123 NGUYEN VAN A",
    ],
)
def test_the_reference_is_found_accent_case_and_spacing_blind(
    bank_settings, rice, template
):
    order = place_vietqr({rice: 1})
    ref = order.transfer_reference
    content = template.format(
        ref=ref,
        lower=ref.lower(),
        spaced=f"{ref[:2]} {ref[2:5]} {ref[5:]}".lower(),
        dashed=f"{ref[:4]}-{ref[4:]}",
    )
    assert send(notification(amount=order.total, content=content)).status_code == 200
    assert _fresh(order).payment_status == PaymentStatus.PAID


def test_the_reference_may_come_in_the_description(bank_settings, rice):
    order = place_vietqr({rice: 1})
    payload = notification(
        amount=order.total,
        content="",
        description=f"ND: {order.transfer_reference}",
    )
    assert send(payload).status_code == 200
    assert _fresh(order).payment_status == PaymentStatus.PAID


# --- Bad signatures and bad bodies --------------------------------------------


def _nothing_written(order) -> None:
    assert BankTransaction.objects.count() == 0
    assert _fresh(order).payment_status == PaymentStatus.PENDING


def test_bad_signatures_are_refused_and_nothing_is_written(bank_settings, rice):
    order = place_vietqr({rice: 1})
    payload = notification(amount=order.total, content=order.transfer_reference)
    stamp = int(time.time())
    assert send(payload, secret="another-secret").status_code == 400
    assert send(payload, signature="").status_code == 400
    assert send(payload, signature="sha256=" + "0" * 64).status_code == 400
    assert send(payload, signature="đ" * 64).status_code == 400
    assert send(payload, timestamp=stamp - 3600).status_code == 400
    assert send(payload, timestamp=stamp + 3600).status_code == 400
    # Signed for one body, sent with another (the amount changed in transit).
    good = notification_signature(
        payload=payload, secret=BANK_FEED_SECRET, timestamp=stamp
    )
    tampered = payload.replace(b'"in"', b'"in" ')
    assert send(tampered, signature=good, timestamp=stamp).status_code == 400
    # No headers at all.
    response = Client().post(
        "/shop/bank-feed/", data=payload, content_type="application/json"
    )
    assert response.status_code == 400
    _nothing_written(order)


def test_the_sha256_prefix_is_accepted(bank_settings, rice):
    order = place_vietqr({rice: 1})
    payload = notification(amount=order.total, content=order.transfer_reference)
    stamp = int(time.time())
    signature = notification_signature(
        payload=payload, secret=BANK_FEED_SECRET, timestamp=stamp
    )
    response = send(payload, signature=f"sha256={signature}", timestamp=stamp)
    assert response.status_code == 200


def test_no_secret_configured_answers_503_and_writes_nothing(bank_settings, rice):
    order = place_vietqr({rice: 1})
    bank_settings.SHOP_BANK_FEED_SECRET = None
    payload = notification(amount=order.total, content=order.transfer_reference)
    assert send(payload, secret="anything").status_code == 503
    _nothing_written(order)


def test_get_is_not_allowed(client, bank_settings):
    assert client.get("/shop/bank-feed/").status_code == 405


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1, 2]",
        b'{"transferAmount": 1000, "content": "x"}',  # no referenceCode
        b'{"referenceCode": "FT1", "transferAmount": 1000.5, "content": "x"}',
        b'{"referenceCode": "FT1", "transferAmount": 1000.0, "content": "x"}',
        b'{"referenceCode": "FT1", "transferAmount": true, "content": "x"}',
        b'{"referenceCode": "FT1", "transferAmount": -5, "content": "x"}',
        b'{"referenceCode": "FT1", "transferAmount": "1.000", "content": "x"}',
        b'{"referenceCode": "FT1", "transferAmount": NaN, "content": "x"}',
        b'{"referenceCode": "FT1", "transferAmount": 10, "content": ["x"]}',
        b'{"referenceCode": "FT1", "transferAmount": 10, "transactionDate": "hom qua"}',
        b'{"referenceCode": "FT1", "transferAmount": 10, "transferType": "sideways"}',
        b'{"referenceCode": "' + b"F" * 500 + b'", "transferAmount": 10}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"referenceCode": "FT1", "transferAmount": 10, "content": "a\\u0000b"}',
        b'{"referenceCode": "FT1\x00", "transferAmount": 10}',
        b'{"referenceCode": "FT1", "transferAmount": 10, "content": "\\ud800"}',
        b'{"referenceCode": "FT1", "transferAmount": 10, "x": {"\\udfff": 1}}',
    ],
    ids=lambda p: p[:40].decode(errors="replace"),
)
def test_malformed_signed_bodies_are_400_and_recorded_once(bank_settings, payload):
    assert send(payload).status_code == 400
    assert send(payload).status_code == 400
    record = BankTransaction.objects.get()
    assert record.outcome == BankTransaction.Outcome.MALFORMED
    assert record.order_id is None
    assert not Order.objects.filter(payment_status=PaymentStatus.PAID).exists()


def test_outgoing_and_other_accounts_are_recorded_and_ignored(bank_settings, rice):
    order = place_vietqr({rice: 1})
    out = notification(
        amount=order.total, content=order.transfer_reference, direction="out"
    )
    other = notification(
        amount=order.total, content=order.transfer_reference, account="999"
    )
    assert send(out).status_code == 200
    assert send(other).status_code == 200
    assert set(BankTransaction.objects.values_list("outcome", "reason")) == {
        ("ignored", "outgoing"),
        ("ignored", "other_account"),
    }
    assert _fresh(order).payment_status == PaymentStatus.PENDING


# --- Every mismatch class goes to review, never paid --------------------------


def _assert_review(order, reason: str) -> BankTransaction:
    order = _fresh(order)
    assert order.payment_status != PaymentStatus.PAID or reason in (
        transfers.REASON_SECOND_TRANSFER,
        transfers.REASON_ALREADY_PAID,
    )
    assert order.needs_review
    assert f"[{reason}]" in order.review_note
    record = BankTransaction.objects.filter(reason=reason).get()
    assert record.outcome == BankTransaction.Outcome.REVIEW
    assert record.order_id == order.pk
    return record


@pytest.mark.parametrize(
    ("delta", "reason"),
    [(-1, transfers.REASON_UNDERPAID), (1, transfers.REASON_OVERPAID)],
)
def test_wrong_amounts_go_to_review(bank_settings, rice, delta, reason):
    order = place_vietqr({rice: 1})
    payload = notification(amount=order.total + delta, content=order.transfer_reference)
    assert send(payload).status_code == 200
    _assert_review(order, reason)
    assert _fresh(order).payment_status == PaymentStatus.PENDING
    assert _stock(rice) == (5, 1)  # still held for staff to settle
    assert not PayableEntry.objects.exists()


def test_an_unknown_reference_is_kept_for_review(bank_settings, rice):
    order = place_vietqr({rice: 1})
    payload = notification(amount=order.total, content="AGXXXXXX chuyen tien")
    assert send(payload).status_code == 200
    record = BankTransaction.objects.get()
    assert (record.outcome, record.reason, record.order_id) == (
        "review",
        transfers.REASON_UNKNOWN_REFERENCE,
        None,
    )
    assert _fresh(order).payment_status == PaymentStatus.PENDING


def test_a_content_naming_two_orders_is_kept_for_review(bank_settings, rice):
    first, second = place_vietqr({rice: 1}), place_vietqr({rice: 1})
    content = f"{first.transfer_reference} {second.transfer_reference}"
    assert send(notification(amount=first.total, content=content)).status_code == 200
    record = BankTransaction.objects.get()
    assert record.reason == transfers.REASON_SEVERAL_REFERENCES
    for order in (first, second):
        assert _fresh(order).payment_status == PaymentStatus.PENDING


def test_a_second_transfer_for_a_paid_order_goes_to_review(bank_settings, rice):
    order = place_vietqr({rice: 1})
    send(notification(amount=order.total, content=order.transfer_reference))
    assert _fresh(order).payment_status == PaymentStatus.PAID
    send(notification(amount=order.total, content=order.transfer_reference))
    _assert_review(order, transfers.REASON_ALREADY_PAID)
    assert PayableEntry.objects.filter(order=order, kind="sale").count() == 1
    assert BankTransaction.objects.count() == 2


def test_a_second_transfer_after_an_underpayment_is_not_auto_paid(bank_settings, rice):
    order = place_vietqr({rice: 1})
    send(notification(amount=order.total - 1000, content=order.transfer_reference))
    send(notification(amount=order.total, content=order.transfer_reference))
    _assert_review(order, transfers.REASON_SECOND_TRANSFER)
    assert _fresh(order).payment_status == PaymentStatus.PENDING


def _expire(order) -> None:
    Order.objects.filter(pk=order.pk).update(
        reserved_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert jobs.orders_expire().expired == 1
    assert _fresh(order).payment_status == PaymentStatus.EXPIRED


def test_a_late_transfer_re_holds_stock_and_goes_to_review(bank_settings, rice):
    order = place_vietqr({rice: 2})
    _expire(order)
    assert _stock(rice) == (5, 0)
    send(notification(amount=order.total, content=order.transfer_reference))
    record = _assert_review(order, transfers.REASON_AFTER_EXPIRY)
    assert "stock re-held" in record.note
    assert _fresh(order).payment_status == PaymentStatus.EXPIRED
    assert _stock(rice) == (5, 2)
    assert not PayableEntry.objects.exists()
    # Held for staff: the expiry job does not release it again.
    jobs.orders_expire()
    assert _stock(rice) == (5, 2)


def test_a_late_transfer_after_the_stock_sold_goes_to_review(bank_settings, rice):
    order = place_vietqr({rice: 2})
    _expire(order)
    StockRecord.objects.filter(variant=rice).update(quantity_on_hand=1)
    send(notification(amount=order.total, content=order.transfer_reference))
    record = _assert_review(order, transfers.REASON_AFTER_EXPIRY)
    assert "sold meanwhile" in record.note
    assert _stock(rice) == (1, 0)


def test_a_transfer_naming_a_card_order_goes_to_review(bank_settings, rice):
    order = transfers.order_vietqr_start(order=place({rice: 1}))
    Order.objects.filter(pk=order.pk).update(payment_method=PaymentMethod.CARD)
    send(notification(amount=order.total, content=order.transfer_reference))
    _assert_review(order, transfers.REASON_NOT_TRANSFER_ORDER)


# --- Expiry -----------------------------------------------------------------


def test_unpaid_vietqr_orders_expire_after_their_setting(bank_settings, rice):
    # Guest orders (place, place_vietqr): the guest holds' settings.
    bank_settings.SHOP_GUEST_VIETQR_EXPIRY_MINUTES = 60
    bank_settings.SHOP_GUEST_RESERVATION_MINUTES = 30
    order = place_vietqr({rice: 1})
    card = place({rice: 1})
    in_45 = timezone.now() + datetime.timedelta(minutes=45)
    report = jobs.orders_expire(now=in_45)
    assert report.expired == 1
    assert _fresh(card).payment_status == PaymentStatus.EXPIRED
    assert _fresh(order).payment_status == PaymentStatus.PENDING
    in_61 = timezone.now() + datetime.timedelta(minutes=61)
    assert jobs.orders_expire(now=in_61).expired == 1
    assert _fresh(order).payment_status == PaymentStatus.EXPIRED
    assert _stock(rice) == (5, 0)


def test_reconcile_reports_per_method(bank_settings, rice):
    place_vietqr({rice: 1})
    paid = place_vietqr({rice: 1})
    send(notification(amount=paid.total, content=paid.transfer_reference))
    send(notification(amount=5, content="AGXXXXXX"))
    place({rice: 1})
    out = StringIO()
    call_command("shop_reconcile", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("checked=") for line in lines)
    assert "card: pending 1, paid 0, expired 0, review 0" in lines
    assert "vietqr: pending 1, paid 1, expired 0, review 0" in lines
    assert (
        "cod: pending 0, paid 0, expired 0, review 0, partly paid 0, cancelled 0"
        in lines
    )
    assert "bank transactions to review: 1" in lines


# --- The fake bank feed -----------------------------------------------------


# A live server needs committed data; keep the reference data (communes) too.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@LIVE
def test_the_fake_sender_pays_an_order_on_a_live_server(
    bank_settings, live_server, rice
):
    order = place_vietqr({rice: 1})
    out = StringIO()
    call_command(
        "shop_fake_bank_transfer",
        order.number,
        url=f"{live_server.url}/shop/bank-feed/",
        stdout=out,
    )
    assert '"processed"' in out.getvalue()
    assert _fresh(order).payment_status == PaymentStatus.PAID


@LIVE
def test_the_fake_sender_can_underpay(bank_settings, live_server, rice):
    order = place_vietqr({rice: 1})
    call_command(
        "shop_fake_bank_transfer",
        order.transfer_reference,
        amount=order.total - 1,
        url=f"{live_server.url}/shop/bank-feed/",
        stdout=StringIO(),
    )
    assert _fresh(order).needs_review


# --- Staff resolving a transaction in review ----------------------------------


def test_staff_attach_an_exact_transfer_with_a_mistyped_reference(bank_settings, rice):
    from tests.factories import UserFactory

    order = place_vietqr({rice: 1})
    send(notification(amount=order.total, content="AGXXXXXX chuyen tien"))
    record = BankTransaction.objects.get()
    staff = UserFactory()
    resolved = transfers.bank_transaction_attach(record=record, order=order, by=staff)
    assert (resolved.outcome, resolved.order_id, resolved.resolved_by_id) == (
        "paid",
        order.pk,
        staff.pk,
    )
    assert _fresh(order).payment_status == PaymentStatus.PAID
    assert _stock(rice) == (4, 0)
    # Settled once: a second decision is refused.
    with pytest.raises(TransferResolutionInvalid):
        transfers.bank_transaction_mark_refunded(record=record, by=staff)


def test_staff_cannot_attach_a_wrong_amount(bank_settings, rice):
    from tests.factories import UserFactory

    order = place_vietqr({rice: 1})
    send(notification(amount=order.total - 1, content=order.transfer_reference))
    record = BankTransaction.objects.get()
    with pytest.raises(TransferResolutionInvalid):
        transfers.bank_transaction_attach(record=record, order=order, by=UserFactory())
    assert _fresh(order).payment_status == PaymentStatus.PENDING
    refunded = transfers.bank_transaction_mark_refunded(
        record=record, by=UserFactory(), note="Returned 179.999 đ on 8/12"
    )
    assert (refunded.outcome, refunded.order_id) == ("refunded", order.pk)
    assert refunded.note == "Returned 179.999 đ on 8/12"


def test_staff_cannot_attach_to_a_paid_order(bank_settings, rice):
    from tests.factories import UserFactory

    order = place_vietqr({rice: 1})
    send(notification(amount=order.total, content=order.transfer_reference))
    send(notification(amount=order.total, content=order.transfer_reference))
    second = BankTransaction.objects.get(outcome="review")
    with pytest.raises(TransferResolutionInvalid):
        transfers.bank_transaction_attach(record=second, order=order, by=UserFactory())
    assert PayableEntry.objects.filter(order=order, kind="sale").count() == 1
