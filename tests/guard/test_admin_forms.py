"""Every admin route that accepts a POST is swept with bad input, or says why not.

The routes are read from the URL resolver (as ``test_admin_routes`` does), so
a form added to the admin fails ``test_every_admin_form_is_swept`` until it is
in ``tests/proof/admin_forms`` (``ADMIN_FORMS``, or ``PAGE_FORMS`` for the
page editor) or excluded below with a reason.
"""

from __future__ import annotations

import inspect

import pytest
from django.test import Client

from tests.guard.test_admin_routes import admin_routes
from tests.proof.admin_forms import ADMIN_FORMS, PAGE_FORMS

# Route name, or prefix ending in ":" -> why the admin sweep does not post to it.
EXCLUDED: dict[str, str] = {
    # Wagtail's configuration screens: superusers only, Wagtail's own forms.
    "wagtailusers_users:": "user admin: superusers only (Wagtail's forms)",
    "wagtailusers_groups:": "group admin: superusers only (Wagtail's forms)",
    "wagtailsites:": "site admin: superusers only (Wagtail's forms)",
    "wagtaillocales:": "locale admin: superusers only (Wagtail's forms)",
    "wagtailadmin_collections:": "collections: one per organisation, provisioned",
    "wagtailadmin_workflows:": "moderation workflow: provisioned, superusers only",
    "wagtailsettings:": "site settings: superusers only",
    "simple_translation:": "translation copies: no field beyond the locale list",
    "communes:": "reference data loaded from organisations/data, staff only",
    # Copies: Wagtail's copy view posts nothing but the object id.
    "organisations:copy": "no fields: a copy of an existing row",
    "assessment_frameworks:copy": "no fields: a copy of an existing row",
    "organisations:delete": "no fields (the confirmation); delete rules in tests/organisations",
    "assessment_frameworks:delete": "no fields; drafts only (tests/assessment)",
    # The account and session plumbing of the admin.
    "wagtailadmin_login": "allauth's login is swept in test_bad_input_sweep",
    "wagtailadmin_logout": "no fields",
    "wagtailadmin_password_reset": "redirects to allauth's reset (swept there)",
    "wagtailadmin_password_reset_confirm": "redirects to allauth's reset",
    "wagtailadmin_account": "the user's own preferences (language, theme)",
    "wagtailadmin_editing_sessions:": "editing-session pings: ids in the path only",
    "wagtailadmin_api:": "read-only JSON API (GET); isolation in test_admin_routes",
    # Choosers: answer with the typed value, write nothing.
    "wagtailadmin_choose_page_anchor_link": "chooser: echoes the value, writes nothing",
    "wagtailadmin_choose_page_email_link": "chooser: echoes the value, writes nothing",
    "wagtailadmin_choose_page_external_link": "chooser: echoes the value, writes nothing",
    "wagtailadmin_choose_page_phone_link": "chooser: echoes the value, writes nothing",
    "wagtailembeds:chooser_upload": "embeds: a URL fetched by the oEmbed finder",
    "wagtailimages_chooser:select_format": "chooser: echoes the format, writes nothing",
    "wagtailimages_chooser:create": "upload: file validation in tests/guard/test_uploads.py",
    "wagtaildocs_chooser:create": "upload: PDF checks in tests/guard/test_pdf_uploads.py",
    "wagtailimages:add": "upload: file validation in tests/guard/test_uploads.py",
    "wagtaildocs:add": "upload: PDF checks in tests/guard/test_pdf_uploads.py",
    "wagtailimages:add_multiple": "upload: tests/guard/test_uploads.py",
    "wagtaildocs:add_multiple": "upload: tests/guard/test_pdf_uploads.py",
    "wagtailimages:create_multiple_from_uploaded_image": "upload: tests/guard",
    "wagtaildocs:create_multiple_from_uploaded_document": "upload: tests/guard",
    "wagtailimages:edit_multiple": "the same form as image edit, per upload",
    "wagtaildocs:edit_multiple": "the same form as document edit, per upload",
    "wagtailimages:delete_multiple": "no fields: ids in the path",
    "wagtaildocs:delete_multiple": "no fields: ids in the path",
    "wagtailimages:delete_upload_multiple": "no fields: ids in the path",
    "wagtaildocs:delete_upload_multiple": "no fields: ids in the path",
    # Page actions whose only input is the page (and a revision) in the path.
    "wagtailadmin_pages:lock": "no fields: the page id in the path",
    "wagtailadmin_pages:unlock": "no fields: the page id in the path",
    "wagtailadmin_pages:unpublish": "staff only (publishing); one checkbox",
    "wagtailadmin_pages:move": "staff only; the destination is an id in the path",
    "wagtailadmin_pages:move_confirm": "staff only; ids in the path",
    "wagtailadmin_pages:convert_alias": "no aliases are made; ids in the path",
    "wagtailadmin_pages:set_page_position": "staff only; a position number",
    "wagtailadmin_pages:revisions_revert": "ids in the path (test_admin_routes)",
    "wagtailadmin_pages:revisions_unschedule": "ids in the path (test_admin_routes)",
    "wagtailadmin_pages:workflow_action": "moderation: a comment (test_editing)",
    "wagtailadmin_pages:collect_workflow_action_data": "moderation: a comment",
}


def _allowed_methods(callback) -> list[str] | None:
    """The methods of ``require_http_methods``, read from its closure."""
    func = callback
    while func is not None:
        for cell in func.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(v, str) and v.isupper() for v in value)
            ):
                return list(value)
        func = getattr(func, "__wrapped__", None)
    return None


def accepts_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    methods = _allowed_methods(callback)
    if methods is not None:
        return "POST" in methods
    try:
        source = inspect.getsource(inspect.unwrap(callback))
    except (OSError, TypeError):
        return True
    return "POST" in source or "request.method" in source


def _excluded(name: str) -> bool:
    return name in EXCLUDED or any(
        name.startswith(prefix) for prefix in EXCLUDED if prefix.endswith(":")
    )


def post_routes() -> list[str]:
    return sorted(
        {
            name
            for name, _route, pattern in admin_routes()
            if accepts_post(pattern.callback)
        }
    )


def test_post_routes_are_found():
    routes = post_routes()
    assert "wagtailadmin_pages:edit" in routes
    assert "shop_stock:update" in routes
    assert "organisation_members:index" in routes
    assert "joining_applications:detail" in routes


def test_every_admin_form_is_swept():
    swept = {route for form in ADMIN_FORMS + PAGE_FORMS for route in form.routes}
    missing = [
        name for name in post_routes() if name not in swept and not _excluded(name)
    ]
    assert missing == [], (
        "Add these admin forms to tests/proof/admin_forms.py, or exclude them "
        f"with a reason in tests/guard/test_admin_forms.py: {missing}"
    )


def test_the_sweep_table_names_real_routes():
    names = {name for name, _route, _pattern in admin_routes()}
    stale = sorted(
        {route for form in ADMIN_FORMS + PAGE_FORMS for route in form.routes} - names
    ) + sorted(
        name for name in EXCLUDED if not name.endswith(":") and name not in names
    )
    assert stale == []


@pytest.mark.django_db
def test_an_unsafe_next_is_ignored_not_a_500(houses):
    """``next=abc`` made Wagtail's redirect look up a URL name: a 500."""
    client = Client(raise_request_exception=False)
    client.force_login(houses.a.editor)
    document = houses.a.document
    url = f"/admin/documents/edit/{document.pk}/"
    response = client.post(url, {"title": "Tài liệu", "next": "abc"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/documents/")
    response = client.post(
        f"/admin/pages/{houses.a.draft.pk}/delete/", {"next": "' OR 1=1"}
    )
    assert response.status_code == 302
