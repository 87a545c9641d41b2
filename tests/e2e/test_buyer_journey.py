"""A buyer in a real browser: home, search without diacritics, languages, login."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.livestack import PASSWORD

# The first test also pays for seeding the live server (a minute or two).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


def test_buyer_finds_products_without_diacritics_and_switches_language(session):
    page = session.page
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
    session.shot("product-brand-1")
    session.assert_accessible()

    # A second brand's product, again without accents.
    search(page, "nang nhen")
    page.locator("main").get_by_role("link", name=re.compile("Nàng Nhen")).first.click()
    expect(page.locator("h1")).to_contain_text("Nàng Nhen")
    session.shot("product-brand-2")

    # Switch to English on the product page, then back to Vietnamese.
    page.locator(".language-switcher").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Nàng Nhen")
    session.shot("english")
    session.assert_accessible()
    page.locator(".language-switcher").get_by_role("link", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert "/en/" not in page.url


def search(page, words: str) -> None:
    box = page.get_by_role("searchbox").first
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_buyer_login_page_is_labelled_and_rejects_a_wrong_password(session):
    page = session.page
    session.goto("/accounts/login/")
    session.shot("login-vi")
    session.assert_accessible()
    page.get_by_label(re.compile("Thư điện tử|Email", re.I)).fill(
        "chu.hung-phat@an-giang.example"
    )
    page.get_by_label(re.compile("Mật khẩu")).fill("not-the-password")
    page.locator("main form").get_by_role("button").last.click()
    expect(page.locator("main")).to_contain_text(
        re.compile("không đúng|không chính xác")
    )
    assert page.url.endswith("/accounts/login/")

    session.goto("/en/accounts/login/")
    session.assert_accessible()
    page.get_by_label(re.compile("Thư điện tử|Email", re.I)).fill(
        "chu.hung-phat@an-giang.example"
    )
    page.get_by_label(re.compile("Password")).fill(PASSWORD)
    page.locator("main form").get_by_role("button").last.click()
    # Signed in: the header offers to log out (the redirect lands on "/", in Vietnamese).
    expect(page.locator("header form[action$='/logout/'] button")).to_be_visible()
    session.shot("logged-in-en")
