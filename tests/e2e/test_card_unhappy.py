"""A buyer whose card payment goes wrong, in a real browser against
localstripe: a failed 3-D Secure check then a good one, a declined card then a
good card (a fresh PaymentIntent behind the scenes), and the payment page with
JavaScript turned off. Both viewports (the `session` fixture).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_buyer_journey import add_to_cart, pay_with_card

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

# localstripe's test cards (localstripe/resources.py, PaymentMethod).
CARD_3DS = "4000002760003184"
CARD_DECLINED = "4000000000000341"
CARD_OK = "4242424242424242"
PAY_URL = re.compile(r"/orders/[0-9a-f-]{36}/pay/$")
ORDER_URL = re.compile(r"/orders/[0-9a-f-]{36}/$")


def place_order(session, who: str) -> str:
    """One product into the cart, a guest checkout; returns the payment page's path."""
    page = session.page
    session.goto("/thuong-hieu/hung-phat/gao-st25/")
    add_to_cart(page)
    session.goto("/checkout/")
    form = page.locator("main form.checkout-form")
    form.get_by_label("Thư điện tử").fill(f"{who}.{session.viewport}@example.vn")
    form.get_by_label(re.compile(r"^Điện thoại:?$")).fill("0912 345 678")
    form.get_by_label("Tên người nhận").fill("Phạm Thị Hoa")
    form.get_by_label("Điện thoại người nhận").fill("0987654321")
    form.get_by_label("Tỉnh / thành phố").select_option("An Giang")
    form.get_by_label("Xã / phường").fill("Phường Long Xuyên")
    form.get_by_label("Số nhà và tên đường").fill("3 Lê Lợi")
    form.get_by_label(re.compile("Tôi đồng ý")).check()
    form.get_by_role("button", name=re.compile("Đặt hàng")).click()
    page.wait_for_url(PAY_URL)
    return page.url.removeprefix(session.app.base_url)


def pay_button(page):
    return page.locator("#pay-button")


def expect_paid(page) -> None:
    page.wait_for_url(ORDER_URL)
    expect(page.locator("#payment-status")).to_have_text(
        "Đã thanh toán", timeout=60_000
    )


def test_failed_3ds_check_then_a_successful_retry(session):
    page = session.page
    pay_path = place_order(session, "xacthuc")
    pay_with_card(page, CARD_3DS)
    pay_button(page).click()
    # localstripe's stand-in for the bank's 3-D Secure page.
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.locator("#pay-not-paid")).to_be_visible()
    expect(page.locator("#pay-not-paid")).to_contain_text("Chưa thanh toán.")
    expect(page.locator("#card-errors")).to_contain_text("3-D Secure")
    expect(pay_button(page)).to_be_enabled()
    assert PAY_URL.search(page.url)
    session.shot("3ds-failed")
    session.assert_accessible()

    # The order page says "not paid" and offers to pay again; it does not wait.
    page.locator("main").get_by_role("link", name="Xem đơn hàng").click()
    page.wait_for_url(ORDER_URL)
    expect(page.locator("#not-paid-note")).to_be_visible()
    expect(page.locator("#processing-note")).to_have_count(0)
    expect(page.locator("#payment-status")).to_have_text("Thanh toán thất bại")
    session.shot("3ds-failed-order")
    session.assert_accessible()
    page.locator("main").get_by_role("link", name="Thanh toán lại").click()
    page.wait_for_url(PAY_URL)
    assert page.url.endswith(pay_path)
    expect(page.locator("#pay-not-paid")).to_be_visible()

    pay_with_card(page, CARD_3DS)
    pay_button(page).click()
    page.get_by_role("button", name="Complete authentication").click()
    expect_paid(page)
    expect(page.locator("#not-paid-note")).to_have_count(0)
    session.shot("3ds-retry-paid")


def test_declined_card_then_a_successful_retry(session):
    page = session.page
    place_order(session, "tuchoi")
    pay_with_card(page, CARD_DECLINED)
    pay_button(page).click()
    expect(page.locator("#card-errors")).to_contain_text("không thành công")
    expect(page.locator("#pay-not-paid")).to_be_visible()
    expect(pay_button(page)).to_be_enabled()
    session.shot("declined")
    session.assert_accessible()

    # localstripe will not confirm the declined PaymentIntent again: the shop
    # starts a fresh attempt and the good card pays it.
    pay_with_card(page, CARD_OK)
    pay_button(page).click()
    expect_paid(page)
    expect(page.locator("#payment-history")).to_contain_text("lần thanh toán thẻ thứ 2")
    session.shot("declined-retry-paid")
    session.assert_accessible()


def test_payment_page_without_javascript(session):
    page = session.page
    pay_path = place_order(session, "khongjs")
    # The same buyer (the session cookie owns the order) with JavaScript off.
    plain = session.same_buyer_without_javascript()
    for prefix, needs_js, see_order, back in (
        ("", "Thanh toán bằng thẻ cần JavaScript", "Xem đơn hàng", "Quay lại giỏ hàng"),
        ("/en", "Paying by card needs JavaScript", "See the order", "Back to the cart"),
    ):
        response = plain.goto(session.app.url(prefix + pay_path))
        assert response.status == 200
        # Playwright's text matching skips <noscript> itself; its content is
        # an ordinary element when scripting is off.
        note = plain.locator("#pay-needs-js")
        expect(note).to_be_visible()
        expect(note).to_contain_text(needs_js)
        expect(plain.locator("#pay-button")).to_be_hidden()
        expect(plain.locator("#card-element")).to_be_hidden()
        expect(
            plain.locator("#pay-needs-js").get_by_role("link", name=back)
        ).to_be_visible()
        link = plain.locator("#pay-needs-js").get_by_role("link", name=see_order)
        expect(link).to_be_visible()
        path = f"{session.test_name}-{session.viewport}-nojs{prefix.replace('/', '-')}"
        plain.screenshot(
            path=str(session_shots(session) / f"{path}.png"), full_page=True
        )
    link.click()
    plain.wait_for_url(ORDER_URL)
    expect(plain.locator("main")).to_contain_text("Pay now")

    # With JavaScript the same page shows the card form and the button.
    session.goto(pay_path)
    expect(pay_button(page)).to_be_visible()
    expect(page.locator("#card-element input").first).to_be_visible()
    # With JavaScript on, <noscript> is raw text, never an element.
    expect(page.locator("#pay-needs-js")).to_have_count(0)
    session.shot("pay-with-js")
    # (axe-core needs timers, which do not run with JavaScript off: checked here.)
    session.assert_accessible()


def session_shots(session):
    from tests.e2e.conftest import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
