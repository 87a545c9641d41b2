import uuid

import pytest
from django.urls import reverse

from shop.errors import CartChanged, OrderAmountInvalid, OutOfStock
from shop.models import (
    Cart,
    CartLine,
    Order,
    PaymentStatus,
    SavedAddress,
    StockRecord,
)
from shop.services import orders as order_services
from tests.factories import UserFactory
from tests.factories import shop as shop_factories

from .conftest import DETAILS, filled_cart, place
from .conftest import order_counts as _counts

pytestmark = pytest.mark.django_db


def _stock(variant):
    return StockRecord.objects.values_list("quantity_on_hand", "quantity_reserved").get(
        variant=variant
    )


def test_add_to_cart_as_guest_and_view_grouped_by_brand(client, catalogue):
    for variant, qty in ((catalogue["rice"], 2), (catalogue["sauce"], 1)):
        response = client.post(
            reverse("shop:cart_add"),
            {"variant": str(variant.public_id), "quantity": qty},
        )
        assert response.status_code == 302
    response = client.get(reverse("shop:cart"))
    summary = response.context["summary"]
    assert [g.brand_title for g in summary.groups] == [
        catalogue["brand_a"].title,
        catalogue["brand_b"].title,
    ]
    assert summary.subtotal == 2 * 150_000 + 120_000
    assert summary.shipping_total == 30_000 + 25_000
    assert summary.total == 475_000
    assert "420.000 ₫" in response.content.decode()


def test_cart_reads_prices_again_on_every_view(client, catalogue):
    rice = catalogue["rice"]
    client.post(
        reverse("shop:cart_add"), {"variant": str(rice.public_id), "quantity": 1}
    )
    type(rice).objects.filter(pk=rice.pk).update(price=160_000)
    summary = client.get(reverse("shop:cart")).context["summary"]
    assert summary.subtotal == 160_000


def test_free_shipping_over_the_brand_threshold(catalogue):
    cart = filled_cart({catalogue["rice"]: 4})
    from shop.cart import cart_lines, cart_summary

    summary = cart_summary(lines=cart_lines(cart=cart), language="vi")
    assert summary.subtotal == 600_000
    assert summary.shipping_total == 0


@pytest.mark.parametrize(
    "quantity", ["0", "-1", "1000", "99999999999", "abc", "1.5", "", "1e3"]
)
def test_bad_quantities_are_refused_and_change_nothing(client, catalogue, quantity):
    before = _counts()
    response = client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": quantity},
    )
    assert response.status_code == 400
    assert "999" in response.content.decode()
    assert _counts() == before


@pytest.mark.parametrize("variant", ["not-a-uuid", str(uuid.uuid4()), ""])
def test_unknown_variants_are_refused(client, catalogue, variant):
    response = client.post(
        reverse("shop:cart_add"), {"variant": variant, "quantity": "1"}
    )
    assert response.status_code == 400
    assert CartLine.objects.count() == 0


def test_adding_more_than_available_says_out_of_stock(client, catalogue):
    response = client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["sauce"].public_id), "quantity": "4"},
    )
    assert response.status_code == 409
    assert CartLine.objects.count() == 0


def test_update_and_remove_lines(client, catalogue):
    rice = catalogue["rice"]
    client.post(
        reverse("shop:cart_add"), {"variant": str(rice.public_id), "quantity": 1}
    )
    client.post(
        reverse("shop:cart_update"), {"variant": str(rice.public_id), "quantity": "3"}
    )
    assert CartLine.objects.get().quantity == 3
    client.post(
        reverse("shop:cart_update"),
        {"variant": str(rice.public_id), "quantity": "3", "remove": "1"},
    )
    assert CartLine.objects.count() == 0


def test_guest_cart_is_merged_into_the_account_at_login(client, catalogue):
    user = UserFactory(email="mua@example.com")
    filled_cart({catalogue["rice"]: 1}, user=user)
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": 2},
    )
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["sauce"].public_id), "quantity": 1},
    )
    response = client.post(
        reverse("account_login"),
        {"login": "mua@example.com", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    cart = Cart.objects.get(user=user)
    assert dict(cart.lines.values_list("variant_public_id", "quantity")) == {
        catalogue["rice"].public_id: 3,
        catalogue["sauce"].public_id: 1,
    }
    assert Cart.objects.count() == 1


def test_place_order_copies_lines_reserves_stock_and_numbers_it(catalogue):
    order = place({catalogue["rice"]: 2, catalogue["sauce"]: 1})
    assert order.number.startswith("AG-") and order.number.endswith("-000001")
    assert order.total == 300_000 + 120_000 + 30_000 + 25_000
    assert order.payment_status == PaymentStatus.PENDING
    assert list(
        order.lines.values_list("sku", "unit_price", "quantity", "line_total")
    ) == [
        (catalogue["rice"].sku, 150_000, 2, 300_000),
        (catalogue["sauce"].sku, 120_000, 1, 120_000),
    ]
    assert order.fulfilments.count() == 2
    assert _stock(catalogue["rice"]) == (10, 2)
    assert _stock(catalogue["sauce"]) == (3, 1)
    second = place({catalogue["sugar"]: 1})
    assert second.number.endswith("-000002")


def test_same_checkout_token_returns_the_same_order(catalogue):
    token = uuid.uuid4()
    first = place({catalogue["rice"]: 1}, token=token)
    again = order_services.order_place(
        cart=Cart.objects.create(),
        checkout_token=token,
        details=DETAILS,
        user=None,
        language="vi",
        expected_total=None,
    )
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert _stock(catalogue["rice"]) == (10, 1)


def test_last_unit_goes_to_one_buyer_only(catalogue):
    sauce = catalogue["sauce"]
    StockRecord.objects.filter(variant=sauce).update(quantity_on_hand=1)
    place({sauce: 1})
    cart = filled_cart({catalogue["rice"]: 1})
    CartLine.objects.create(cart=cart, variant_public_id=sauce.public_id, quantity=1)
    before = _counts()
    with pytest.raises(OutOfStock) as info:
        order_services.order_place(
            cart=cart,
            checkout_token=uuid.uuid4(),
            details=DETAILS,
            user=None,
            language="vi",
            expected_total=None,
        )
    assert info.value.code == "out_of_stock"
    assert _counts() == before
    assert _stock(sauce) == (1, 1)


def test_changed_total_is_refused_and_nothing_saved(catalogue):
    cart = filled_cart({catalogue["rice"]: 1})
    before = _counts()
    with pytest.raises(CartChanged):
        order_services.order_place(
            cart=cart,
            checkout_token=uuid.uuid4(),
            details=DETAILS,
            user=None,
            language="vi",
            expected_total=1_000,
        )
    assert _counts() == before


def test_order_over_stripes_limit_is_refused(catalogue):
    rice = catalogue["rice"]
    type(rice).objects.filter(pk=rice.pk).update(price=50_000_000)
    StockRecord.objects.filter(variant=rice).update(quantity_on_hand=5)
    cart = filled_cart({rice: 2})
    before = _counts()
    with pytest.raises(OrderAmountInvalid) as info:
        order_services.order_place(
            cart=cart,
            checkout_token=uuid.uuid4(),
            details=DETAILS,
            user=None,
            language="vi",
            expected_total=None,
        )
    assert "99.999.999 ₫" in str(info.value.message)
    assert _counts() == before


def _checkout_post(client, total, **overrides):
    data = {
        "checkout_token": str(uuid.uuid4()),
        "expected_total": str(total),
        "email": "khach@example.com",
        "phone": "0912 345 678",
        "recipient_name": "Trần Thị Bình",
        "recipient_phone": "0987654321",
        "province": "An Giang",
        "commune": "Châu Đốc",
        "street": "5 Lê Lợi",
        "notes": "Giao giờ hành chính",
        "payment_method": "card",
        "accept_terms": "on",
    }
    data.update(overrides)
    return client.post(reverse("shop:checkout"), data), data


def test_checkout_form_places_the_order_and_goes_to_payment(client, catalogue):
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": 1},
    )
    response, data = _checkout_post(client, 180_000)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "shop:order_pay", kwargs={"public_id": order.public_id}
    )
    assert order.phone == "0912345678"
    assert order.notes == "Giao giờ hành chính"
    again, _ = _checkout_post(client, 180_000, checkout_token=data["checkout_token"])
    assert again.status_code == 302
    assert Order.objects.count() == 1


def test_checkout_post_without_a_cart_creates_no_cart(client, catalogue):
    response, _ = _checkout_post(client, 180_000)
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:cart")
    assert Cart.objects.count() == 0
    assert Order.objects.count() == 0


def test_resubmit_without_a_cart_goes_to_the_placed_order(client, catalogue):
    """A session that lost its cart but holds the form of a placed guest order."""
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": 1},
    )
    _, data = _checkout_post(client, 180_000)
    order = Order.objects.get()
    Cart.objects.all().delete()
    again = client.post(reverse("shop:checkout"), data)
    assert again.status_code == 302
    assert again["Location"] == reverse(
        "shop:order_pay", kwargs={"public_id": order.public_id}
    )
    assert Cart.objects.count() == 0
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"accept_terms": ""},
        {"phone": "12345"},
        {"province": "Atlantis"},
        {"email": "not-an-email"},
        {"expected_total": "-5"},
        {"expected_total": "abc"},
        {"checkout_token": "123"},
        {"street": ""},
        {"recipient_name": "A\x00B"},
    ],
)
def test_bad_checkout_input_is_a_form_error(client, catalogue, overrides):
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": 1},
    )
    before = _counts()
    response, _ = _checkout_post(client, 180_000, **overrides)
    assert response.status_code == 400
    assert _counts() == before
    if {"expected_total", "checkout_token"} & set(overrides):
        # A broken hidden field still tells the buyer what to do.
        assert "Vui lòng tải lại trang" in response.content.decode()


def test_tampered_expected_total_is_409_and_nothing_saved(client, catalogue):
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": 1},
    )
    before = _counts()
    response, _ = _checkout_post(client, 1_000)
    assert response.status_code == 409
    assert _counts() == before


def test_signed_in_buyer_saves_address_and_sees_history(client, catalogue):
    user = UserFactory()
    client.force_login(user)
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": 1},
    )
    _checkout_post(client, 180_000, save_address="on")
    order = Order.objects.get()
    assert order.user == user
    assert SavedAddress.objects.get(user=user).street == "5 Lê Lợi"
    history = client.get(reverse("shop:account_orders"))
    assert order.number in history.content.decode()


def test_other_buyers_order_and_address_are_404(client, catalogue):
    owner = UserFactory()
    order = place({catalogue["rice"]: 1}, user=owner)
    address = SavedAddress.objects.create(
        user=owner,
        recipient_name="X",
        phone="0912345678",
        province="An Giang",
        commune="Y",
        street="Z",
    )
    client.force_login(UserFactory())
    for name in ("shop:order_detail", "shop:order_pay", "shop:order_status"):
        assert (
            client.get(reverse(name, kwargs={"public_id": order.public_id})).status_code
            == 404
        )
    assert (
        client.get(
            reverse("shop:order_detail", kwargs={"public_id": uuid.uuid4()})
        ).status_code
        == 404
    )
    response = client.post(
        reverse("shop:account_addresses"), {"address": str(address.public_id)}
    )
    assert response.status_code == 404
    assert SavedAddress.objects.count() == 1


def test_guest_order_link_works_without_account(client, catalogue):
    order = place({catalogue["rice"]: 1})
    response = client.get(
        reverse("shop:order_detail", kwargs={"public_id": order.public_id})
    )
    assert response.status_code == 200
    assert order.number in response.content.decode()


def test_cart_badge_counts_items(client, catalogue):
    client.post(
        reverse("shop:cart_add"),
        {"variant": str(catalogue["rice"].public_id), "quantity": 2},
    )
    html = client.get(reverse("shop:cart")).content.decode()
    assert 'class="cart-badge__count" aria-hidden="true">2<' in html


def test_unpublished_product_leaves_the_cart_total(catalogue):
    cart = filled_cart({catalogue["rice"]: 1, catalogue["sauce"]: 1})
    product = catalogue["sauce"].product
    product.unpublish()
    from shop.cart import cart_lines, cart_summary

    summary = cart_summary(lines=cart_lines(cart=cart), language="vi")
    assert summary.unavailable == [catalogue["sauce"].public_id]
    assert summary.total == 180_000
    with pytest.raises(CartChanged):
        order_services.order_place(
            cart=cart,
            checkout_token=uuid.uuid4(),
            details=DETAILS,
            user=None,
            language="vi",
            expected_total=None,
        )


def test_variant_without_stock_record_is_out_of_stock(db):
    variant = shop_factories.variant()
    variant.stock.delete()
    cart = Cart.objects.create()
    from shop.cart import cart_add

    with pytest.raises(OutOfStock):
        cart_add(
            cart=cart, variant_public_id=variant.public_id, quantity=1, language="vi"
        )
