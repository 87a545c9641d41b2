"""Addresses in Vietnam (the 2025 communes) and abroad, at checkout.

In Vietnam the commune is checked against the province's official list
(vietnam_provinces) and kept under its official name; abroad the address is
free-form lines, city and postal code, each brand ships there or not and
prices it, and only the card is offered.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from shop import addresses
from shop.forms import ShippingPolicyForm
from shop.models import Order, PaymentMethod, SavedAddress, ShippingPolicy
from tests.factories import UserFactory
from tests.shop.conftest import CHECKOUT_FIELDS, order_counts

# --- The official list ----------------------------------------------------------


def test_the_list_is_the_2025_one():
    assert len(addresses.province_names()) == 34
    # An Giang merged with Kiên Giang: 102 communes, wards and special zones.
    names = addresses.commune_names("An Giang")
    assert len(names) == 102
    assert "Đặc khu Phú Quốc" in names and "Phường Rạch Giá" in names
    assert addresses.commune_names("Kiên Giang") == ()  # no longer a province


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Long Xuyên", "Phường Long Xuyên"),
        ("phuong long xuyen", "Phường Long Xuyên"),
        ("  PHƯỜNG   Long   Xuyên ", "Phường Long Xuyên"),
        ("phu quoc", "Đặc khu Phú Quốc"),
        ("Tri Tôn", "Xã Tri Tôn"),
    ],
)
def test_a_typed_commune_finds_its_official_name(typed, official):
    assert addresses.commune_match("An Giang", typed) == official


@pytest.mark.parametrize("typed", ["", "Hà Nội", "Long Xuyên City", "Quận 1"])
def test_a_commune_that_is_not_the_provinces_is_none(typed):
    assert addresses.commune_match("An Giang", typed) is None


def test_a_commune_of_another_province_is_not_matched():
    assert addresses.commune_match("Thành phố Cần Thơ", "Cái Khế") == "Phường Cái Khế"
    assert addresses.commune_match("An Giang", "Cái Khế") is None
    assert addresses.commune_match("Nowhere", "Cái Khế") is None


# --- Checkout -----------------------------------------------------------------


def _start(client, catalogue, *, variant="rice"):
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue[variant].public_id), "quantity": 1},
    )
    return client.get(reverse("shop:checkout")).context["summary"].total


def _post(client, total, **changes):
    data = {
        **CHECKOUT_FIELDS,
        "checkout_token": str(uuid.uuid4()),
        "expected_total": str(total),
        "priced_for": "VN",
        **changes,
    }
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(reverse("shop:checkout"), data)


ABROAD = {
    "country": "DE",
    "province": None,
    "commune": None,
    "street": "Hauptstraße 5",
    "address_line2": "2. OG",
    "city": "Berlin",
    "postal_code": "10115",
    "phone": "+49 30 1234 5678",
    "recipient_phone": "+49 151 2345 6789",
}


@pytest.mark.django_db
def test_a_vietnamese_commune_is_kept_under_its_official_name(client, catalogue):
    total = _start(client, catalogue)
    response = _post(client, total, commune="tri ton")
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.country, order.province, order.commune) == (
        "VN",
        "An Giang",
        "Xã Tri Tôn",
    )
    assert order.address_text == "1 Nguyễn Trãi, Xã Tri Tôn, An Giang"


@pytest.mark.django_db
@pytest.mark.parametrize("commune", ["Quận 1", "Cái Khế", ""])
def test_a_commune_not_of_the_province_is_refused_in_vietnamese(
    client, catalogue, commune
):
    total = _start(client, catalogue)
    before = order_counts()
    response = _post(client, total, commune=commune)
    assert response.status_code == 400
    errors = str(response.context["form"].errors["commune"])
    assert "không phải là xã hay phường của An Giang" in errors or (
        "Vui lòng nhập xã hoặc phường" in errors
    )
    assert order_counts() == before


@pytest.mark.django_db
def test_a_brand_that_does_not_ship_abroad_is_named(client, catalogue):
    total = _start(client, catalogue)
    before = order_counts()
    response = _post(client, total, **ABROAD)
    assert response.status_code == 409
    assert catalogue["brand_a"].title in response.context["error"]
    assert "không giao ra nước ngoài" in response.context["error"]
    assert response.context["summary"].not_shipping
    assert order_counts() == before


@pytest.mark.django_db
def test_an_order_abroad_is_priced_again_then_paid_by_card_only(
    client, catalogue, bank_settings
):
    organisation = catalogue["brand_a"].organisation
    ShippingPolicy.objects.filter(organisation=organisation).update(
        ships_abroad=True, abroad_fee=650_000
    )
    domestic = _start(client, catalogue)
    assert domestic == 150_000 + 30_000
    before = order_counts()

    # The page showed Vietnam's shipping: nothing is placed, the page is
    # priced for Germany, and only the card is offered.
    response = _post(client, domestic, **ABROAD, payment_method="vietqr")
    assert response.status_code == 409
    assert "giá lại" in response.context["error"] or "tính lại" in str(
        response.context["error"]
    )
    summary = response.context["summary"]
    assert (summary.destination, summary.shipping_total) == ("DE", 650_000)
    assert summary.total == 800_000
    offered = {c.method: c.is_available for c in response.context["choices"]}
    assert offered[PaymentMethod.CARD] and not offered[PaymentMethod.VIETQR]
    assert not offered[PaymentMethod.COD]
    assert response.context["form"]["payment_method"].value() == PaymentMethod.CARD
    assert order_counts() == before

    # A bank transfer abroad is refused even when the browser sends it.
    response = _post(
        client, 800_000, **ABROAD, priced_for="DE", payment_method="vietqr"
    )
    assert response.status_code == 400
    assert order_counts() == before

    response = _post(client, 800_000, **ABROAD, priced_for="DE")
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.payment_method == PaymentMethod.CARD
    assert (order.country, order.city, order.postal_code) == ("DE", "Berlin", "10115")
    assert (order.province, order.commune) == ("", "")
    assert order.shipping_total == 650_000 and order.total == 800_000
    assert order.recipient_phone == "+4915123456789"
    assert order.fulfilments.get().shipping_fee == 650_000
    assert "10115 Berlin" in order.address_text and "Đức" in order.address_text


@pytest.mark.django_db
def test_an_address_abroad_needs_a_city_and_an_international_phone_is_fine(
    client, catalogue
):
    total = _start(client, catalogue)
    response = _post(client, total, **{**ABROAD, "city": ""})
    assert response.status_code == 400
    assert "city" in response.context["form"].errors
    assert "recipient_phone" not in response.context["form"].errors
    # In Vietnam the courier calls a Vietnamese number.
    response = _post(client, total, recipient_phone="+49 151 2345 6789")
    assert response.status_code == 400
    assert "recipient_phone" in response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("country", ["XX", "vn", "<b>", "ab\x00c"])
def test_an_unknown_country_is_a_form_error(client, catalogue, country):
    total = _start(client, catalogue)
    before = order_counts()
    response = _post(client, total, country=country)
    assert response.status_code == 400
    assert "country" in response.context["form"].errors
    assert order_counts() == before


@pytest.mark.django_db
def test_a_saved_address_abroad_keeps_its_lines(client, catalogue):
    ShippingPolicy.objects.filter(
        organisation=catalogue["brand_a"].organisation
    ).update(ships_abroad=True, abroad_fee=650_000)
    user = UserFactory()
    client.force_login(user)
    _start(client, catalogue)
    response = _post(client, 800_000, **ABROAD, priced_for="DE", save_address="on")
    assert response.status_code == 302
    saved = SavedAddress.objects.get(user=user)
    assert (saved.country, saved.city, saved.address_line2) == ("DE", "Berlin", "2. OG")
    _start(client, catalogue)
    page = client.get(reverse("shop:checkout"))
    assert 'data-country="DE"' in page.content.decode()


# --- The suggestions and the brand's terms --------------------------------------------


@pytest.mark.django_db
def test_the_commune_list_of_a_province(client):
    url = reverse("shop:communes")
    response = client.get(url, {"province": "An Giang"})
    assert response.status_code == 200
    assert len(response.json()["communes"]) == 102
    assert "public" in response["Cache-Control"]
    for bad in ("", "Kiên Giang", "x" * 200):
        assert client.get(url, {"province": bad}).status_code == 404
    # NUL and overlong queries are refused before the view (core middleware).
    for bad in ("ab\x00c", "x" * 5000):
        assert client.get(url, {"province": bad}).status_code == 400


@pytest.mark.django_db
def test_the_checkout_suggests_the_provinces_communes(client, catalogue):
    _start(client, catalogue)
    body = client.get(reverse("shop:checkout")).content.decode()
    assert '<datalist id="commune-names"' in body
    assert '<option value="Phường Long Xuyên">' in body
    assert 'list="commune-names"' in body


@pytest.mark.django_db
def test_shipping_abroad_needs_card_payments(catalogue):
    policy = ShippingPolicy.objects.get(organisation=catalogue["brand_a"].organisation)
    data = {
        "flat_fee": "30000",
        "free_over": "",
        "ships_abroad": "on",
        "abroad_fee": "650000",
        "accepts_vietqr": "on",
    }
    form = ShippingPolicyForm(data, instance=policy)
    assert not form.is_valid()
    assert "ships_abroad" in form.errors
    form = ShippingPolicyForm({**data, "accepts_card": "on"}, instance=policy)
    assert form.is_valid(), form.errors
    form = ShippingPolicyForm({**data, "abroad_fee": "99999999"}, instance=policy)
    assert "abroad_fee" in form.errors
