"""PDFs built in code: a clean one made by pypdf, hostile ones written object by
object so each hides its payload the way real attacks do (escaped names,
compressed object streams, attachments, Launch actions, XFA forms)."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, NameObject


def clean_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    # Word and LibreOffice exports open on page 1 through a destination: passive.
    writer.root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def web_link_pdf() -> bytes:
    """A link to a website: passive (the reader asks before opening it)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_annotation(0, Link(rect=(0, 0, 100, 100), url="https://angiang.gov.vn"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _classic(objects: dict[int, bytes]) -> bytes:
    """A PDF with a classic xref table; object 1 is the catalogue."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        xref,
    )
    return bytes(out)


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def _page(extra: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + extra + b">>"


def minimal_pdf(catalogue_extra: bytes = b"") -> bytes:
    """One blank page, written by hand; ``catalogue_extra`` goes in the catalogue."""
    return _classic(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R " + catalogue_extra + b">>",
            2: PAGES,
            3: _page(),
        }
    )


def escaped_javascript_names_pdf() -> bytes:
    """The document JavaScript name tree, every name written with #xx escapes."""
    return _classic(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 4 0 R >> >>",
            2: PAGES,
            3: _page(),
            4: b"<< /Names [(a) 5 0 R] >>",
            5: b"<< /#53 /J#61v#61Script /J#53 (app.alert\\(1\\)) >>",
        }
    )


def object_stream_javascript_pdf() -> bytes:
    """The OpenAction's JavaScript sits in a Flate-compressed object stream."""
    hidden = b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"
    header = b"4 0 "
    packed = zlib.compress(header + hidden)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    plain = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: PAGES,
        3: _page(),
        5: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\n"
        % (len(header), len(packed))
        + b"stream\n"
        + packed
        + b"\nendstream",
    }
    offsets = {}
    for number, body in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for number in range(1, 7):
        if number == 4:  # compressed: in object stream 5, index 0
            rows.append(b"\x02" + (5).to_bytes(4, "big") + (0).to_bytes(2, "big"))
        elif number == 6:  # the xref stream itself
            rows.append(b"\x01" + xref_offset.to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    table = zlib.compress(b"".join(rows))
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R "
        b"/Filter /FlateDecode /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return bytes(out)


def embedded_file_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def file_attachment_annotation_pdf() -> bytes:
    return _classic(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: PAGES,
            3: _page(b"/Annots [4 0 R] "),
            4: b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] "
            b"/FS (payload.html) >>",
        }
    )


def launch_action_pdf() -> bytes:
    """A link on the page that starts a program when clicked (name escaped)."""
    return _classic(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: PAGES,
            3: _page(b"/Annots [4 0 R] "),
            4: b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] "
            b"/A << /S /L#61unch /F (cmd.exe) >> >>",
        }
    )


def page_open_action_pdf() -> bytes:
    """An additional action (/AA) run when the page opens."""
    return _classic(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: PAGES,
            3: _page(b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >> "),
        }
    )


def xfa_form_pdf() -> bytes:
    return _classic(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>",
            2: PAGES,
            3: _page(),
            4: b"<< /Fields [] /XFA 5 0 R >>",
            5: b"<< /Length 0 >>\nstream\n\nendstream",
        }
    )


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("", "owner-secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def unreadable_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
