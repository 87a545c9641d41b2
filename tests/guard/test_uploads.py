"""Phone photos upload; fake, hostile or broken files are refused with a clear
Vietnamese message and leave no row and no file behind. Every fixture is made
by Pillow (or by hand) in the test: no binary files in the repository."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from pathlib import Path

import pillow_heif
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from organisations.models import Membership
from organisations.uploads import SafeImageField
from tests.factories import member, onboarded_organisation, pdfs


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    """A private MEDIA_ROOT, so "no stray file" is not confused by other tests."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def editor(db):
    organisation = onboarded_organisation()
    user = member(organisation, Membership.Role.EDITOR)
    user.organisation_for_test = organisation
    return user


def _image(fmt: str, size=(64, 48), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    PILImage.new(mode, size, 180 if mode != "RGB" else (180, 120, 60)).save(
        buffer, fmt, **options
    )
    return buffer.getvalue()


def _png_bomb(width: int, height: int) -> bytes:
    """A 1-bit PNG declaring width x height, its rows of zeros deflated.

    Written by hand because Pillow would first allocate the whole bitmap
    (400 MB for 20000 x 20000) just to make the fixture.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height))
    data += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def _heic(size=(120, 90)) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(PILImage.new("RGB", size, (30, 140, 60))).save(
        buffer, quality=60
    )
    return buffer.getvalue()


def _media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(path) for path in root.rglob("*") if path.is_file()}


def _upload_image(client, editor, name: str, content: bytes):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh thử",
            "file": SimpleUploadedFile(name, content),
            "collection": editor.organisation_for_test.collection_id,
        },
    )


def _form_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors["file"]


def test_heic_phone_photo_uploads_and_renders_as_jpeg(client, editor):
    client.force_login(editor)

    response = _upload_image(client, editor, "IMG_0042.HEIC", _heic())

    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (120, 90)
    rendition = image.get_rendition("width-60")
    assert rendition.file.name.endswith(".jpg")
    assert rendition.width == 60


def test_a_40_megapixel_phone_photo_is_accepted(client, editor):
    """Deliberate: 40-48 MP phone cameras exist; the limit is 50 MP."""
    client.force_login(editor)
    # Greyscale keeps the fixture cheap; the pixel count is what matters.
    photo = _image("JPEG", size=(7300, 5480), mode="L", quality=30)  # 40.0 MP

    response = _upload_image(client, editor, "IMG_4000.jpg", photo)

    assert response.status_code == 302
    assert get_image_model().objects.get().width == 7300


HOSTILE_IMAGES = [
    (
        "bomb.png",
        lambda: _png_bomb(20000, 20000),
        "quá nhiều điểm ảnh",
    ),
    (
        "panorama-60mp.png",
        lambda: _png_bomb(10000, 6000),
        "quá nhiều điểm ảnh (60 megapixel)",
    ),
    (
        "giay-chung-nhan.jpg",
        lambda: b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
        "không đọc được tệp này như một hình ảnh",
    ),
    (
        "logo.svg",
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>alert(document.cookie)</script></svg>"
        ),
        "SVG",
    ),
    ("rong.jpg", lambda: b"", "rỗng"),
    (
        "dut-doan.jpg",
        lambda: _image("JPEG", size=(800, 600))[:2500],
        "bị hỏng hoặc không đầy đủ",
    ),
    ("that-ra-la-png.jpg", lambda: _image("PNG"), "thực chất là tệp png"),
    (
        "script.jpg",
        lambda: b"<script>alert(1)</script>",
        "thực chất là tệp svg",
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "message"), HOSTILE_IMAGES, ids=[c[0] for c in HOSTILE_IMAGES]
)
def test_hostile_or_broken_images_are_refused_and_nothing_is_saved(
    client, editor, name, make, message
):
    client.force_login(editor)
    files_before = _media_files()

    response = _upload_image(client, editor, name, make())

    errors = _form_errors(response)
    assert len(errors) == 1
    assert message in errors[0]
    assert get_image_model().objects.count() == 0
    assert _media_files() == files_before


def test_a_bomb_is_refused_by_its_header_without_decoding():
    bomb = SimpleUploadedFile("bomb.png", _png_bomb(20000, 20000))

    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        SafeImageField().clean(bomb)
    elapsed = time.monotonic() - started

    assert error.value.code == "file_too_many_pixels"
    assert "400" in error.value.messages[0]  # 400 megapixels declared
    assert elapsed < 0.5  # decoding 400 MP would take seconds and 400 MB


def test_too_large_a_file_is_refused_with_the_limit(client, editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    client.force_login(editor)
    photo = _image("JPEG", size=(400, 300), quality=95)
    assert len(photo) > 1000

    errors = _form_errors(_upload_image(client, editor, "lon.jpg", photo))

    assert "quá lớn" in errors[0]
    assert "Dung lượng tối đa là 1000\xa0byte" in errors[0]
    assert get_image_model().objects.count() == 0


def test_multiple_uploader_refuses_a_bomb_without_saving(client, editor):
    client.force_login(editor)
    files_before = _media_files()

    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("bomb.png", _png_bomb(20000, 20000))},
    )

    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is False
    assert "quá nhiều điểm ảnh" in payload["error_message"]
    assert get_image_model().objects.count() == 0
    assert _media_files() == files_before


def _upload_document(client, editor, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Giấy chứng nhận",
            "file": SimpleUploadedFile(name, content),
            "collection": editor.organisation_for_test.collection_id,
        },
    )


# A real (parseable) PDF: organisations.pdf_safety refuses what pypdf cannot read.
PDF = pdfs.minimal_pdf()


@pytest.mark.parametrize(
    ("name", "content"),
    [("chung-nhan.pdf", PDF), ("chung-nhan.jpg", None), ("chung-nhan.png", None)],
)
def test_pdf_jpeg_and_png_documents_upload(client, editor, name, content):
    client.force_login(editor)
    if content is None:
        content = _image("JPEG" if name.endswith(".jpg") else "PNG")

    response = _upload_document(client, editor, name, content)

    assert response.status_code == 302
    document = get_document_model().objects.get()
    assert document.collection_id == editor.organisation_for_test.collection_id


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(256)
HOSTILE_DOCUMENTS = [
    ("hoa-don.pdf", EXECUTABLE, "nội dung không phải tệp pdf thật"),
    ("anh.jpg", EXECUTABLE, "nội dung không phải tệp jpg thật"),
    ("setup.exe", EXECUTABLE, "pdf, jpg, jpeg, png"),
    ("trang.html", b"<html><script>alert(1)</script></html>", "pdf, jpg, jpeg, png"),
    (
        "macro.pdf",
        pdfs.minimal_pdf(b"/OpenAction << /S /JavaScript >> "),
        "chứa mã lệnh",
    ),
    ("rong.pdf", b"", "rỗng"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    HOSTILE_DOCUMENTS,
    ids=[c[0] for c in HOSTILE_DOCUMENTS],
)
def test_fake_or_active_documents_are_refused(client, editor, name, content, message):
    client.force_login(editor)
    files_before = _media_files()

    response = _upload_document(client, editor, name, content)

    errors = _form_errors(response)
    assert any(message in error for error in errors), errors
    assert get_document_model().objects.count() == 0
    assert _media_files() == files_before
