"""The new owner lands on their own draft brand, with a checklist of real data."""

from __future__ import annotations

import datetime
import json

from django.test import Client
from wagtail.images import get_image_model

from brands.models import (
    BrandCertification,
    ProductPage,
    ProductVariant,
    TraceabilityRecord,
)
from joining.checklist import brand_checklist
from joining.services import application_approve
from shop.models import StockRecord
from tests.factories.guard import jpeg_bytes

from .conftest import submitted_application


def _done(page) -> dict[str, bool]:
    return {item.key: item.done for item in brand_checklist(page=page)}


def test_every_step_follows_the_data(applicant, staff, brand_indexes):
    from django.core.files.base import ContentFile

    result = application_approve(application=submitted_application(applicant), by=staff)
    page = result.brand_page
    assert not any(_done(page).values())

    image = get_image_model().objects.create(
        title="Logo",
        file=ContentFile(jpeg_bytes(), name="logo.jpg"),
        collection=result.organisation.collection,
    )
    page.logo = image
    page.story = json.dumps(
        [{"type": "paragraph", "value": "<p>Gạo của chúng tôi trồng ở Thoại Sơn.</p>"}]
    )
    page.certifications.add(
        BrandCertification(
            kind="vietgap",
            number="VG-01",
            issuer="Sở Nông nghiệp",
            issued_on=datetime.date(2026, 1, 5),
        )
    )
    page.save_revision()
    done = _done(page)
    assert done["logo"] and done["story"] and done["certificates"]
    assert not done["product"]

    product = ProductPage(title="Gạo ST25", category="rice")
    page.add_child(instance=product)
    variant = ProductVariant.objects.create(
        product=product, sku="LS-1", name="Túi 5 kg", price=120_000, weight_grams=5000
    )
    done = _done(page)
    assert done["product"] and not done["stock"]
    StockRecord.objects.create(variant=variant, quantity_on_hand=5)
    TraceabilityRecord.objects.create(page=product, growing_area_code="VN-AG-001")
    done = _done(page)
    assert done["stock"] and done["traceability"]
    assert not done["moderation"]

    page.refresh_from_db()
    page.get_workflow().start(page, applicant)
    page.refresh_from_db()
    assert all(_done(page).values())


def test_the_owner_lands_on_their_brand_with_the_checklist(
    applicant, staff, brand_indexes
):
    result = application_approve(application=submitted_application(applicant), by=staff)
    client = Client()
    client.force_login(applicant)
    response = client.get("/admin/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Các bước đầu tiên" in body
    edit = f"/admin/pages/{result.brand_page.pk}/edit/"
    assert edit in body
    assert 'data-step="logo" data-done="false"' in body
    assert client.get(edit).status_code == 200
    # Another owner's brand is out of reach.
    other = submitted_application(
        applicant.__class__.objects.create_user(email="x@example.com", password="x"),
        tax_code="0100109106",
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=other.applicant, email="x@example.com", verified=True
    )
    other_page = application_approve(application=other, by=staff).brand_page
    assert client.get(f"/admin/pages/{other_page.pk}/edit/").status_code == 404


def test_an_untouched_placeholder_saved_by_the_editor_is_not_a_story(
    applicant, staff, brand_indexes
):
    page = application_approve(
        application=submitted_application(applicant), by=staff
    ).brand_page
    # What the admin's editor saves for an untouched paragraph: block keys added.
    blocks = list(page.story.raw_data)
    blocks[1] = {
        **blocks[1],
        "value": blocks[1]["value"].replace("<p>", '<p data-block-key="j5rxw">'),
    }
    page.story = json.dumps(blocks)
    page.save_revision()
    assert not _done(page)["story"]
