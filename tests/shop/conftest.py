from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

import pytest

from shop.cart import cart_add
from shop.models import Cart, CartLine, Order, OrderLine, StockRecord, StockReservation
from shop.services import orders as order_services
from tests.factories import shop as shop_factories

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

WEBHOOK_SECRET = "whsec_test_secret_for_the_shop"


@pytest.fixture(scope="session")
def localstripe_server():
    import localstripe_server

    running = localstripe_server.start_in_thread(0)
    yield running
    running.stop()


@pytest.fixture
def stripe_settings(settings, localstripe_server):
    """The real gateway talking to localstripe over loopback HTTP."""
    settings.STRIPE_SECRET_KEY = "sk_test_local_shop"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_local_shop"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_server.base_url
    settings.STRIPE_JS_URL = f"{localstripe_server.base_url}/js.stripe.com/v3/"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    return settings


def stripe_api(settings):
    """The test's own Stripe client, at localstripe (the buyer's and Stripe's side)."""
    import stripe

    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE}
    )


def card_token(settings, number="4242424242424242") -> str:
    """What Stripe.js createToken gives the browser: a card_… id."""
    token = stripe_api(settings).v1.tokens.create(
        params={
            "card": {"number": number, "exp_month": 12, "exp_year": 2031, "cvc": "123"}
        }
    )
    return token.card.id


def wait_for(predicate, seconds=10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return WEBHOOK_SECRET


@pytest.fixture
def catalogue(db):
    """Two brands: A with two products, B with one."""
    brand_a = shop_factories.brand(flat_fee=30_000, free_over=500_000)
    brand_b = shop_factories.brand(flat_fee=25_000, free_over=None)
    return {
        "brand_a": brand_a,
        "brand_b": brand_b,
        "rice": shop_factories.variant(brand_page=brand_a, price=150_000, on_hand=10),
        "sugar": shop_factories.variant(brand_page=brand_a, price=85_000, on_hand=5),
        "sauce": shop_factories.variant(brand_page=brand_b, price=120_000, on_hand=3),
    }


# The buyer's part of the checkout form (the token and the total come from the page).
CHECKOUT_FIELDS = {
    "email": "khach@example.com",
    "phone": "0912345678",
    "recipient_name": "Lê Văn Cường",
    "recipient_phone": "0912345678",
    "province": "An Giang",
    "commune": "Tri Tôn",
    "street": "1 Nguyễn Trãi",
    "payment_method": "card",
    "accept_terms": "on",
}

DETAILS = order_services.CheckoutDetails(
    email="nguoi.mua@example.com",
    phone="0912345678",
    recipient_name="Nguyễn Văn An",
    recipient_phone="0912345678",
    province="An Giang",
    commune="Long Xuyên",
    street="12 Trần Hưng Đạo",
    notes="",
)


def order_counts():
    """Orders, lines, holds, cart lines and reserved stock: what a refused
    checkout must leave as it found it."""
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        StockReservation.objects.count(),
        CartLine.objects.count(),
        tuple(
            StockRecord.objects.order_by("pk").values_list(
                "quantity_reserved", flat=True
            )
        ),
    )


def filled_cart(items: dict, user=None) -> Cart:
    cart = Cart.objects.create(user=user)
    for variant, quantity in items.items():
        cart_add(
            cart=cart,
            variant_public_id=variant.public_id,
            quantity=quantity,
            language="vi",
        )
    return cart


def place(items: dict, user=None, token=None):
    cart = filled_cart(items, user=user)
    return order_services.order_place(
        cart=cart,
        checkout_token=token or uuid.uuid4(),
        details=DETAILS,
        user=user,
        language="vi",
        expected_total=None,
    )


# The bank feed and the receiving account (tests/shop/bankfeed_helpers.py).
BANK_FEED_SECRET = "bank-feed-test-secret"
BANK_BIN = "970436"
ACCOUNT = "0123456789"
HOLDER = "CONG TY AN GIANG DIGITAL"


@pytest.fixture
def bank_settings(settings):
    settings.SHOP_BANK_FEED_SECRET = BANK_FEED_SECRET
    settings.SHOP_VIETQR_BANK_BIN = BANK_BIN
    settings.SHOP_VIETQR_ACCOUNT = ACCOUNT
    settings.SHOP_VIETQR_ACCOUNT_HOLDER = HOLDER
    settings.SHOP_VIETQR_BANK_NAME = "Vietcombank"
    return settings
