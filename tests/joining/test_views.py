"""The apply form, the applicant's state page and the staff queue, over HTTP."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from joining.models import OrganisationApplication
from organisations.models import Organisation
from tests.factories import UserFactory, member, onboarded_organisation, valid_tax_code
from tests.factories.guard import jpeg_bytes
from tests.factories.pdfs import escaped_javascript_names_pdf, launch_action_pdf
from tests.test_translations import _sidebar_labels

from .conftest import evidence_pdf, form_data, submitted_application, verified_user

Status = OrganisationApplication.Status
APPLY = "/organisations/apply/"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post(client, path=APPLY, evidence=None, **overrides):
    data = form_data(**overrides)
    data["evidence"] = evidence if evidence is not None else evidence_pdf()
    return client.post(path, data)


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = Client().get(APPLY)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unverified_email_gets_a_clear_refusal_not_a_form(db):
    client = _client(UserFactory())
    response = client.get(APPLY)
    assert response.status_code == 403
    assert "Hãy xác nhận địa chỉ thư điện tử" in response.content.decode()
    response = _post(client)
    assert response.status_code == 403
    assert OrganisationApplication.objects.count() == 0


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_form_is_there_in_both_languages(applicant, prefix):
    response = _client(applicant).get(prefix + APPLY)
    assert response.status_code == 200
    assert 'name="tax_code"' in response.content.decode()


def test_applying_stores_the_document_privately_and_shows_the_state(
    applicant, private_media, settings
):
    client = _client(applicant)
    response = _post(client)
    application = OrganisationApplication.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"] == f"/organisations/applications/{application.public_id}/"
    )
    assert application.status == Status.SUBMITTED
    stored = private_media / application.evidence.name
    assert stored.exists()
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    # No URL names the private file.
    with pytest.raises(ValueError):
        application.evidence.url  # noqa: B018
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert 'data-state="submitted"' in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "upload", "message"),
    [
        ({"tax_code": "1601234567"}, None, "chữ số cuối"),
        ({"tax_code": "16012-34567"}, None, "10 chữ số"),
        ({"tax_code": "１６０１２３４６７８"}, None, "10 chữ số"),
        ({"employees": "-3"}, None, ""),
        ({"employees": "１２"}, None, "0-9"),
        ({"annual_revenue": "5.000.000"}, None, "0-9"),
        ({"commune": "x"}, None, ""),
        ({"kind": "bank"}, None, ""),
        ({"legal_name": ""}, None, ""),
        (
            {},
            SimpleUploadedFile("giay-phep.pdf", b"MZ\x90\x00 not a pdf"),
            "nội dung không phải tệp",
        ),
        ({}, SimpleUploadedFile("giay-phep.gif", b"GIF89a"), "PDF, JPEG hoặc PNG"),
        ({}, SimpleUploadedFile("a.pdf", escaped_javascript_names_pdf()), "PDF"),
        ({}, SimpleUploadedFile("a.pdf", launch_action_pdf()), "PDF"),
        ({}, SimpleUploadedFile("a.pdf", b""), ""),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_nothing_saved(
    applicant, overrides, upload, message
):
    response = _post(_client(applicant), evidence=upload, **overrides)
    assert response.status_code == 400
    body = response.content.decode()
    assert "errorlist" in body or "form-error" in body
    if message:
        assert message in body
    assert OrganisationApplication.objects.count() == 0


def test_a_photo_is_accepted_as_evidence(applicant):
    photo = SimpleUploadedFile("giay-phep.jpg", jpeg_bytes(), content_type="image/jpeg")
    assert _post(_client(applicant), evidence=photo).status_code == 302


def test_a_held_tax_code_leads_to_a_dispute(applicant):
    holder = onboarded_organisation(tax_code=valid_tax_code(901))
    client = _client(applicant)
    response = _post(client, tax_code=holder.tax_code)
    assert response.status_code == 409
    body = response.content.decode()
    assert 'name="dispute_statement"' in body and 'name="dispute"' in body
    assert OrganisationApplication.objects.count() == 0
    response = _post(
        client,
        tax_code=holder.tax_code,
        dispute="on",
        dispute_statement="Giấy chứng nhận đăng ký mang tên chúng tôi.",
    )
    assert response.status_code == 302
    assert OrganisationApplication.objects.get().status == Status.DISPUTED


def test_another_users_application_is_a_404(applicant):
    application = submitted_application(applicant)
    path = f"/organisations/applications/{application.public_id}/"
    assert _client(verified_user()).get(path).status_code == 404
    assert _client(applicant).get(path).status_code == 200


# --- The staff queue -----------------------------------------------------------


def test_staff_see_the_queue_in_vietnamese_with_the_menu_item(applicant, staff):
    submitted_application(applicant, legal_name="HTX Hàng Đợi")
    client = _client(staff)
    assert "Hồ sơ đăng ký" in _sidebar_labels(client.get("/admin/"))
    response = client.get("/admin/applications/")
    assert response.status_code == 200
    assert "HTX Hàng Đợi" in response.content.decode()


def test_staff_see_other_claims_and_download_the_evidence(applicant, staff):
    holder = onboarded_organisation(
        tax_code=valid_tax_code(902), legal_name="HTX Đang Giữ"
    )
    application = submitted_application(
        applicant, tax_code=holder.tax_code, status=Status.DISPUTED
    )
    client = _client(staff)
    body = client.get(f"/admin/applications/{application.pk}/").content.decode()
    assert "HTX Đang Giữ" in body
    response = client.get(f"/admin/applications/{application.pk}/evidence/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["applicant", "editor", "buyer"])
def test_nobody_but_staff_reaches_the_queue_or_the_evidence(applicant, who):
    assert "Hồ sơ đăng ký" not in _sidebar_labels(
        _client(member(onboarded_organisation())).get("/admin/")
    )
    application = submitted_application(applicant)
    user = {
        "applicant": applicant,
        "editor": member(onboarded_organisation()),
        "buyer": UserFactory(),
    }[who]
    client = _client(user)
    for path in (
        "/admin/applications/",
        f"/admin/applications/{application.pk}/",
        f"/admin/applications/{application.pk}/evidence/",
    ):
        response = client.get(path)
        assert response.status_code in {302, 403, 404}, path
        assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [b""]))


@pytest.mark.parametrize("action", ["approve", "reject", "transfer", "uphold"])
def test_forged_decisions_by_non_staff_change_nothing(applicant, action, brand_indexes):
    application = submitted_application(applicant)
    editor = member(onboarded_organisation())
    for user in (applicant, editor):
        response = _client(user).post(
            f"/admin/applications/{application.pk}/",
            {"action": action, "reason": "tự duyệt"},
        )
        assert response.status_code in {302, 403, 404}
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert Organisation.objects.filter(tax_code=application.tax_code).count() == 0


def test_staff_approve_and_the_applicant_is_emailed_in_their_language(
    staff, brand_indexes
):
    applicant = verified_user()
    application = submitted_application(applicant, language="en")
    response = _client(staff).post(
        f"/admin/applications/{application.pk}/", {"action": "approve"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    (message,) = mail.outbox
    assert message.to == [applicant.email]
    assert "approved" in message.subject
    assert "/admin/pages/" in message.body


def test_reject_needs_a_reason(applicant, staff):
    application = submitted_application(applicant)
    client = _client(staff)
    response = client.post(
        f"/admin/applications/{application.pk}/", {"action": "reject", "reason": ""}
    )
    assert response.status_code == 400
    assert "Hãy ghi lý do" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert mail.outbox == []
    response = client.post(
        f"/admin/applications/{application.pk}/",
        {"action": "reject", "reason": "Giấy phép không đọc được."},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "Giấy phép không đọc được." in message.body
    assert "không được duyệt" in message.subject


def test_an_unknown_action_or_id_is_a_4xx(applicant, staff):
    application = submitted_application(applicant)
    client = _client(staff)
    response = client.post(f"/admin/applications/{application.pk}/", {"action": "x"})
    assert response.status_code == 400
    assert client.get("/admin/applications/999999/").status_code == 404
    assert client.get("/admin/applications/999999/evidence/").status_code == 404
