"""Checkout with a choice of ways to pay: card, VietQR bank transfer, cash on
delivery; what the site and each brand allow; one pricing per submit.

Every test goes through the views with the real database (and localstripe
for the card); nothing of the shop's own code is replaced.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop.models import (
    Order,
    PaymentMethod,
    PaymentStatus,
    ShippingPolicy,
    StockRecord,
    StockReservation,
)
from shop.payments import vietqr

from .bankfeed_helpers import notification, send
from .conftest import ACCOUNT, CHECKOUT_FIELDS, HOLDER
from .conftest import order_counts as _counts

pytestmark = pytest.mark.django_db


def _add(client, variant, quantity=1):
    response = client.post(
        reverse("shop:cart_add"),
        {"variant": str(variant.public_id), "quantity": quantity},
    )
    assert response.status_code == 302


def _form(client, path="/checkout/"):
    """The checkout page as a browser gets it: its token and total."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return response, {
        "checkout_token": re.search(
            r'name="checkout_token" value="([0-9a-f-]{36})"', html
        ).group(1),
        "expected_total": re.search(r'name="expected_total" value="(\d+)"', html).group(
            1
        ),
    }


def _place(client, method, **overrides):
    _page, hidden = _form(client)
    data = {**CHECKOUT_FIELDS, **hidden, "payment_method": method, **overrides}
    return client.post("/checkout/", data)


def _policy(brand_page, **fields):
    ShippingPolicy.objects.filter(organisation=brand_page.organisation).update(**fields)


def _radio(html, method):
    return re.search(
        rf'<input type="radio" name="payment_method" value="{method}"[^>]*>', html
    ).group()


# --- Each way to pay, end to end ---------------------------------------------------


def test_card_order_goes_to_the_stripe_payment_page(
    client, catalogue, stripe_settings, bank_settings
):
    _add(client, catalogue["rice"])
    response = _place(client, "card")
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.public_id}/pay/"
    assert order.payment_method == PaymentMethod.CARD
    assert order.payment_intent_id  # made by the same submit, after its commit
    page = client.get(response["Location"]).content.decode()
    assert 'id="payment-form"' in page
    assert "card-element" in page


def test_vietqr_order_shows_the_code_and_is_paid_by_the_signed_bank_feed(
    client, catalogue, bank_settings
):
    _add(client, catalogue["rice"], 2)
    _add(client, catalogue["sauce"])
    response = _place(client, "vietqr")
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.public_id}/pay/"
    assert order.payment_method == PaymentMethod.VIETQR
    assert order.total == 2 * 150_000 + 30_000 + 120_000 + 25_000
    assert re.fullmatch(r"AG[0-9A-Z]{6}", order.transfer_reference)
    held = StockReservation.objects.filter(order=order)
    assert {r.expires_at for r in held} == {order.reserved_until}
    # A guest's transfer is kept for the shorter guest hold (stock hoarding).
    assert order.reserved_until - order.created_at == pytest.approx(
        timedelta(minutes=bank_settings.SHOP_GUEST_VIETQR_EXPIRY_MINUTES),
        abs=timedelta(seconds=5),
    )

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<path" in html  # the code itself, inline
    for text in (ACCOUNT, HOLDER, "Vietcombank", order.transfer_reference):
        assert text in html
    assert "475.000 ₫" in html
    assert 'data-copy-value="475000"' in html
    # The copy buttons are hidden until the script shows them (no JS: text).
    assert re.search(r'<button[^>]*data-copy="transfer-reference" hidden', html)
    # What the code encodes: the exact amount and the reference, to our account.
    payload = page.context["transfer"].payload
    decoded = vietqr.decode(payload)
    assert decoded["54"] == "475000"
    assert decoded["62"] == {"08": order.transfer_reference}
    assert decoded["38"]["01"] == {"00": "970436", "01": ACCOUNT}

    paid = send(
        notification(amount=order.total, content=f"CT {order.transfer_reference} gao")
    )
    assert paid.status_code == 200
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    detail = client.get(f"/orders/{order.public_id}/").content.decode()
    assert "Đã thanh toán" in detail
    # A paid order's payment page is its order page.
    assert client.get(f"/orders/{order.public_id}/pay/")["Location"].endswith(
        f"/orders/{order.public_id}/"
    )


def test_cod_order_is_confirmed_with_its_stock_held(client, catalogue, settings):
    settings.SHOP_COD_CONFIRM_HOURS = 72
    rice = catalogue["rice"]
    _add(client, rice, 3)
    response = _place(client, "cod")
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.public_id}/"
    assert order.payment_method == PaymentMethod.COD
    assert order.payment_status == PaymentStatus.PENDING
    assert order.payment_intent_id is None
    assert order.transfer_reference is None
    assert StockRecord.objects.get(variant=rice).quantity_reserved == 3
    hold = StockReservation.objects.get(order=order)
    assert hold.status == StockReservation.Status.HELD
    assert hold.expires_at - timezone.now() > timedelta(days=2, hours=23)

    html = client.get(response["Location"]).content.decode()
    assert 'id="cod-confirmed"' in html
    assert "Thanh toán khi nhận hàng" in html
    assert "480.000 ₫" in html
    assert "Thanh toán ngay" not in html  # nothing to pay now
    # Its payment page is the order page: the courier takes the cash.
    assert client.get(f"/orders/{order.public_id}/pay/")["Location"] == (
        f"/orders/{order.public_id}/"
    )


def test_cod_confirmation_reads_in_english(client, catalogue):
    _add(client, catalogue["rice"])
    _page, hidden = _form(client, "/en/checkout/")
    response = client.post(
        "/en/checkout/", {**CHECKOUT_FIELDS, **hidden, "payment_method": "cod"}
    )
    html = client.get(response["Location"]).content.decode()
    assert "Order confirmed: cash on delivery." in html
    assert "Cash on delivery" in html


# --- What the site offers ------------------------------------------------------------


def test_the_page_offers_the_sites_methods_as_plain_radio_buttons(
    client, catalogue, bank_settings
):
    _add(client, catalogue["rice"])
    response, _hidden = _form(client)
    html = response.content.decode()
    assert [c.method for c in response.context["choices"]] == ["card", "vietqr", "cod"]
    assert "checked" in _radio(html, "card")
    for method in ("vietqr", "cod"):
        assert "disabled" not in _radio(html, method)
        assert "checked" not in _radio(html, method)


@pytest.mark.parametrize("method", ["cod", "vietqr", "paypal", ""])
def test_a_method_the_site_does_not_offer_is_a_form_error(
    client, catalogue, settings, bank_settings, method
):
    settings.SHOP_PAYMENT_METHODS = ["card"]
    _add(client, catalogue["rice"])
    before = _counts()
    response = _place(client, method)
    assert response.status_code == 400
    assert response.context["form"].errors["payment_method"]
    assert "payment_method" in response.context["form"].errors
    assert _counts() == before
    assert [c.method for c in response.context["choices"]] == ["card"]


def test_vietqr_is_not_offered_without_a_receiving_account(client, catalogue):
    # No SHOP_VIETQR_* settings: there would be no account to show.
    _add(client, catalogue["rice"])
    response, _hidden = _form(client)
    assert [c.method for c in response.context["choices"]] == ["card", "cod"]
    before = _counts()
    assert _place(client, "vietqr").status_code == 400
    assert _counts() == before


# --- What each brand takes -------------------------------------------------------------


def test_a_brand_refusing_cod_is_named_and_its_refusal_enforced(
    client, catalogue, bank_settings
):
    _policy(catalogue["brand_b"], accepts_cod=False)
    _add(client, catalogue["rice"])
    _add(client, catalogue["sauce"])
    response, _hidden = _form(client)
    html = response.content.decode()
    assert "disabled" in _radio(html, "cod")
    brand_b = catalogue["brand_b"].title
    assert f"{brand_b} không nhận thanh toán khi nhận hàng." in html
    # The way out: another method (still enabled), or that brand's products.
    assert "disabled" not in _radio(html, "card")
    assert f'href="/cart/#brand-{catalogue["brand_b"].organisation_id}"' in html
    # The cart says what each brand takes, too.
    cart = client.get("/cart/").content.decode()
    assert "Thương hiệu nhận: Thẻ, Chuyển khoản ngân hàng (VietQR)</span>" in cart

    # A browser posting it anyway (a crafted form, an old tab) is refused.
    before = _counts()
    refused = _place(client, "cod")
    assert refused.status_code == 400
    assert _counts() == before
    assert "không dùng được cho giỏ hàng này" in refused.content.decode()
    assert "checked" in _radio(refused.content.decode(), "card")

    # Taking that brand's products out leaves a cart that may be paid in cash.
    client.post(
        reverse("shop:cart_update"),
        {"variant": str(catalogue["sauce"].public_id), "remove": "1", "quantity": "1"},
    )
    assert _place(client, "cod").status_code == 302
    assert Order.objects.get().payment_method == PaymentMethod.COD


def test_cod_over_the_brands_limit_is_refused_under_it_accepted(client, catalogue):
    _policy(catalogue["brand_a"], cod_limit=200_000)
    rice = catalogue["rice"]
    _add(client, rice, 2)  # 300.000 + 30.000 shipping: over the limit
    response, _hidden = _form(client)
    html = response.content.decode()
    assert "disabled" in _radio(html, "cod")
    brand_a = catalogue["brand_a"].title
    assert (
        f"{brand_a} chỉ nhận thanh toán khi nhận hàng đến 200.000 ₫, "
        "mà phần của thương hiệu trong đơn này là 330.000 ₫."
    ) in html
    before = _counts()
    assert _place(client, "cod").status_code == 400
    assert _counts() == before

    client.post(
        reverse("shop:cart_update"),
        {"variant": str(rice.public_id), "quantity": "1"},
    )  # 150.000 + 30.000 = 180.000: within it
    assert _place(client, "cod").status_code == 302
    assert Order.objects.get().total == 180_000


def test_mixed_brands_each_refusal_is_listed_in_english(client, catalogue):
    _policy(catalogue["brand_a"], cod_limit=100_000)
    _policy(catalogue["brand_b"], accepts_cod=False, accepts_card=False)
    _add(client, catalogue["sugar"])
    _add(client, catalogue["sauce"])
    response, _hidden = _form(client, "/en/checkout/")
    html = response.content.decode()
    a, b = catalogue["brand_a"].title, catalogue["brand_b"].title
    cod = next(c for c in response.context["choices"] if c.method == "cod")
    card = next(c for c in response.context["choices"] if c.method == "card")
    assert [r.brand_title for r in cod.refusals] == [a, b]
    assert [r.brand_title for r in card.refusals] == [b]
    assert "Cash on delivery is not available for this cart:" in html
    assert (
        f"{a} takes cash on delivery only up to ₫100,000, and its part of this "
        "order is ₫115,000."
    ) in html
    assert f"{b} does not take cash on delivery." in html
    assert f"{b} does not take card." in html
    assert "Choose another way to pay, or take these products out" in html
    # Nothing both brands take by card or cash; the page offers none checked.
    assert "checked" not in _radio(html, "card")
    assert "checked" not in _radio(html, "cod")


def test_a_brand_changing_its_terms_after_the_page_was_shown_is_caught(
    client, catalogue
):
    _add(client, catalogue["rice"])
    _page, hidden = _form(client)
    _policy(catalogue["brand_a"], accepts_cod=False)
    before = _counts()
    response = client.post(
        "/checkout/", {**CHECKOUT_FIELDS, **hidden, "payment_method": "cod"}
    )
    assert response.status_code == 400
    assert _counts() == before


# --- One pricing per submit ---------------------------------------------------------------


def _pricings(queries) -> int:
    """Each pricing of a cart reads the brands' shipping policies once."""
    return sum('FROM "shop_shippingpolicy"' in q["sql"] for q in queries)


@pytest.mark.parametrize("method", ["card", "cod"])
def test_a_placing_submit_prices_the_cart_once(client, catalogue, method):
    _add(client, catalogue["rice"])
    _add(client, catalogue["sauce"])
    _page, hidden = _form(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/checkout/", {**CHECKOUT_FIELDS, **hidden, "payment_method": method}
        )
    assert response.status_code == 302
    assert _pricings(queries.captured_queries) == 1


def test_a_refused_submit_prices_the_cart_once_and_shows_that_price(client, catalogue):
    rice = catalogue["rice"]
    _add(client, rice)
    _page, hidden = _form(client)
    type(rice).objects.filter(pk=rice.pk).update(price=170_000)
    before = _counts()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/checkout/", {**CHECKOUT_FIELDS, **hidden, "payment_method": "card"}
        )
    assert response.status_code == 409
    assert _counts() == before
    assert _pricings(queries.captured_queries) == 1
    # The page shows the cart as priced by that one pass (the new price) and
    # a fresh token with the new total, so the next submit can succeed.
    assert response.context["summary"].total == 200_000
    html = response.content.decode()
    assert 'name="expected_total" value="200000"' in html
    assert hidden["checkout_token"] not in html


def test_a_resubmitted_form_returns_the_same_order(client, catalogue):
    _add(client, catalogue["rice"])
    _page, hidden = _form(client)
    data = {**CHECKOUT_FIELDS, **hidden, "payment_method": "cod"}
    first = client.post("/checkout/", data)
    again = client.post("/checkout/", data)
    assert first["Location"] == again["Location"]
    assert Order.objects.count() == 1


def test_unknown_site_method_names_fail_the_system_check(settings):
    from shop.checks import payment_methods_known

    settings.SHOP_PAYMENT_METHODS = ["card", "bank_transfer"]
    assert [e.id for e in payment_methods_known(None)] == ["shop.E004"]
    settings.SHOP_PAYMENT_METHODS = ["card", "vietqr", "cod"]
    assert payment_methods_known(None) == []


def test_the_checkout_token_is_a_uuid_on_every_refusal(client, catalogue):
    _add(client, catalogue["rice"])
    response = _place(client, "cod", accept_terms="")
    assert response.status_code == 400
    token = response.context["form"]["checkout_token"].value()
    assert uuid.UUID(str(token))
