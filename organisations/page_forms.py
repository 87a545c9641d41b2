"""Page edit forms that refuse another house's images, documents and pages.

The choosers show a member only their own collections and their own (or
published, unowned) pages, but the edit, publish and preview views take
whatever ids the form body holds: ``hero_image=<B's image>`` or a story block
naming B's unused document would be saved and previewed. Every page model
sets ``base_form_class = ScopedPageForm``, which checks every reference to an
image, a document or a page against ``organisations.access.admin_scope``:

- foreign keys of the page (``logo``, ``hero_image``...),
- foreign keys of its inline rows (gallery photos, certificate documents...),
- every reference inside a StreamField: chooser blocks at any depth of
  StreamBlock, StructBlock and ListBlock, and links inside rich text.

A reference the page already holds stays accepted (staff may have chosen a
province image for a brand), so a member can still save their page.
A refused reference is a form error on its field or block; nothing is saved.
Province staff and superusers are unrestricted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import (
    BaseStreamBlock,
    Block,
    ChooserBlock,
    ListBlock,
    ListBlockValidationError,
    RichTextBlock,
    StreamBlockValidationError,
    StructBlock,
    StructBlockValidationError,
)
from wagtail.blocks.base import BlockField, BlockWidget
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

from core.digits import ascii_int, is_ascii_digits

from .access import AdminScope, admin_scope

IMAGE, DOCUMENT, PAGE = "image", "document", "page"

REFUSED = {
    IMAGE: _("Choose an image from your organisation's collection."),
    DOCUMENT: _("Choose a document from your organisation's collection."),
    PAGE: _("Choose one of your brand's pages or a published page of the site."),
}
REFUSED_LINK = _("This text links to a page, image or document you may not use.")
MALFORMED = _(
    "This content arrived damaged and was not saved. Reload the page and try again."
)


def _kind(model: type) -> str | None:
    """Which scoped kind of object ``model`` is; None for anything else."""
    if issubclass(model, Page):
        return PAGE
    if issubclass(model, get_image_model()):
        return IMAGE
    if issubclass(model, get_document_model()):
        return DOCUMENT
    return None


def _scoped(scope: AdminScope, kind: str, objects: QuerySet) -> QuerySet:
    if kind == PAGE:
        return scope.choosable_pages(objects)
    return scope.owned_collection_members(objects)


Reference = tuple[str, str]  # (kind, str(pk))


def _references(block: Block, value) -> list[Reference]:
    """The scoped objects one leaf block's value refers to."""
    found = []
    for model, pk, _path, _content_path in block.extract_references(value):
        kind = _kind(model)
        if kind is not None:
            found.append((kind, str(pk)))
    return found


def _walk(
    block: Block, value, leaf: Callable[[Block, object], ValidationError | None]
) -> ValidationError | None:
    """Apply ``leaf`` to every leaf block; nest its errors the way Wagtail shows them."""
    if value is None:
        return None
    if isinstance(block, BaseStreamBlock):
        errors = {
            index: error
            for index, child in enumerate(value)
            if (error := _walk(child.block, child.value, leaf)) is not None
        }
        return StreamBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, StructBlock):
        errors = {
            name: error
            for name, child_block in block.child_blocks.items()
            if (error := _walk(child_block, value.get(name), leaf)) is not None
        }
        return StructBlockValidationError(block_errors=errors) if errors else None
    if isinstance(block, ListBlock):
        errors = {
            index: error
            for index, child in enumerate(value.bound_blocks)
            if (error := _walk(block.child_block, child.value, leaf)) is not None
        }
        return ListBlockValidationError(block_errors=errors) if errors else None
    return leaf(block, value)


def _stream_references(block: Block, value) -> set[Reference]:
    found: set[Reference] = set()

    def collect(leaf_block, leaf_value):
        found.update(_references(leaf_block, leaf_value))

    _walk(block, value, collect)
    return found


@dataclass
class _Allowed:
    """Which references one form may hold: in scope, or already on the page."""

    scope: AdminScope
    kept: set[Reference] = field(default_factory=set)

    def refused(self, references: Iterable[Reference]) -> set[Reference]:
        wanted = set(references) - self.kept
        models = {IMAGE: get_image_model(), DOCUMENT: get_document_model(), PAGE: Page}
        refused: set[Reference] = set()
        for kind, model in models.items():
            refused |= self._refused_of(kind, model, wanted)  # one query per kind
        return refused

    def _refused_of(self, kind: str, model: type[Model], wanted) -> set[Reference]:
        pks = {pk for ref_kind, pk in wanted if ref_kind == kind}
        if not pks:
            return set()
        numeric = [int(pk) for pk in pks if pk.isdigit()]
        allowed = _scoped(self.scope, kind, model.objects.filter(pk__in=numeric))
        allowed_pks = {str(pk) for pk in allowed.values_list("pk", flat=True)}
        return {(kind, pk) for pk in pks - allowed_pks}


def stream_foreign_error(
    *, block: Block, value, scope: AdminScope, kept: Iterable[Reference] = ()
) -> ValidationError | None:
    """The error for every block of ``value`` referring outside ``scope``.

    ``kept`` are references the page already holds, accepted as they are.
    The result nests like Wagtail's own block errors, so the editor shows it
    on the offending block. A refusal also takes the references out of
    ``value`` (in place): the form shown again must not show the refused
    image's title and thumbnail, or the slug of a page linked to.
    """
    if scope.unrestricted:
        return None
    refused = _Allowed(scope, set(kept)).refused(_stream_references(block, value))
    if not refused:
        return None

    def check(leaf_block, leaf_value):
        bad = [ref for ref in _references(leaf_block, leaf_value) if ref in refused]
        if not bad:
            return None
        if isinstance(leaf_block, ChooserBlock):
            message = REFUSED[bad[0][0]]
        else:
            message = REFUSED_LINK
        return ValidationError(message, code="foreign")

    error = _walk(block, value, check)
    _strip(block, value, refused)
    return error


_LINK_KINDS = {"page": PAGE, "document": DOCUMENT}
_EMBED_KINDS = {"image": IMAGE}


def _strip_rich_text(source: str, refused: set[Reference]) -> str:
    def link(match):
        attrs = extract_attrs(match.group(1))
        ref = (_LINK_KINDS.get(attrs.get("linktype", ""), ""), attrs.get("id", ""))
        return "<a>" if ref in refused else match.group(0)

    def embed(match):
        attrs = extract_attrs(match.group(1))
        ref = (_EMBED_KINDS.get(attrs.get("embedtype", ""), ""), attrs.get("id", ""))
        return "" if ref in refused else match.group(0)

    return FIND_EMBED_TAG.sub(embed, FIND_A_TAG.sub(link, source))


def _strip(block: Block, value, refused: set[Reference]):
    """``value`` without the refused references (containers changed in place)."""
    if value is None:
        return None
    if isinstance(block, BaseStreamBlock):
        for child in value:
            child.value = _strip(child.block, child.value, refused)
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            value[name] = _strip(child_block, value.get(name), refused)
    elif isinstance(block, ListBlock):
        for child in value.bound_blocks:
            child.value = _strip(block.child_block, child.value, refused)
    elif set(_references(block, value)) & refused:
        if isinstance(block, RichTextBlock):
            return RichText(_strip_rich_text(value.source, refused))
        return None
    return value


def _choice_kind(form_field: forms.Field) -> str | None:
    if not isinstance(form_field, forms.ModelChoiceField):
        return None
    return _kind(form_field.queryset.model)


def _kept_value(form: forms.ModelForm, name: str) -> list:
    """The pk(s) the field holds on the object being edited."""
    try:
        model_field = form.instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field: nothing kept
        return []
    value = model_field.value_from_object(form.instance)
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [getattr(item, "pk", item) for item in value]
    return [value]


def _scope_choice_fields(form: forms.ModelForm, scope: AdminScope) -> None:
    """Narrow the form's image/document/page fields, and its inline rows' too."""
    for name, form_field in form.fields.items():
        kind = _choice_kind(form_field)
        if kind is None:
            continue
        queryset = form_field.queryset
        kept = _kept_value(form, name)
        form_field.queryset = _scoped(scope, kind, queryset) | queryset.filter(
            pk__in=kept
        )
        # Never says whether the id exists elsewhere.
        form_field.error_messages["invalid_choice"] = REFUSED[kind]
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            _scope_choice_fields(child, scope)


def _forget_refused_choices(form: forms.BaseForm) -> None:
    """Show the kept value, not the refused one, when the form comes back.

    Wagtail's chooser widgets render the posted id's title and thumbnail
    whatever the field's queryset: the refused id must not be rendered, and
    a value that is no id must not reach the database.
    """
    # Any error: an unknown id, or a value that is no id at all ("abc", a NUL),
    # which the widget would hand to the database while rendering (a 500).
    refused = [
        name
        for name in form.errors
        if name in form.fields and _choice_kind(form.fields[name]) is not None
    ]
    if refused:
        form.data = form.data.copy()
        for name in refused:
            kept = _kept_value(form, name)
            form.data[form.add_prefix(name)] = str(kept[0]) if kept else ""
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            _forget_refused_choices(child)


# Counts and positions of a stream's rows, and counts of inline rows: a
# browser sends small numbers only.
_STREAM_NUMBER_SUFFIXES = ("-count", "-order")
_COUNT_DIGITS = 4


def _is_count(value: str) -> bool:
    return ascii_int(value, max_digits=_COUNT_DIGITS) is not None


def _stream_counts_are_plain(data, html_name: str) -> bool:
    """False when a count or order under ``html_name`` is not a small number.

    Wagtail reads ``int(count)`` and loops that many times: "-1" would empty
    the stream silently, a huge count would loop until a missing key.
    """
    prefix = f"{html_name}-"
    return all(
        _is_count(data.get(key, ""))
        for key in data
        if key.startswith(prefix) and key.endswith(_STREAM_NUMBER_SUFFIXES)
    )


def _mend_inline_rows(relations: Iterable[str], data) -> tuple[object, bool]:
    """``data`` with malformed inline-row ids blanked; True when any was.

    modelcluster's formsets read a row's id with the model field's
    ``to_python`` and do not catch its error ("abc" is a 500 before any form
    runs); a negative count or more initial rows than rows are no browser's
    either. The form is then refused as damaged (see clean).
    """
    if data is None:
        return data, False
    damaged = False
    mended = None
    for relation in relations:
        total = data.get(f"{relation}-TOTAL_FORMS")
        initial = data.get(f"{relation}-INITIAL_FORMS")
        if total is None or initial is None:
            continue
        if not (_is_count(total) and _is_count(initial)):
            damaged = True
            continue
        if int(initial) > int(total):
            damaged = True
        for index in range(int(total)):
            key = f"{relation}-{index}-id"
            value = data.get(key, "")
            if value and not is_ascii_digits(value):
                damaged = True
                if mended is None:
                    mended = data.copy()
                mended[key] = ""
    return (data if mended is None else mended), damaged


class ScopedPageForm(WagtailAdminPageForm):
    """Wagtail's page form, limited to the editing user's images, documents and pages."""

    def __init__(self, data=None, files=None, *args, **kwargs):
        data, self._damaged_rows = _mend_inline_rows(type(self).formsets, data)
        super().__init__(data, files, *args, **kwargs)
        self.reference_scope: AdminScope | None = (
            admin_scope(user=self.for_user) if self.for_user is not None else None
        )
        # StreamField values to show instead of the posted ones (see clean).
        self._shown_streams: dict[str, object] = {}
        # StreamFields (by field name) whose posted rows could not be read.
        self._malformed_streams: set[str] = set()
        if self.restricted:
            _scope_choice_fields(self, self.reference_scope)

    @property
    def restricted(self) -> bool:
        return (
            self.reference_scope is not None and not self.reference_scope.unrestricted
        )

    def _scope_clean(self, cleaned_data):
        if not self.restricted:
            return cleaned_data
        for name, form_field in self.fields.items():
            if not isinstance(form_field, BlockField) or name not in cleaned_data:
                continue
            value = cleaned_data[name]
            error = stream_foreign_error(
                block=form_field.block,
                value=value,
                scope=self.reference_scope,
                kept=_stream_references(
                    form_field.block, getattr(self.instance, name, None)
                ),
            )
            if error is not None:
                self.add_error(name, error)
                self._shown_streams[self.add_prefix(name)] = value
        return cleaned_data

    def _has_foreign_rows(self) -> bool:
        """True when a posted inline row names a row this page does not have.

        modelcluster would take it as a new row (the other row is not
        touched), but no browser sends it: the form is refused as damaged.
        """
        for relation, formset in self.formsets.items():
            known = {str(row.pk) for row in formset.get_queryset() if row.pk}
            for index in range(formset.initial_form_count()):
                posted = self.data.get(f"{relation}-{index}-id", "")
                if posted and posted not in known:
                    return True
        return False

    def is_valid(self):
        valid = super().is_valid()
        if not valid:
            # Also for staff: a chooser posted "abc" would make the widget
            # look the id up again while the form is shown (a 500).
            _forget_refused_choices(self)
        return valid

    def clean(self):
        cleaned_data = self._scope_clean(super().clean())
        if self._damaged_rows or self._has_foreign_rows():
            self.add_error(None, MALFORMED)
        for name in self._malformed_streams:
            self.add_error(name, MALFORMED)
        return cleaned_data

    def _widget_data_value(self, widget, html_name):
        # Django reads every bound value through here (BoundField.data): a
        # refused stream is shown with the refused references taken out.
        if html_name in self._shown_streams:
            return self._shown_streams[html_name]
        if not isinstance(widget, BlockWidget):
            return super()._widget_data_value(widget, html_name)
        try:
            if not _stream_counts_are_plain(self.data, html_name):
                raise ValueError(html_name)
            return super()._widget_data_value(widget, html_name)
        except (KeyError, ValueError, TypeError, IndexError, OverflowError):
            # Wagtail reads a stream's counts and orders with int() and its
            # rows by key: a tampered body would be a 500. The form shows the
            # saved content again with an error instead, and saves nothing.
            name = html_name.removeprefix(self.add_prefix(""))
            self._malformed_streams.add(name)
            return getattr(self.instance, name, None)


__all__ = ["REFUSED", "REFUSED_LINK", "ScopedPageForm", "stream_foreign_error"]
