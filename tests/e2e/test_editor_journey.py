"""A cooperative editor in a real browser: log in to the Vietnamese admin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.livestack import PASSWORD

# The first test also pays for seeding the live server (a minute or two).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

EDITOR = "bientap.hung-phat@an-giang.example"


def test_editor_logs_in_to_the_vietnamese_admin(session):
    page = session.page
    session.goto("/admin/")
    # Wagtail's login is routed through allauth (one set of rate limits).
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    page.get_by_label(re.compile("Thư điện tử|Email", re.I)).fill(EDITOR)
    page.get_by_label(re.compile("Mật khẩu")).fill(PASSWORD)
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_url(re.compile(r"/admin/$"), wait_until="domcontentloaded")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    session.shot("admin-dashboard")
