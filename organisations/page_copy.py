"""Wagtail's page copy, made safe against a tampered form body.

Two holes of Wagtail's own copy view answered 500 (found by the admin form
sweep on PostgreSQL):

- ``new_title`` and ``new_slug`` have no length limit in Wagtail's
  ``CopyForm``: an overlong value passes the form and PostgreSQL refuses the
  insert (``value too long for type character varying(255)``). Every page
  model sets ``copy_form_class = ScopedCopyForm``, which gives both fields the
  length of the page's own columns, so the form says so.
- the view reads ``Page.objects.get(id=request.POST["new_parent_page"])``
  before the form is validated: a missing, non-numeric or unknown id is a
  ``KeyError``, ``ValueError`` or ``DoesNotExist``. ``refuse_unknown_parent``
  (a ``before_copy_page`` hook) sends the editor back to the copy form with
  a message instead; nothing is copied.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.pages import CopyForm
from wagtail.models import Page

from core.digits import ascii_int

UNKNOWN_PARENT = _(
    "The new parent page was not found. Choose it again with the page chooser."
)


class ScopedCopyForm(CopyForm):
    """Wagtail's copy form, with the page columns' length limits."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, column in (("new_title", "title"), ("new_slug", "slug")):
            limit = Page._meta.get_field(column).max_length
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)


def parent_id_is_known(value: str | None) -> bool:
    """Is the posted parent a page id that exists (what Wagtail's view assumes)?"""
    number = ascii_int(value)
    return number is not None and Page.objects.filter(pk=number).exists()


def refuse_unknown_parent(request: HttpRequest, page: Page) -> HttpResponse | None:
    if request.method != "POST":
        return None
    if parent_id_is_known(request.POST.get("new_parent_page")):
        return None
    messages.error(request, str(UNKNOWN_PARENT))
    return redirect("wagtailadmin_pages:copy", page.pk)
