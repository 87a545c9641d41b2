"""A buyer in a real browser: search without diacritics, two brands, English
and back, a guest checkout paid with a test card, the emails; the login page.

axe-core runs on the pages a buyer meets (home, search, catalogue, brand,
product, cart with items, checkout, payment, order, login), in Vietnamese and
in English, at both viewports, as part of the journeys rather than on pages
loaded a second time.
"""

from __future__ import annotations

import email
import re
import shutil
import time
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.livestack import PASSWORD

from .conftest import VIEWPORTS, Session

# The first test also pays for seeding the live server (a minute or two).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

ADD_TO_CART = re.compile(r"^(Thêm vào giỏ|Add to cart)$")
CHECK_OUT = re.compile(r"^(Thanh toán|Check out)$")
CART = re.compile(r"^(Giỏ hàng|Cart)\b")
BRAND_1 = "HTX Hưng Phát"
BRAND_2 = "Gạo Thơm Tri Tôn"


def test_buyer_journey_two_brands_guest_checkout_paid_by_card(session):
    page = session.page
    buyer = f"khach.{session.viewport}@example.vn"

    response = session.goto("/")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    session.shot("home-vi")
    session.assert_accessible()

    # "gao st25" typed on a phone keyboard, without Vietnamese accents.
    search(page, "gao st25")
    result = page.locator("main").get_by_role("link", name=re.compile("ST25")).first
    expect(result).to_be_visible()
    session.shot("search-vi")
    session.assert_accessible()
    result.click()
    expect(page.locator("h1")).to_contain_text("ST25")
    if session.viewport == "phone":
        # Phone first: a one-row header, and the pack, quantity and "add to
        # cart" in the first screen, with nothing wider than the phone.
        assert page.locator(".site-header").bounding_box()["height"] <= 80
        button = page.locator(".buy-box").get_by_role("button", name=ADD_TO_CART)
        box = button.bounding_box()
        assert box["y"] + box["height"] <= page.viewport_size["height"], box
        assert no_horizontal_scroll(page)
    session.shot("product-brand-1")
    session.assert_accessible()
    assert_fields_labelled(page)
    add_to_cart(page)
    # Its brand, from the breadcrumbs.
    breadcrumb(page, BRAND_1).click()
    expect(page.locator("h1")).to_contain_text(BRAND_1)
    session.shot("brand-1-vi")
    session.assert_accessible()

    # A second brand's product, again without accents, and that brand's page.
    search(page, "nang nhen")
    page.locator("main").get_by_role("link", name=re.compile("Nàng Nhen")).first.click()
    expect(page.locator("h1")).to_contain_text("Nàng Nhen")
    add_to_cart(page)
    expect(cart_link(page)).to_contain_text("2")
    breadcrumb(page, BRAND_2).click()
    expect(page.locator("h1")).to_contain_text(BRAND_2)
    session.shot("brand-2-vi")

    # English: the brand, its product, the cart, the checkout, the catalogue, home.
    switch_language(page, "English", "en")
    expect(page.locator("h1")).to_contain_text(BRAND_2)
    session.shot("brand-2-en")
    session.assert_accessible()
    page.locator("main").get_by_role("link", name=re.compile("Nàng Nhen")).first.click()
    expect(page.locator("h1")).to_contain_text("Nàng Nhen")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    session.shot("product-en")
    session.assert_accessible()
    cart_link(page).click()
    expect(page.locator("main .brand-group")).to_have_count(2)
    session.shot("cart-en")
    session.assert_accessible()
    page.locator("main").get_by_role("link", name=CHECK_OUT).click()
    expect(page.locator("main form.checkout-form")).to_be_visible()
    session.assert_accessible()
    assert_fields_labelled(page)
    main_menu(page, "Products")
    expect(page.locator("main .product-card").first).to_be_visible()
    session.shot("catalogue-en")
    session.assert_accessible()
    page.locator(".site-header__logo").click()
    page.wait_for_url(re.compile(r"/en/$"))
    session.assert_accessible()

    # Back to Vietnamese: catalogue, cart, checkout.
    switch_language(page, "Tiếng Việt", "vi")
    assert "/en/" not in page.url
    main_menu(page, "Sản phẩm")
    expect(page.locator("main .product-card").first).to_be_visible()
    session.shot("catalogue-vi")
    session.assert_accessible()
    cart_link(page).click()
    groups = page.locator("main .brand-group")
    expect(groups).to_have_count(2)
    expect(groups.filter(has_text=BRAND_1)).to_have_count(1)
    expect(groups.filter(has_text=BRAND_2)).to_have_count(1)
    session.shot("cart-vi")
    session.assert_accessible()
    page.locator("main").get_by_role("link", name=CHECK_OUT).click()
    session.assert_accessible()
    assert_fields_labelled(page)

    # Guest checkout with a Vietnamese address (another province than the shop's).
    form = page.locator("main form.checkout-form")
    form.get_by_label("Thư điện tử").fill(buyer)
    form.get_by_label(re.compile(r"^Điện thoại:?$")).fill("0912 345 678")
    form.get_by_label("Tên người nhận").fill("Nguyễn Thị Lan")
    form.get_by_label("Điện thoại người nhận").fill("0987654321")
    form.get_by_label("Tỉnh / thành phố").select_option("Thành phố Cần Thơ")
    form.get_by_label("Xã / phường").fill("Phường Ninh Kiều")
    form.get_by_label("Số nhà và tên đường").fill("12 Đường 30 Tháng 4")
    form.get_by_label(re.compile("Tôi đồng ý")).check()
    session.shot("checkout-vi")
    form.get_by_role("button", name=re.compile("Đặt hàng")).click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}/pay/$"))

    session.assert_accessible()
    pay_with_card(page, "4242424242424242")
    session.shot("pay-vi")
    page.get_by_role("button", name=re.compile("Thanh toán")).click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}/$"))
    # Only localstripe's signed webhook marks it paid; the page polls until then.
    expect(page.locator("#payment-status")).to_have_text(
        "Đã thanh toán", timeout=60_000
    )
    expect(page.locator("main")).to_contain_text("Phường Ninh Kiều, Thành phố Cần Thơ")
    number = re.search(r"AG-\d{4}-\d{6}", page.locator("h1").inner_text()).group()
    session.shot("order-paid-vi")
    session.assert_accessible()

    # One receipt to the buyer, one notice to each cooperative.
    sent = emails_about(session.app, number, expected=3)
    to_buyer = [m for m in sent if m["To"] == buyer]
    to_brands = [m for m in sent if m["To"] != buyer]
    assert len(to_buyer) == 1, [m["To"] for m in sent]
    assert sorted(brand_in(m["Subject"]) for m in to_brands) == sorted(
        [BRAND_1, BRAND_2]
    ), [m["Subject"] for m in to_brands]
    assert all(buyer not in m["To"] for m in to_brands)


def open_menu(page) -> None:
    """On a phone the header's menu is behind its button (a <details>)."""
    button = page.locator(".site-menu__button")
    if (
        button.is_visible()
        and page.locator("[data-site-menu]").get_attribute("open") is None
    ):
        button.click()


def search(page, words: str) -> None:
    open_menu(page)
    box = page.locator(".site-header").get_by_role("searchbox")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def add_to_cart(page) -> None:
    page.locator(".buy-box").get_by_role("button", name=ADD_TO_CART).click()
    expect(page.locator(".messages .message--success")).to_be_visible()


def cart_link(page):
    return page.locator("header").get_by_role("link", name=CART)


def breadcrumb(page, title: str):
    return page.locator("nav.breadcrumbs").get_by_role("link", name=title)


def main_menu(page, title: str) -> None:
    open_menu(page)
    page.locator("nav.site-nav").get_by_role("link", name=title, exact=True).click()


def switch_language(page, name: str, lang: str) -> None:
    open_menu(page)
    page.locator(".language-switcher").get_by_role("link", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def assert_fields_labelled(page) -> None:
    """Every visible field of the main forms has a label a screen reader reads."""
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll(
            'main input:not([type=hidden]), main select, main textarea')]
          .filter(el => !(el.labels && el.labels.length
                          && [...el.labels].some(l => l.textContent.trim()))
                        && !el.getAttribute('aria-label')
                        && !el.getAttribute('aria-labelledby'))
          .map(el => el.outerHTML)"""
    )
    assert unlabelled == []


def pay_with_card(page, number: str) -> None:
    """localstripe's Card Element: plain inputs named by their placeholders."""
    card = page.locator("#card-element")
    card.locator("input[placeholder=number]").fill(number)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("34")
    card.locator("input[placeholder=cvc]").fill("123")
    card.locator("input[placeholder=postal_code]").fill("90000")


def emails_about(app, number: str, *, expected: int, timeout: float = 20) -> list:
    """The parsed emails whose subject names the order, once `expected` exist."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            message
            for raw in app.emails()
            for chunk in raw.split("\n" + "-" * 79 + "\n")
            if chunk.strip()
            for message in [email.message_from_string(chunk, policy=policy.default)]
            if number in str(message["Subject"] or "")
        ]
        if len(found) >= expected or time.monotonic() > deadline:
            assert len(found) == expected, [str(m["Subject"]) for m in found]
            return found
        time.sleep(0.5)


def brand_in(subject: str) -> str:
    for brand in (BRAND_1, BRAND_2):
        if brand in subject:
            return brand
    return subject


def test_buyer_checks_out_with_the_keyboard_only(session):
    """Tab, Shift+Tab, arrows, Space, Enter and typing: product -> cart ->
    checkout (with one mistake to correct) -> the payment page."""
    page = session.page
    keys = page.keyboard
    session.goto("/thuong-hieu/hung-phat/gao-st25/")

    # The first Tab offers to skip the header; Enter lands in the content.
    keys.press("Tab")
    assert_focused(page, "a.skip-link")
    assert_focus_visible(page)
    keys.press("Enter")
    keys.press("Tab")
    assert_focused(page, "main *")

    # The second pack, two of them, into the cart.
    tab_to(page, "#buy-variant")
    assert_focus_visible(page)
    first_pack = page.locator("#buy-variant").input_value()
    keys.press("ArrowDown")
    assert page.locator("#buy-variant").input_value() != first_pack
    tab_to(page, "#buy-quantity")
    keys.press("ArrowUp")
    expect(page.locator("#buy-quantity")).to_have_value("2")
    tab_to(page, ".buy-box button[type=submit]")
    assert_focus_visible(page)
    keys.press("Enter")
    expect(page.locator(".messages .message--success")).to_be_visible()

    # Back up to the header's cart link (Shift+Tab), then the checkout button.
    tab_to(page, "header a.cart-badge", backwards=True)
    assert_focus_visible(page)
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/cart/$"))
    expect(page.locator("main .cart-line")).to_have_count(1)
    expect(page.locator("main input[name=quantity]")).to_have_value("2")
    tab_to(page, "main .summary-box a.button")
    assert_focus_visible(page)
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/checkout/$"))

    # Every field in the order Tab reaches them; the terms are forgotten at first.
    tab_to(page, "#id_email")
    for field, value in [
        ("email", f"phim.{session.viewport}@example.vn"),
        ("phone", "0912345678"),
        ("recipient_name", "Trần Văn Bình"),
        ("recipient_phone", "0912345678"),
    ]:
        assert_focused(page, f"#id_{field}")
        keys.type(value)
        keys.press("Tab")
    # Vietnam is chosen; the provinces are in alphabetical order.
    assert_focused(page, "#id_country")
    expect(page.locator("#id_country")).to_have_value("VN")
    keys.press("Tab")
    assert_focused(page, "#id_province")
    for _ in range(3):
        keys.press("ArrowDown")
    expect(page.locator("#id_province")).to_have_value("Thành phố Cần Thơ")
    keys.press("Tab")
    assert_focused(page, "#id_commune")
    keys.type("Phường Cái Khế")
    keys.press("Tab")
    assert_focused(page, "#id_street")
    keys.type("5 Hai Bà Trưng")
    keys.press("Tab")
    # The address abroad is hidden for Vietnam: line 2, then the ways to pay.
    assert_focused(page, "#id_address_line2")
    # The ways to pay are one radio group, one Tab stop, card chosen.
    keys.press("Tab")
    assert_focused(page, "#id_payment_method_0:checked")
    assert_focus_visible(page)
    keys.press("Tab")
    assert_focused(page, "#id_notes")
    keys.press("Tab")
    assert_focused(page, "#id_accept_terms")
    keys.press("Tab")
    assert_focused(page, "main form.checkout-form button[type=submit]")
    assert_focus_visible(page)
    keys.press("Enter")

    # The form comes back with the reason, the focus on the field to correct
    # (not at the top of the page); the fix is Space on the checkbox.
    expect(page.locator("#id_accept_terms_error")).to_be_visible()
    expect(page.locator("#id_commune")).to_have_value("Phường Cái Khế")
    expect(page.locator("#id_accept_terms")).to_be_focused()
    assert_focus_visible(page)
    keys.press("Space")
    expect(page.locator("#id_accept_terms")).to_be_checked()
    keys.press("Tab")
    assert_focused(page, "main form.checkout-form button[type=submit]")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}/pay/$"))
    # The card field is the first stop in the payment form.
    tab_to(page, "#card-element input")
    session.shot("keyboard-pay")


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until `selector` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{key} never reaches {selector}")


def assert_focused(page, selector: str) -> None:
    focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    assert page.evaluate("s => document.activeElement.matches(s)", selector), focused


def assert_focus_visible(page) -> None:
    """The focused element draws an outline a sighted keyboard user can see."""
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert style[0] not in {"none", "hidden"} and style[1] >= 2, style


def test_buyer_login_page_is_labelled_and_rejects_a_wrong_password(session):
    page = session.page
    session.goto("/accounts/login/")
    session.shot("login-vi")
    session.assert_accessible()
    assert_fields_labelled(page)
    page.get_by_label(re.compile("Thư điện tử|Email", re.I)).fill(
        "chu.hung-phat@an-giang.example"
    )
    page.get_by_label(re.compile("Mật khẩu")).fill("not-the-password")
    page.locator("main form").get_by_role("button").last.click()
    expect(page.locator("main")).to_contain_text(
        re.compile("không đúng|không chính xác")
    )
    assert page.url.endswith("/accounts/login/")
    session.assert_accessible()

    session.goto("/en/accounts/login/")
    session.assert_accessible()
    page.get_by_label(re.compile("Thư điện tử|Email", re.I)).fill(
        "chu.hung-phat@an-giang.example"
    )
    page.get_by_label(re.compile("Password")).fill(PASSWORD)
    page.locator("main form").get_by_role("button").last.click()
    # Signed in: the header offers to log out (the redirect lands on "/", in
    # Vietnamese), in the menu on a phone.
    open_menu(page)
    expect(page.locator("header form[action$='/logout/'] button")).to_be_visible()
    session.shot("logged-in-en")


NO_JS_SHOTS = Path("/tmp/shots-checkout")


def test_buyer_pays_by_vietqr_and_by_cash_at_360px_without_javascript(
    live_app, browser
):
    """A phone with JavaScript off: a VietQR order (the code and the details
    as text, paid by a signed bank-feed notification) in Vietnamese, then a
    cash-on-delivery order in English. Plain forms and radio buttons only."""
    context = browser.new_context(
        base_url=live_app.base_url,
        locale="vi-VN",
        java_script_enabled=False,
        **VIEWPORTS["phone"],
    )
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(60_000)
    shutil.rmtree(NO_JS_SHOTS, ignore_errors=True)
    NO_JS_SHOTS.mkdir(parents=True)
    shots = iter(range(1, 100))

    def shot(page, name: str) -> None:
        page.wait_for_load_state("load")
        path = NO_JS_SHOTS / f"{next(shots):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)

    try:
        page = context.new_page()
        # VietQR, in Vietnamese.
        page.goto("/thuong-hieu/hung-phat/gao-st25/")
        page.locator(".buy-box").get_by_role("button", name=ADD_TO_CART).click()
        page.goto("/checkout/")
        # Without JS the cached product page cannot show the flash message:
        # the next page that is not cached does (docs/caching.md).
        expect(page.locator(".messages .message--success")).to_be_visible()
        methods = page.locator("main fieldset.pay-methods")
        expect(methods.get_by_label("Thẻ")).to_be_checked()
        fill_checkout(page, "khach.vietqr@example.vn")
        methods.get_by_label("Chuyển khoản ngân hàng (VietQR)").check()
        assert no_horizontal_scroll(page)
        shot(page, "checkout-methods-vi")
        page.locator("main form.checkout-form").get_by_role(
            "button", name=re.compile("Đặt hàng")
        ).click()
        page.wait_for_url(re.compile(r"/orders/[0-9a-f-]{36}/pay/$"))
        main = page.locator("main")
        expect(main.locator(".transfer-qr svg")).to_be_visible()
        reference = page.locator("#transfer-reference").inner_text()
        assert re.fullmatch(r"AG[0-9A-Z]{6}", reference)
        expect(page.locator("#transfer-account")).to_have_text("0071000123456")
        expect(page.locator("#transfer-holder")).to_have_text(
            "CONG TY AN GIANG DIGITAL"
        )
        expect(page.locator("#transfer-bank")).to_have_text("Vietcombank")
        # Without JavaScript there are no copy buttons, only selectable text.
        expect(page.locator("button[data-copy]").first).to_be_hidden()
        assert no_horizontal_scroll(page)
        qr_box = page.locator(".transfer-qr svg").bounding_box()
        assert qr_box["width"] >= 200, qr_box  # big enough to scan from a screen
        shot(page, "pay-vietqr-vi")
        # axe-core needs scripts: the same page in a browser with them on
        # (same cookies, so the same buyer), where the copy buttons show too.
        with_js = Session(
            app=live_app, browser=browser, viewport="phone", test_name="no-js"
        )
        with_js.page = with_js.new_page()
        with_js.page.context.add_cookies(context.cookies())
        with_js.page.goto(page.url)
        expect(with_js.page.locator(".transfer-qr svg")).to_be_visible()
        with_js.assert_accessible()
        with_js.close()
        page.get_by_role("link", name="Tôi đã chuyển khoản: xem đơn hàng").click()
        expect(page.locator("#transfer-awaited")).to_be_visible()
        number = re.search(r"AG-\d{4}-\d{6}", page.locator("h1").inner_text()).group()

        # The bank feed reports the transfer (a correctly signed notification).
        sent = live_app.stack.manage(
            "shop_fake_bank_transfer",
            number,
            "--url",
            live_app.url("/shop/bank-feed/"),
        )
        assert "200" in sent.stdout + sent.stderr or sent.returncode == 0
        page.reload()
        expect(page.locator("#payment-status")).to_have_text("Đã thanh toán")
        expect(page.locator("#payment-method")).to_have_text(
            "Chuyển khoản ngân hàng (VietQR)"
        )
        assert no_horizontal_scroll(page)
        shot(page, "order-paid-vietqr-vi")

        # Cash on delivery, in English.
        page.goto("/thuong-hieu/hung-phat/gao-st25/")
        switch_language(page, "English", "en")
        page.locator(".buy-box").get_by_role("button", name=ADD_TO_CART).click()
        # Staff cap the brand's cash on delivery below this order: the page
        # says so and offers the way out; then the cap is lifted again.
        cod_limit(live_app, BRAND_1, 50_000)
        page.goto("/en/checkout/")
        cod = page.locator("main fieldset.pay-methods").get_by_label("Cash on delivery")
        expect(cod).to_be_disabled()
        expect(page.locator("main .pay-method__refusal")).to_contain_text(
            f"{BRAND_1} takes cash on delivery only up to ₫50,000, and its part "
            "of this order is ₫103,000."
        )
        assert no_horizontal_scroll(page)
        shot(page, "checkout-cod-over-limit-en")
        cod_limit(live_app, BRAND_1, None)
        page.reload()
        fill_checkout(page, "buyer.cod@example.vn", english=True)
        page.locator("main fieldset.pay-methods").get_by_label(
            "Cash on delivery"
        ).check()
        shot(page, "checkout-methods-en")
        page.locator("main form.checkout-form").get_by_role(
            "button", name=re.compile("Place order")
        ).click()
        page.wait_for_url(re.compile(r"/en/orders/[0-9a-f-]{36}/$"))
        expect(page.locator("#cod-confirmed")).to_contain_text(
            "Order confirmed: cash on delivery."
        )
        expect(page.locator("#payment-method")).to_have_text("Cash on delivery")
        assert no_horizontal_scroll(page)
        shot(page, "order-cod-en")
    finally:
        context.close()


def cod_limit(app, brand: str, limit: int | None) -> None:
    """What the province staff set for ``brand``'s cash on delivery."""
    app.stack.shell(
        "from brands.models import BrandPage\n"
        "from shop.models import ShippingPolicy\n"
        f"brand = BrandPage.objects.filter(title={brand!r}).first()\n"
        "ShippingPolicy.objects.filter(organisation_id=brand.organisation_id)"
        f".update(cod_limit={limit!r})\n"
    )


def fill_checkout(page, email: str, *, english: bool = False) -> None:
    form = page.locator("main form.checkout-form")
    if english:
        labels = ["Email", "Phone", "Recipient's name", "Recipient's phone"]
        labels += ["Commune / ward", "House number and street", "I accept"]
    else:
        labels = [
            "Thư điện tử",
            "Điện thoại",
            "Tên người nhận",
            "Điện thoại người nhận",
        ]
        labels += ["Xã / phường", "Số nhà và tên đường", "Tôi đồng ý"]
    values = [email, "0912 345 678", "Nguyễn Thị Lan", "0987654321"]
    values += ["Phường Long Xuyên", "3 Lý Thái Tổ"]
    for label, value in zip(labels[:6], values, strict=True):
        form.get_by_label(re.compile(rf"^{re.escape(label)}:?$")).fill(value)
    form.get_by_label(re.compile(labels[6])).check()


def no_horizontal_scroll(page) -> bool:
    """Nothing wider than the phone: a mobile browser would zoom out (and
    grow window.innerWidth with it), so compare with the viewport itself."""
    width = page.viewport_size["width"]
    return page.evaluate("w => document.documentElement.scrollWidth <= w", width)
