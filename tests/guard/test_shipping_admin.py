"""The brand's shipping terms screen: owners set fees and payments, staff the COD limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shop.models import ShippingPolicy


@pytest.fixture
def policies(houses):
    for house in (houses.a, houses.b):
        ShippingPolicy.objects.update_or_create(
            organisation=house.organisation,
            defaults={"flat_fee": 30_000, "free_over": 500_000},
        )
    return houses


def _url(house) -> str:
    return reverse("shop_shipping:update", args=[house.organisation.public_id])


def _post(client, user, house, **changes):
    client.force_login(user)
    data = {
        "flat_fee": "25000",
        "free_over": "400000",
        "accepts_card": "on",
        "accepts_vietqr": "on",
        "accepts_cod": "on",
        "cod_limit": "",
    }
    data.update(changes)
    return client.post(_url(house), {k: v for k, v in data.items() if v is not None})


def _terms(house) -> tuple:
    policy = ShippingPolicy.objects.get(organisation=house.organisation)
    return (
        policy.flat_fee,
        policy.free_over,
        policy.accepts_card,
        policy.accepts_vietqr,
        policy.accepts_cod,
        policy.cod_limit,
    )


def test_the_owner_sets_fees_and_refuses_cash_on_delivery(client, policies):
    a = policies.a
    response = _post(client, a.owner, a, accepts_cod=None)
    assert response.status_code == 302
    assert _terms(a) == (25_000, 400_000, True, True, False, None)
    listing = client.get(reverse("shop_shipping:index")).content.decode()
    assert "25.000 ₫" in listing and str(a.organisation) in listing
    assert str(policies.b.organisation) not in listing


def test_the_owner_cannot_set_the_cod_limit(client, policies):
    a = policies.a
    client.force_login(a.owner)
    form = client.get(_url(a))
    assert form.status_code == 200
    assert 'name="cod_limit"' not in form.content.decode()
    _post(client, a.owner, a, cod_limit="1")
    assert _terms(a)[5] is None


def test_staff_set_the_cod_limit(client, policies):
    a = policies.a
    assert _post(client, policies.staff, a, cod_limit="2000000").status_code == 302
    assert _terms(a)[5] == 2_000_000


@pytest.mark.parametrize("who", ["editor", "other_owner"])
def test_editors_and_other_brands_are_not_found(client, policies, who):
    a, b = policies.a, policies.b
    user = a.editor if who == "editor" else b.owner
    before = _terms(a)
    client.force_login(user)
    assert client.get(_url(a)).status_code == 404
    assert _post(client, user, a, flat_fee="1").status_code == 404
    assert _terms(a) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"flat_fee": "abc"}, "Nhập số tiền bằng đồng, chỉ gồm chữ số."),
        ({"flat_fee": "-5"}, None),
        ({"flat_fee": "99999999999"}, None),
        ({"free_over": "1.5"}, "Nhập số tiền bằng đồng, chỉ gồm chữ số."),
        (
            {"accepts_card": None, "accepts_vietqr": None, "accepts_cod": None},
            "Hãy nhận ít nhất một cách thanh toán",
        ),
    ],
)
def test_bad_terms_are_a_translated_400_and_change_nothing(
    client, policies, changes, message
):
    a = policies.a
    before = _terms(a)
    response = _post(client, a.owner, a, **changes)
    assert response.status_code == 400
    if message:
        assert message in response.content.decode()
    assert _terms(a) == before
