"""Is an uploaded PDF passive? Parsed with pypdf, never searched as raw bytes.

Searching the bytes for ``/JavaScript`` misses name escapes (``/J#61vaScript``
is the same name), objects packed in compressed object streams and scripts in
embedded files. pypdf decodes all of these, so the check walks every object
reachable from the trailer (catalogue, page tree, annotations, forms, name
trees) and refuses:

- actions that run when the file is opened or something is touched: the
  catalogue's ``/OpenAction`` when it is an action (a plain destination, which
  Word exports use to open on page 1, is fine) and any ``/AA`` dictionary;
- JavaScript anywhere (the document's ``/JavaScript`` name tree, ``/JS``, or an
  action of type JavaScript), Launch and the other actions that start programs,
  submit data or play media;
- embedded files (``/EmbeddedFiles``, file specifications carrying ``/EF``,
  file attachment annotations);
- XFA forms (``/XFA`` in the AcroForm), which readers run as scripts;
- files pypdf cannot read (any error while parsing), and encrypted ones: their
  content cannot be checked.

The result is a reason code; ``organisations.uploads`` turns it into the
editor's message.
"""

from __future__ import annotations

import io
from typing import IO, Literal

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

Reason = Literal["active_content", "embedded_file", "xfa_form", "unreadable_pdf"]

# Action types that run code, open programs or files, send data or play media.
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/GoToE",
    # Opens another file, which may be a network share (leaks Windows logins).
    "/GoToR",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/RichMediaExecute",
}
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA"}
_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EF", "/EmbeddedFile"}
_EMBEDDED_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"}
# A hostile file can make the walk long (every object referring to others); a
# real certificate has a few hundred objects.
_MAX_OBJECTS = 200_000


def pdf_hazard(file: IO[bytes] | bytes) -> Reason | None:
    """The first reason this PDF is unsafe to serve, or None when it is passive."""
    data = file if isinstance(file, bytes) else file.read()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return "unreadable_pdf"
        # The catalogue must exist and the page tree must be readable.
        root = reader.trailer["/Root"].get_object()
        len(reader.pages)
        open_action = root.get("/OpenAction")
        if isinstance(open_action, IndirectObject):
            open_action = open_action.get_object()
        if isinstance(open_action, DictionaryObject):
            return "active_content"
        return _walk(reader.trailer)
    except Exception:  # noqa: BLE001 - whatever pypdf cannot parse cannot be checked
        return "unreadable_pdf"


def _walk(start: PdfObject) -> Reason | None:
    """Every object reachable from ``start``, looked at once each."""
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [start]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
            if node is None:
                continue
        visited += 1
        if visited > _MAX_OBJECTS:
            return "unreadable_pdf"
        if isinstance(node, DictionaryObject):
            reason = _dictionary_hazard(node)
            if reason is not None:
                return reason
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def _dictionary_hazard(node: DictionaryObject) -> Reason | None:
    keys = set(node.keys())
    if "/XFA" in keys:
        return "xfa_form"
    if keys & _EMBEDDED_KEYS or node.get("/Subtype") in _EMBEDDED_SUBTYPES:
        return "embedded_file"
    if node.get("/Type") == "/EmbeddedFile":
        return "embedded_file"
    if keys & _ACTIVE_KEYS or node.get("/S") in _ACTIVE_ACTIONS:
        return "active_content"
    return None
