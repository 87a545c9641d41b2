"""A cooperative editor in a real browser: edit a product, its price and photos in
the Vietnamese admin, submit for moderation; province staff approve; the public
page changes (the page cache is purged); the other brand stays out of reach."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.livestack import PASSWORD

# The first test also pays for seeding the live server (a minute or two).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

EDITOR = "bientap.hung-phat@an-giang.example"
STAFF = "canbo.tinh@an-giang.example"
# Not the products the buyer journey searches for (ST25, Nàng Nhen).
PRODUCT_SLUG = "gao-lut-do"
SKU = "HP-LUT-1"
OTHER_BRAND_SLUG = "gao-tri-ton"
OTHER_PRODUCT_SLUG = "gao-nang-nhen"
# A different price per viewport, so the phone run proves its own change.
NEW_PRICE = {"desktop": 47_000, "phone": 49_000}


def admin_login(page, email: str) -> None:
    page.goto("/admin/")
    # Wagtail's login is routed through allauth (one set of rate limits).
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    page.get_by_label(re.compile("Thư điện tử|Email", re.I)).fill(email)
    page.get_by_label(re.compile("Mật khẩu")).fill(PASSWORD)
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_url(re.compile(r"/admin/$"), wait_until="domcontentloaded")
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def shot_of(session, page, name: str) -> None:
    """A screenshot of another browser's page, named like the session's own."""
    own, session.page = session.page, page
    try:
        session.shot(name)
    finally:
        session.page = own


def demo_ids(session) -> dict:
    """Ids and public URLs of the pages the journey touches, from the server's database."""
    code = f"""
import json
from brands.models import BrandPage, ProductPage, ProductVariant
own = ProductPage.objects.get(slug={PRODUCT_SLUG!r}, locale__language_code="vi")
other_brand = BrandPage.objects.get(slug={OTHER_BRAND_SLUG!r}, locale__language_code="vi")
other = ProductPage.objects.get(slug={OTHER_PRODUCT_SLUG!r}, locale__language_code="vi")
variant = ProductVariant.objects.get(sku={SKU!r})
print(json.dumps({{
    "product": own.id, "product_url": own.get_url(), "product_title": own.title,
    "other_brand": other_brand.id, "other_product": other.id,
    "other_titles": [other_brand.title, other.title],
    "other_revision": other.latest_revision_id,
    "variant": variant.id,
}}))
"""
    return json.loads(session.app.stack.shell(code).strip().splitlines()[-1])


def anonymous_get(session, path: str) -> tuple[str, str]:
    """A visitor without cookies (the page cache serves only those): body, cache header."""
    with urllib.request.urlopen(session.app.url(path), timeout=30) as response:  # noqa: S310
        return response.read().decode(), response.headers.get("X-Page-Cache", "")


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def test_editor_edits_a_product_staff_approve_and_the_public_page_changes(
    session, tmp_path
):
    ids = demo_ids(session)
    marker = f"Vụ mới xay tháng này ({session.viewport})"
    price = NEW_PRICE[session.viewport]
    photo = tmp_path / "gao-lut-do.jpg"
    # Another colour per viewport: Wagtail asks before taking a duplicate upload.
    colour = (150, 40, 30) if session.viewport == "desktop" else (90, 30, 20)
    Image.new("RGB", (1200, 900), colour).save(photo, "JPEG", quality=85)

    # The public page is cached for visitors before the change.
    anonymous_get(session, ids["product_url"])
    body, cache = anonymous_get(session, ids["product_url"])
    assert cache == "hit"
    assert marker not in body

    page = session.page
    admin_login(page, EDITOR)
    session.shot("admin-dashboard")

    # The product's text and a new photo, uploaded from the image chooser.
    page.goto(f"/admin/pages/{ids['product']}/edit/")
    description = page.locator("#id_short_description")
    description.fill(f"Gạo lứt huyết rồng giàu chất xơ. {marker}.")
    page.locator("#id_gallery_images-ADD").click()
    photo_form = page.locator("[id^=inline_child_gallery_images-]").last
    photo_form.locator("[data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    modal.locator("#tab-label-upload").click()
    modal.locator("input[type=file]").set_input_files(photo)
    modal.locator("#tab-upload input[name$=title]").fill(f"Gạo lứt đỏ {marker}")
    session.shot("photo-upload")
    modal.locator("#tab-upload button[type=submit]").click()
    expect(modal).to_have_count(0, timeout=15_000)
    expect(photo_form).to_contain_text(marker)
    alt_text = f"Túi gạo lứt đỏ trên bàn gỗ ({session.viewport})"
    photo_form.locator("input[name$=alt_text]").fill(alt_text)
    session.shot("product-edited")

    # Editors cannot publish: they submit to the province's moderation.
    expect(page.locator("footer button[name=action-publish]")).to_have_count(0)
    page.locator("footer .w-dropdown__toggle").click()
    submit = page.locator("footer button[name=action-submit]")
    expect(submit).to_have_text("Gửi duyệt theo Quy trình kiểm duyệt của tỉnh")
    submit.click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi kiểm duyệt")
    session.shot("submitted")

    # Prices are live data, edited in the variant admin.
    page.goto("/admin/product_variants/")
    listing = page.locator("main table")
    expect(listing).to_contain_text("Có")
    expect(listing).not_to_contain_text("True")
    page.get_by_role("link", name=SKU).click()
    page.wait_for_url(re.compile(rf"/admin/product_variants/edit/{ids['variant']}/$"))
    page.locator("#id_price").fill(str(price))
    session.shot("variant-price")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text(SKU)
    expect(page.locator("main table")).to_contain_text(str(price))

    # The price purged the page cache at once; the text waits for approval.
    body, _ = anonymous_get(session, ids["product_url"])
    assert vnd(price) in body
    assert marker not in body

    # Province staff, in their own browser, approve from the page editor.
    staff = session.new_page()
    try:
        admin_login(staff, STAFF)
        expect(staff.locator("main")).to_contain_text(ids["product_title"])
        staff.goto(f"/admin/pages/{ids['product']}/edit/")
        expect(staff.locator("#id_short_description")).to_have_value(
            re.compile(re.escape(marker))
        )
        staff.locator("footer .w-dropdown__toggle").click()
        staff.locator(
            "footer button[data-workflow-action-name=approve]"
            ":not([data-workflow-action-modal-url])"
        ).click()
        expect(staff.locator(".messages")).to_contain_text(ids["product_title"])
        shot_of(session, staff, "staff-approved")
    finally:
        staff.context.close()

    # Published: visitors (from the purged cache) see the text, photo and price.
    body, _ = anonymous_get(session, ids["product_url"])
    assert marker in body
    assert vnd(price) in body
    assert alt_text in body
    public = session.new_page()
    try:
        public.goto(ids["product_url"])
        expect(public.locator("main")).to_contain_text(marker)
        expect(public.locator("main")).to_contain_text(vnd(price))
        expect(public.get_by_alt_text(alt_text).first).to_be_visible()
        shot_of(session, public, "public-product")
    finally:
        public.context.close()

    # The other brand's pages, typed in by hand: a plain 404, nothing of theirs shown.
    denied = [
        f"/admin/pages/{ids['other_brand']}/edit/",
        f"/admin/pages/{ids['other_product']}/edit/",
        f"/admin/pages/{ids['other_product']}/edit/preview/",
        f"/admin/pages/{ids['other_product']}/history/",
        f"/admin/pages/{ids['other_product']}/revisions/{ids['other_revision']}/view/",
        f"/admin/pages/{ids['other_brand']}/",
    ]
    for path in denied:
        response = page.goto(path)
        assert response.status == 404, (path, response.status)
        content = page.content()
        for title in ids["other_titles"]:
            assert title not in content, (path, title)
    session.shot("other-brand-denied")
