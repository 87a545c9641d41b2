"""A buyer abroad, in English, in a real browser: the address abroad (country,
lines, city, postal code), the brand that does not ship abroad named with a
way out, the shipping priced again for the country, only the card offered,
then paid through localstripe. Both viewports; the address part for the
chosen country only with JavaScript, both parts (each saying when it
applies) without it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_buyer_journey import add_to_cart, pay_with_card
from tests.e2e.test_card_unhappy import session_shots

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

ABROAD_BRAND = "Gạo Thơm Tri Tôn"
HOME_ONLY_PRODUCT = "/thuong-hieu/hung-phat/gao-st25/"
ABROAD_PRODUCT = "/thuong-hieu/gao-tri-ton/gao-nang-nhen/"
PAY_URL = re.compile(r"/orders/[0-9a-f-]{36}/pay/$")


def ships_abroad(app, brand: str, *, fee: int) -> None:
    """The brand's own shipping terms: it ships abroad for ``fee`` đồng."""
    app.stack.shell(
        "from brands.models import BrandPage\n"
        "from shop.models import ShippingPolicy\n"
        f"brand = BrandPage.objects.filter(title={brand!r}).first()\n"
        "ShippingPolicy.objects.filter(organisation_id=brand.organisation_id)"
        f".update(ships_abroad=True, abroad_fee={fee}, accepts_card=True)\n"
    )


def fill_abroad(form) -> None:
    form.get_by_label("Email").fill("anna.schmidt@example.de")
    form.get_by_label(re.compile(r"^Phone:?$")).fill("+49 30 1234 5678")
    form.get_by_label("Recipient's name").fill("Anna Schmidt")
    form.get_by_label("Recipient's phone").fill("+49 151 2345 6789")
    form.locator("#id_country").select_option("DE")
    form.get_by_label("House number and street").fill("Hauptstraße 5")
    form.get_by_label("City / town").fill("Berlin")
    form.get_by_label("Postal code").fill("10115")
    form.get_by_label(re.compile("I accept")).check()


def test_a_buyer_abroad_pays_by_card(session):
    page = session.page
    ships_abroad(session.app, ABROAD_BRAND, fee=650_000)
    session.goto(ABROAD_PRODUCT)
    add_to_cart(page)
    session.goto(HOME_ONLY_PRODUCT)
    add_to_cart(page)
    session.goto("/en/checkout/")
    form = page.locator("main form.checkout-form")
    # With JavaScript the part abroad shows once the country is abroad.
    expect(form.get_by_label("City / town")).to_be_hidden()
    fill_abroad(form)
    expect(form.get_by_label("City / town")).to_be_visible()
    expect(form.get_by_label("Commune / ward")).to_be_hidden()
    form.get_by_role("button", name=re.compile("Place order")).click()

    # One brand does not ship abroad: named, with a link to change the cart.
    alert = page.locator("main .alert")
    expect(alert).to_contain_text("does not ship outside Vietnam")
    expect(page.locator("#id_country")).to_have_value("DE")
    expect(page.locator("#id_city")).to_have_value("Berlin")
    session.shot("abroad-not-shipped")
    session.assert_accessible()
    page.locator(".summary-box .warning").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/cart/"))
    group = page.locator("main .brand-group").filter(has_text="Hưng Phát")
    group.get_by_role("button", name=re.compile("Remove")).click()
    expect(page.locator("main .brand-group")).to_have_count(1)

    session.goto("/en/checkout/")
    form = page.locator("main form.checkout-form")
    fill_abroad(form)
    form.get_by_role("button", name=re.compile("Place order")).click()
    # The page had priced shipping in Vietnam: priced again, card only.
    expect(page.locator("main .alert")).to_contain_text("priced for the country")
    expect(page.locator(".summary-box")).to_contain_text("Shipping abroad")
    expect(page.locator(".summary-box")).to_contain_text("₫650,000")
    expect(page.locator("input[name=payment_method][value=card]")).to_be_checked()
    expect(page.locator("input[name=payment_method][value=cod]")).to_be_disabled()
    expect(page.locator(".pay-methods")).to_contain_text("only card payment")
    session.shot("abroad-priced-again")
    session.assert_accessible()
    page.get_by_label(re.compile("I accept")).check()
    page.locator("main form.checkout-form").get_by_role(
        "button", name=re.compile("Place order")
    ).click()
    page.wait_for_url(PAY_URL)
    pay_with_card(page, "4242424242424242")
    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}/$"))
    expect(page.locator("#payment-status")).to_have_text("Paid", timeout=60_000)
    expect(page.locator("main")).to_contain_text("10115 Berlin")
    session.shot("abroad-paid")


def test_the_checkout_without_javascript_shows_both_address_parts(session):
    page = session.page
    session.goto(ABROAD_PRODUCT)
    add_to_cart(page)
    nojs = session.same_buyer_without_javascript(locale="en-GB")
    nojs.goto(session.app.url("/en/checkout/"))
    form = nojs.locator("main form.checkout-form")
    expect(form.get_by_label("Commune / ward")).to_be_visible()
    expect(form.get_by_label("City / town")).to_be_visible()
    expect(form).to_contain_text("For an address in Vietnam:")
    expect(form).to_contain_text("For an address outside Vietnam (paid by card):")
    path = session_shots(session) / f"{session.test_name}-{session.viewport}.png"
    nojs.screenshot(path=str(path), full_page=True)
