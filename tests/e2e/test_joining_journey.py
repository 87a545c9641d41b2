"""A new firm joins: signs up, confirms the email, applies with its registration
document; province staff approve in the admin; the owner lands on the draft
brand page with a checklist, fills it in (both languages) and submits it;
staff publish, and the public brand page is live in Vietnamese and English."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor_journey import STAFF, admin_login, anonymous_get, shot_of
from tests.factories import valid_tax_code
from tests.factories.pdfs import clean_pdf

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

PASSWORD_NEW = "Lua-sach-Thoai-Son-2026"
# Per viewport: its own person, firm and tax code (the runs share one server).
NUMBER = {"desktop": 880_001, "phone": 880_002}


def confirmation_path(app, address: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    pattern = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")
    while time.monotonic() < deadline:
        for raw in app.emails():
            if address in raw:
                match = pattern.search(raw.replace("=\n", ""))
                if match:
                    return match.group(1)
        time.sleep(0.5)
    raise AssertionError(f"no confirmation email for {address}")


def brand_pages(session, tax_code: str) -> dict:
    code = f"""
import json
from brands.models import BrandPage
pages = {{
    p.locale.language_code: {{"id": p.id, "url": p.get_url(), "live": p.live}}
    for p in BrandPage.objects.filter(organisation__tax_code={tax_code!r},
                                      organisation__verified_at__isnull=False)
}}
print(json.dumps(pages))
"""
    return json.loads(session.app.stack.shell(code).strip().splitlines()[-1])


def submit_for_moderation(page) -> None:
    page.locator("footer .w-dropdown__toggle").click()
    page.locator("footer button[name=action-submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi kiểm duyệt")


def approve_in_editor(staff, page_id: int, title: str) -> None:
    staff.goto(f"/admin/pages/{page_id}/edit/")
    staff.locator("footer .w-dropdown__toggle").click()
    staff.locator(
        "footer button[data-workflow-action-name=approve]"
        ":not([data-workflow-action-modal-url])"
    ).click()
    expect(staff.locator(".messages")).to_contain_text(title)


def test_a_new_firm_applies_is_approved_fills_its_brand_and_goes_live(
    session, tmp_path
):
    viewport = session.viewport
    number = NUMBER[viewport]
    email = f"chu.htx{number}@an-giang.example"
    tax_code = valid_tax_code(number)
    trading_name = f"HTX Lúa Sạch {number}"
    evidence = tmp_path / "giay-chung-nhan-dang-ky.pdf"
    evidence.write_bytes(clean_pdf())
    page = session.page

    # 1. Sign up and confirm the email (applying needs a confirmed address).
    page.goto("/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD_NEW)
    page.locator("#id_password2").fill(PASSWORD_NEW)
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state("domcontentloaded")
    page.goto(confirmation_path(session.app, email))
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_load_state("domcontentloaded")

    # 2. Apply with the registration document.
    page.goto("/organisations/apply/")
    expect(page.locator("h1")).to_have_text("Đăng ký cho tổ chức của bạn")
    page.locator("#id_kind").select_option("cooperative")
    page.locator("#id_legal_name").fill(f"Hợp tác xã Nông nghiệp Lúa Sạch {number}")
    page.locator("#id_trading_name").fill(trading_name)
    page.locator("#id_tax_code").fill(tax_code)
    page.locator("#id_commune").select_option(label="Long Xuyên")
    page.locator("#id_address").fill("12 Trần Hưng Đạo")
    page.locator("#id_sector").select_option("rice")
    page.locator("#id_employees").fill("12")
    page.locator("#id_annual_revenue").fill("5000000000")
    page.locator("#id_contact_name").fill("Nguyễn Văn An")
    page.locator("#id_phone").fill("0912345678")
    page.locator("#id_evidence").set_input_files(evidence)
    session.shot("apply-form")
    session.assert_accessible()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/organisations/applications/[0-9a-f-]+/$"))
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "submitted")
    session.shot("application-submitted")

    # 3. Province staff approve from the queue, in their own browser.
    staff = session.new_page()
    admin_login(staff, STAFF)
    staff.goto("/admin/applications/")
    expect(staff.locator("main")).to_contain_text("Hồ sơ đăng ký")
    staff.get_by_role("link", name=re.compile(f"Lúa Sạch {number}")).click()
    expect(staff.locator("main")).to_contain_text(tax_code)
    shot_of(session, staff, "staff-review")
    staff.get_by_role("button", name="Duyệt và tạo thương hiệu").click()
    expect(staff.locator(".messages")).to_contain_text("Đã duyệt")
    expect(staff.locator("[data-state]")).to_have_attribute("data-state", "approved")
    pages = brand_pages(session, tax_code)
    assert set(pages) == {"vi", "en"} and not any(p["live"] for p in pages.values())

    # 4. The owner lands in the admin on their own draft brand, with the checklist.
    page.reload()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "approved")
    page.goto("/admin/")
    checklist = page.locator("#brand-checklist-content, [id^=brand-checklist]").first
    expect(page.locator("main")).to_contain_text("Các bước đầu tiên")
    expect(page.locator('[data-step="story"]')).to_have_attribute("data-done", "false")
    expect(checklist).to_be_visible()
    session.shot("owner-dashboard-checklist")
    page.locator('[data-step="story"] a').click()
    page.wait_for_url(re.compile(rf"/admin/pages/{pages['vi']['id']}/edit/$"))

    # 5. Fills it in, in both languages, and submits each for moderation.
    tagline_vi = f"Gạo sạch Thoại Sơn, vụ mới ({viewport})"
    page.locator("#id_tagline").fill(tagline_vi)
    session.shot("owner-brand-edit")
    submit_for_moderation(page)
    tagline_en = f"Clean rice from Thoai Son, new crop ({viewport})"
    page.goto(f"/admin/pages/{pages['en']['id']}/edit/")
    page.locator("#id_tagline").fill(tagline_en)
    submit_for_moderation(page)
    page.goto("/admin/")
    expect(page.locator('[data-step="moderation"]')).to_have_attribute(
        "data-done", "true"
    )

    # 6. Staff publish both through the moderation workflow.
    approve_in_editor(staff, pages["vi"]["id"], trading_name)
    approve_in_editor(staff, pages["en"]["id"], trading_name)
    shot_of(session, staff, "staff-published")
    staff.context.close()

    # 7. The public brand page is live in both languages.
    pages = brand_pages(session, tax_code)
    assert all(p["live"] for p in pages.values())
    body, _ = anonymous_get(session, pages["vi"]["url"])
    assert tagline_vi in body and trading_name in body
    body, _ = anonymous_get(session, pages["en"]["url"])
    assert tagline_en in body
    public = session.new_page()
    for language in ("vi", "en"):
        public.goto(pages[language]["url"])
        expect(public.locator("main")).to_contain_text(
            tagline_vi if language == "vi" else tagline_en
        )
        shot_of(session, public, f"public-brand-{language}")
    public.context.close()
