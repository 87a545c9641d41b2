"""Safe uploads for organisation editors: phone photos in, fake or hostile files out.

Wagtail's image field already checks the extension, that the content matches
it, the file size and the pixel count. Two gaps remain, closed here:

- Wagtail decodes the whole bitmap (through Willow) *before* counting pixels,
  so a small decompression-bomb PNG is inflated in memory before it is
  refused, and above Pillow's own limit it fails as "not an image". The
  header is read first here, so a bomb is refused by its declared size.
- A damaged or cut-off photo (an interrupted upload from a phone) makes
  Pillow raise OSError, which Wagtail lets through as a server error.

Documents (certificates) are checked by content, not only by name: a PDF
must start like a PDF, a JPEG like a JPEG, and a PDF is parsed
(``organisations.pdf_safety``): scripts, actions, embedded files, XFA forms,
encrypted or unreadable files are refused.

Messages are our own, so an editor reads them in Vietnamese.
Registered through WAGTAILIMAGES_IMAGE_FORM_BASE and
WAGTAILDOCS_DOCUMENT_FORM_BASE.
"""

from __future__ import annotations

import os
import re
import warnings

from django.core.exceptions import ValidationError
from django.forms.fields import FileField
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from organisations.pdf_safety import pdf_hazard

IMAGE_MESSAGES = {
    "invalid_image": _(
        "This file is not a picture we can read. Upload a JPEG, PNG, WebP, AVIF, GIF "
        "or HEIC photo."
    ),
    "damaged_image": _(
        "This picture is damaged or incomplete (perhaps the upload was cut off). "
        "Open it on your device to check it, then upload it again."
    ),
    "invalid_image_extension": _(
        "Pictures must be %(formats)s files. SVG and other formats are not accepted."
    ),
    "invalid_image_known_format": _(
        "This file is named .%(extension)s but it is really a %(image_format)s "
        "file. Rename it or export it again as %(extension)s."
    ),
    "file_too_large": _(
        "This picture is too large (%(file_size)s). The maximum is %(max_filesize)s: "
        "send it from your phone at a smaller size."
    ),
    "file_too_many_pixels": _(
        "This picture has too many pixels (%(megapixels)s megapixels). The maximum "
        "is %(max_megapixels)s megapixels: resize it before uploading."
    ),
}

DOCUMENT_MESSAGES = {
    "empty": _("The file is empty."),
    "content_mismatch": _(
        "This file is named .%(extension)s but its content is not a real "
        "%(extension)s file. Only PDF, JPEG and PNG documents are accepted."
    ),
    "active_content": _(
        "This PDF contains scripts or actions that open other programs. Save it "
        "again as a plain PDF (print to PDF) and upload that."
    ),
    "embedded_file": _(
        "This PDF has files attached inside it. Save it again as a plain PDF "
        "without attachments (print to PDF) and upload that."
    ),
    "xfa_form": _(
        "This PDF is an XFA form, which can run scripts. Print it to a plain PDF "
        "and upload that."
    ),
    "unreadable_pdf": _(
        "This PDF could not be read: it is damaged or protected by a password. "
        "Save it again as a plain PDF without a password and upload that."
    ),
    "file_too_large": _(
        "This file is too large (%(file_size)s). The maximum is %(max_filesize)s."
    ),
}

# How each accepted document type starts (its "magic number").
_DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".rstrip("0").rstrip(".")


def _file_of(data):
    """The underlying file object of an upload, rewound."""
    file = data.file if hasattr(data, "file") else data
    if hasattr(file, "seek"):
        file.seek(0)
    return file


class SafeImageField(WagtailImageField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formats = ", ".join(self.allowed_image_extensions).upper()
        self.error_messages["invalid_image"] = IMAGE_MESSAGES["invalid_image"]
        self.error_messages["invalid_image_extension"] = IMAGE_MESSAGES[
            "invalid_image_extension"
        ] % {"formats": formats}
        self.error_messages["invalid_image_known_format"] = IMAGE_MESSAGES[
            "invalid_image_known_format"
        ]
        self.error_messages["file_too_large"] = IMAGE_MESSAGES["file_too_large"]

    def to_python(self, data):
        f = FileField.to_python(self, data)
        if f is None:
            return None
        self._check_extension(f)
        self.check_image_file_size(f)
        self._check_declared_pixels(data)
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except (
            OSError,
            SyntaxError,
            ValueError,
            PILImage.DecompressionBombError,
        ) as exc:
            # Pillow reports truncated or corrupt data as OSError/SyntaxError
            # while Willow decodes the picture to measure it.
            raise ValidationError(
                IMAGE_MESSAGES["damaged_image"], code="damaged_image"
            ) from exc

    def _check_extension(self, f) -> None:
        extension = os.path.splitext(f.name)[1].lower()[1:]
        if extension not in self.allowed_image_extensions:
            raise ValidationError(
                self.error_messages["invalid_image_extension"],
                code="invalid_image_extension",
            )

    def _check_declared_pixels(self, data) -> None:
        """Refuse by the size the header declares, before decoding anything."""
        if self.max_image_pixels is None:
            return
        file = _file_of(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
                with PILImage.open(file) as header:
                    width, height = header.size
        except PILImage.DecompressionBombError as exc:
            # Larger than twice Pillow's own limit: certainly over ours. Pillow
            # names the declared size only in its message.
            declared = re.search(r"\((\d+) pixels\)", str(exc))
            raise self._too_many_pixels(
                int(declared.group(1)) if declared else None
            ) from exc
        except Exception:  # noqa: BLE001 - unreadable: Wagtail's checks say why
            return
        finally:
            if hasattr(file, "seek"):
                file.seek(0)
        if width * height > self.max_image_pixels:
            raise self._too_many_pixels(width * height)

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError as error:
            width, height = f.image.get_size()
            raise self._too_many_pixels(width * height) from error

    def _too_many_pixels(self, pixels: int | None) -> ValidationError:
        return ValidationError(
            IMAGE_MESSAGES["file_too_many_pixels"]
            % {
                "megapixels": _megapixels(pixels) if pixels else "> 178",
                "max_megapixels": _megapixels(self.max_image_pixels),
            },
            code="file_too_many_pixels",
        )


class SafeDocumentField(WagtailDocumentField):
    def to_python(self, data):
        f = super().to_python(data)
        if f is None:
            return None
        if f.size == 0:
            raise ValidationError(DOCUMENT_MESSAGES["empty"], code="empty")
        max_size = self.max_upload_size
        if max_size is not None and f.size > max_size:
            raise ValidationError(
                DOCUMENT_MESSAGES["file_too_large"]
                % {
                    "file_size": filesizeformat(f.size),
                    "max_filesize": filesizeformat(max_size),
                },
                code="file_too_large",
            )
        extension = os.path.splitext(f.name)[1].lower()[1:]
        signatures = _DOCUMENT_SIGNATURES.get(extension)
        file = _file_of(data)
        content = file.read()
        file.seek(0)
        if signatures is not None and not content.startswith(signatures):
            raise ValidationError(
                DOCUMENT_MESSAGES["content_mismatch"] % {"extension": extension},
                code="content_mismatch",
            )
        if extension == "pdf":
            hazard = pdf_hazard(content)
            if hazard is not None:
                raise ValidationError(DOCUMENT_MESSAGES[hazard], code=hazard)
        return f


def _replace_file_field(form, field_class) -> None:
    old = form.fields.get("file")
    if old is None:
        return
    form.fields["file"] = field_class(
        label=old.label,
        required=old.required,
        widget=old.widget,
        help_text=old.help_text,
    )


class SafeImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _replace_file_field(self, SafeImageField)


class SafeDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _replace_file_field(self, SafeDocumentField)
