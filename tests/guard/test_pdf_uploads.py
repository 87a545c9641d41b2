"""PDFs with active content are refused through the real admin upload, whatever
the disguise, and documents are served as attachments, never inline."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

from organisations.models import Membership
from organisations.pdf_safety import pdf_hazard
from tests.factories import member, onboarded_organisation, pdfs


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def editor(db):
    organisation = onboarded_organisation()
    user = member(organisation, Membership.Role.EDITOR)
    user.organisation_for_test = organisation
    return user


def _media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _upload(client, editor, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Giấy chứng nhận",
            "file": SimpleUploadedFile(name, content),
            "collection": editor.organisation_for_test.collection_id,
        },
    )


SCRIPTS = "chứa mã lệnh"
ATTACHMENTS = "có tệp đính kèm"
XFA = "biểu mẫu XFA"
UNREADABLE = "Không đọc được tệp PDF"
HOSTILE_PDFS = [
    ("ten-ma-hoa.pdf", pdfs.escaped_javascript_names_pdf, SCRIPTS),
    ("object-stream.pdf", pdfs.object_stream_javascript_pdf, SCRIPTS),
    ("launch.pdf", pdfs.launch_action_pdf, SCRIPTS),
    ("trang-mo.pdf", pdfs.page_open_action_pdf, SCRIPTS),
    ("dinh-kem.pdf", pdfs.embedded_file_pdf, ATTACHMENTS),
    ("chu-thich-dinh-kem.pdf", pdfs.file_attachment_annotation_pdf, ATTACHMENTS),
    ("xfa.pdf", pdfs.xfa_form_pdf, XFA),
    ("mat-khau.pdf", pdfs.encrypted_pdf, UNREADABLE),
    ("hong.pdf", pdfs.unreadable_pdf, UNREADABLE),
]


@pytest.mark.parametrize(
    ("name", "make", "message"), HOSTILE_PDFS, ids=[c[0] for c in HOSTILE_PDFS]
)
def test_hostile_pdfs_are_refused_and_nothing_is_saved(
    client, editor, name, make, message
):
    client.force_login(editor)
    files_before = _media_files()

    response = _upload(client, editor, name, make())

    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert get_document_model().objects.count() == 0
    assert _media_files() == files_before


def test_the_refusal_is_in_english_for_an_english_editor(client, editor):
    editor.wagtail_userprofile.preferred_language = "en"
    editor.wagtail_userprofile.save()
    client.force_login(editor)

    response = _upload(client, editor, "xfa.pdf", pdfs.xfa_form_pdf())

    # Read from the page: the form's lazy messages would be rendered now, in
    # the test's language, not the editor's.
    body = response.content.decode()
    assert "This PDF is an XFA form, which can run scripts." in body
    assert "biểu mẫu XFA" not in body


def test_a_clean_pdf_uploads_and_is_served_as_an_attachment(client, editor):
    client.force_login(editor)

    response = _upload(client, editor, "chung-nhan.pdf", pdfs.clean_pdf())

    assert response.status_code == 302
    document = get_document_model().objects.get()
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "make",
    [pdfs.clean_pdf, pdfs.minimal_pdf, pdfs.web_link_pdf],
    ids=lambda f: f.__name__,
)
def test_passive_pdfs_pass_the_check(make):
    """Opening on page 1 (a destination) and links to websites are not actions
    that run anything: real certificates have them."""
    assert pdf_hazard(make()) is None
