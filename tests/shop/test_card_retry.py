"""Card payments that go wrong, then right: a failed 3-D Secure check, a
decline followed by a good card (a fresh attempt when the provider refuses to
confirm the same PaymentIntent again), the old attempt's webhooks, and the
payment page without JavaScript. The real `stripe` library against localstripe.
"""

import json
import re
import urllib.request
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from organisations.services import province_staff_group_ensure
from shop.models import Order, PayableEntry, PaymentStatus, StockRecord
from shop.services import payments as payment_services
from tests.factories import UserFactory

from .conftest import (
    CHECKOUT_FIELDS,
    WEBHOOK_SECRET,
    card_token,
    stripe_api,
    wait_for,
)
from .webhook_helpers import pi_event, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:aiohttp.*"),
]

# localstripe's test cards (localstripe/resources.py, PaymentMethod):
# 3-D Secure required; charged fine but declined when charged; a good card.
CARD_3DS = "4000002760003184"
CARD_DECLINED = "4000000000000341"
CARD_OK = "4242424242424242"


def _webhooks_to(localstripe_server, url, secret="whsec_x"):
    import localstripe_server as harness

    harness.register_webhook(
        base_url=localstripe_server.base_url, url=url, secret=secret, name="e2e"
    )


def _checkout(client, catalogue):
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": 2},
    )
    response = client.post(
        reverse("shop:checkout"),
        {
            "checkout_token": str(uuid.uuid4()),
            "expected_total": "330000",
            **CHECKOUT_FIELDS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.get()


def _pay(client, order, settings, number):
    return client.post(
        reverse("shop:order_pay_card", kwargs={"public_id": order.public_id}),
        {"card": card_token(settings, number)},
    )


def _authenticate(localstripe_server, client_secret, *, success):
    """What localstripe's Stripe.js does when the buyer answers its 3-D Secure box."""
    intent_id = re.match(r"^(pi_\w+)_secret_", client_secret).group(1)
    request = urllib.request.Request(  # noqa: S310 - loopback localstripe
        f"{localstripe_server.base_url}/v1/payment_intents/{intent_id}"
        f"/_authenticate?success={'true' if success else 'false'}",
        data=json.dumps(
            {"key": "pk_test_local_shop", "client_secret": client_secret}
        ).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def _reserved(catalogue):
    return StockRecord.objects.get(variant=catalogue["rice"]).quantity_reserved


def _page(client, name, order, language="vi"):
    with translation.override(language):
        url = reverse(name, kwargs={"public_id": order.public_id})
    return client.get(url)


def test_failed_3ds_check_is_not_paid_keeps_order_and_stock_then_pays_again(
    stripe_settings, localstripe_server, catalogue
):
    # No webhook reaches the app: what the buyer sees comes from Stripe's answer.
    _webhooks_to(localstripe_server, "http://127.0.0.1:9/")
    client = Client()
    order = _checkout(client, catalogue)
    hold = order.reserved_until
    answer = _pay(client, order, stripe_settings, CARD_3DS)
    assert answer.status_code == 200
    assert answer.json()["status"] == "requires_action"
    failed = _authenticate(
        localstripe_server, answer.json()["client_secret"], success=False
    )
    assert failed["status"] == "requires_payment_method"

    # The order page does not wait for ever: not paid, pay again.
    status = _page(client, "shop:order_status", order).json()
    assert status["processing"] is False
    assert status["payment_status"] == PaymentStatus.FAILED
    page = _page(client, "shop:order_detail", order).content.decode()
    assert 'id="processing-note"' not in page
    assert "Chưa thanh toán." in page
    assert "Thanh toán lại" in page
    english = _page(client, "shop:order_detail", order, "en").content.decode()
    assert "Not paid." in english and "Pay again" in english
    pay_page = _page(client, "shop:order_pay", order, "en").content.decode()
    assert re.search(r'<div id="pay-not-paid" class="alert" role="alert">', pay_page)
    # The order and its held stock stay for the hold's remaining time.
    order.refresh_from_db()
    assert order.is_payable and order.reserved_until == hold
    assert _reserved(catalogue) == 2

    # Another try on the same intent, this time the check succeeds.
    again = _pay(client, order, stripe_settings, CARD_3DS)
    assert again.json()["status"] == "requires_action"
    done = _authenticate(
        localstripe_server, again.json()["client_secret"], success=True
    )
    assert done["status"] == "succeeded"
    assert _page(client, "shop:order_detail", order).status_code == 200
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert order.payment_attempt == 1
    assert StockRecord.objects.get(variant=catalogue["rice"]).quantity_on_hand == 8


def test_decline_then_good_card_starts_a_fresh_attempt_and_pays_once(
    live_server, stripe_settings, localstripe_server, catalogue
):
    _webhooks_to(
        localstripe_server, f"{live_server.url}/stripe/webhook/", WEBHOOK_SECRET
    )
    client = Client()
    order = _checkout(client, catalogue)
    first_intent = order.payment_intent_id
    declined = _pay(client, order, stripe_settings, CARD_DECLINED)
    assert declined.status_code == 402
    assert wait_for(lambda: Order.objects.get().payment_status == PaymentStatus.FAILED)

    # localstripe refuses to confirm the declined intent again: a new attempt.
    paid = _pay(client, order, stripe_settings, CARD_OK)
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "succeeded"
    order.refresh_from_db()
    assert order.payment_attempt == 2
    assert order.payment_intent_id != first_intent
    api = stripe_api(stripe_settings).v1.payment_intents
    assert api.retrieve(first_intent).status == "canceled"
    fresh = api.retrieve(order.payment_intent_id)
    assert fresh.metadata["order_uuid"] == str(order.public_id)
    assert order.payment_client_secret == fresh.client_secret

    assert wait_for(lambda: Order.objects.get().payment_status == PaymentStatus.PAID)
    assert wait_for(lambda: len(mail.outbox) == 1)
    page = _page(client, "shop:order_detail", order).content.decode()
    assert 'id="payment-history"' in page
    assert "lần thanh toán thẻ thứ 2" in page
    # The old intent's cancel webhook changed nothing; one sale, one receipt.
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID and not order.needs_review
    assert PayableEntry.objects.filter(kind="sale").count() == 1
    assert StockRecord.objects.get(variant=catalogue["rice"]).quantity_on_hand == 8
    # Staff see the attempt on the order too.
    staff = UserFactory()
    staff.groups.add(province_staff_group_ensure())
    admin = Client()
    admin.force_login(staff)
    part = order.fulfilments.get()
    html = admin.get(
        reverse("shop_orders:inspect", args=[part.public_id])
    ).content.decode()
    assert re.search("lần thanh toán thẻ thứ 2|card payment attempt 2", html)


def test_webhooks_for_the_replaced_intent_never_pay_fail_or_expire_the_order(
    stripe_settings, localstripe_server, catalogue, webhook_secret
):
    _webhooks_to(localstripe_server, "http://127.0.0.1:9/")
    client = Client()
    order = _checkout(client, catalogue)
    old = order.payment_intent_id
    assert _pay(client, order, stripe_settings, CARD_DECLINED).status_code == 402
    assert _pay(client, order, stripe_settings, CARD_OK).status_code == 200
    order.refresh_from_db()
    assert order.payment_intent_id != old

    for number, kind in enumerate(
        ["payment_intent.payment_failed", "payment_intent.canceled"]
    ):
        assert (
            send(pi_event(f"evt_old_{number}", kind, order, pi_id=old)).status_code
            == 200
        )
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PENDING
    assert _reserved(catalogue) == 2

    # The old attempt charged after all (its cancel failed): flagged, not paid.
    send(pi_event("evt_old_paid", "payment_intent.succeeded", order, pi_id=old))
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PENDING
    assert order.needs_review and old in order.review_note
    assert PayableEntry.objects.count() == 0

    # The current intent's success pays it exactly once, whatever comes after.
    send(pi_event("evt_new_paid", "payment_intent.succeeded", order))
    send(pi_event("evt_old_paid_again", "payment_intent.succeeded", order, pi_id=old))
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert PayableEntry.objects.filter(kind="sale").count() == 1


def test_payment_outcome_is_applied_only_to_the_intent_the_order_holds(
    stripe_settings, localstripe_server, catalogue
):
    _webhooks_to(localstripe_server, "http://127.0.0.1:9/")
    client = Client()
    order = _checkout(client, catalogue)
    old = stripe_api(stripe_settings).v1.payment_intents.retrieve(
        order.payment_intent_id
    )
    restarted = payment_services.order_payment_restart(
        order=order, refused_intent_id=order.payment_intent_id
    )
    assert restarted.payment_intent_id != old.id
    from shop.payments import gateway

    stale = gateway.payment_intent_from_dict({**old.to_dict(), "status": "succeeded"})
    outcome = payment_services.payment_outcome_for(intent=stale)
    assert outcome == payment_services.OUTCOME_SUCCEEDED
    assert not payment_services.order_apply_payment_outcome(
        order=restarted, intent=stale, outcome=outcome
    )
    restarted.refresh_from_db()
    assert restarted.payment_status == PaymentStatus.PENDING


def test_restart_is_claimed_once_and_names_the_refused_intent(
    stripe_settings, localstripe_server, catalogue
):
    _webhooks_to(localstripe_server, "http://127.0.0.1:9/")
    order = _checkout(Client(), catalogue)
    old = order.payment_intent_id
    first = payment_services.order_payment_restart(order=order, refused_intent_id=old)
    # A second request that saw the same refusal finds the new attempt.
    second = payment_services.order_payment_restart(
        order=Order.objects.get(), refused_intent_id=old
    )
    assert first.payment_intent_id == second.payment_intent_id != old
    assert second.payment_attempt == 2
    assert stripe_api(stripe_settings).v1.payment_intents.retrieve(old).status == (
        "canceled"
    )


def test_restart_gives_its_claim_back_when_stripe_is_down(
    stripe_settings, localstripe_server, catalogue
):
    _webhooks_to(localstripe_server, "http://127.0.0.1:9/")
    order = _checkout(Client(), catalogue)
    old = order.payment_intent_id
    stripe_settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    from shop.errors import PaymentServiceUnavailable

    with pytest.raises(PaymentServiceUnavailable):
        payment_services.order_payment_restart(order=order, refused_intent_id=old)
    order.refresh_from_db()
    assert (order.payment_intent_id, order.payment_attempt) == (old, 1)


def test_payment_page_without_javascript_hides_the_card_form_and_says_why(
    stripe_settings, localstripe_server, catalogue
):
    _webhooks_to(localstripe_server, "http://127.0.0.1:9/")
    client = Client()
    order = _checkout(client, catalogue)
    for language, needs_js, see_order in (
        ("vi", "Thanh toán bằng thẻ cần JavaScript", "Xem đơn hàng"),
        ("en", "Paying by card needs JavaScript", "See the order"),
    ):
        page = _page(client, "shop:order_pay", order, language).content.decode()
        form = re.search(r"<form id=\"payment-form\"[^>]*>", page).group()
        assert " hidden" in form
        noscript = re.search(r"<noscript>(.*?)</noscript>", page, re.S).group(1)
        assert needs_js in noscript
        assert see_order in noscript
        with translation.override(language):
            assert (
                reverse("shop:order_detail", kwargs={"public_id": order.public_id})
                in noscript
            )
            assert reverse("shop:cart") in noscript
    # Before paying, the order page offers to pay (it does not claim to be processing).
    page = _page(client, "shop:order_detail", order).content.decode()
    assert 'id="processing-note"' not in page
    assert "Thanh toán ngay" in page
