"""Every Wagtail admin route, classified for organisation members (data).

Each route name maps to a ``Rule``: what protects it from a member of
another organisation. The kinds:

- ``open``: carries no object id; its listing is filtered by Wagtail or by
  ``wagtail_hooks``, or it concerns only the user themself.
- ``wagtail``: Wagtail's own permission check refuses another house's
  object; ``protection`` names that check (Wagtail 7.4 source). The one
  house check that still runs is no isolation code: it makes the refusal
  the plain 404 that names nothing, where Wagtail would redirect with
  "permission denied" and so confirm that the id exists
  (``test_refusal_is_a_plain_admin_404_in_vietnamese``), or answer 405 to a
  POST (``test_editor_of_a_is_refused_everything_of_b_on_every_route``).
  Wagtail looks nested objects (a revision, a workflow state) up in the
  page's own ones; the guard checks them too, for the same 404 on POST.
- ``guarded``: a hole in Wagtail 7.4 (docs/editor-isolation.md); ``checks``
  run before the view, and ``protection`` says what the hole is.
- ``delegated``: another app's viewset scopes its own queryset.
- ``staff``: province staff and superusers only. Unlisted routes are staff.
"""

from __future__ import annotations

from dataclasses import dataclass

from .admin_checks import (
    Check,
    bulk_action_in_scope,
    compare_revisions_of_owned_page,
    document_owned,
    editing_session_on_owned_page,
    image_owned,
    own_upload,
    page_choosable,
    page_owned,
    page_visible,
    query_documents_owned,
    query_images_owned,
    query_pages_choosable,
    revision_of_page,
    task_exists,
    task_state_of_page,
    workflow_state_of_page,
)


@dataclass(frozen=True)
class Rule:
    kind: str
    protection: str = ""
    checks: tuple[Check, ...] = ()


def wagtail(protection: str, *house_checks: Check) -> Rule:
    return Rule("wagtail", protection, house_checks)


def guarded(hole: str, *checks: Check) -> Rule:
    return Rule("guarded", hole, checks)


_page = page_owned
OPEN = Rule("open")
STAFF = Rule("staff")
_PAGE = "PagePermissionTester"
_IMAGE = "collection-scoped image permission policy"
_DOCUMENT = "collection-scoped document permission policy"

# Routes without object ids whose listings Wagtail (or the hooks in
# wagtail_hooks.py) already filter to the user's own pages, images and
# documents, or that only concern the user themself.
_OPEN_ROUTES = (
    "wagtailadmin_home",
    "wagtailadmin_explore_root",
    "wagtailadmin_pages:search",
    "wagtailadmin_pages:search_results",
    "wagtailadmin_pages:choose_parent",
    "wagtailadmin_pages:type_use",
    "wagtailadmin_pages:type_use_results",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtailadmin_choose_page_anchor_link",
    # Tags are one shared vocabulary (a tag name, never an object).
    "wagtailadmin_tag_autocomplete",
    "wagtailadmin_tag_model_autocomplete",
    "wagtailadmin_account",
    "wagtailadmin_logout",
    "wagtailadmin_dismissibles",
    "wagtailadmin_editing_sessions:release",  # deletes only the user's own
    "wagtailadmin_block_preview",
    "wagtailadmin_sprite",
    "wagtailadmin_login",
    "admin_login_redirect",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailembeds:chooser",
    "wagtailembeds:chooser_upload",
    "wagtailimages:index",
    "wagtailimages:index_results",
    "wagtailimages:add",
    "wagtailimages:add_multiple",
    "wagtailimages_chooser:choose",
    "wagtailimages_chooser:choose_results",
    "wagtailimages_chooser:create",
    "wagtaildocs:index",
    "wagtaildocs:index_results",
    "wagtaildocs:add",
    "wagtaildocs:add_multiple",
    "wagtaildocs_chooser:choose",
    "wagtaildocs_chooser:choose_results",
    "wagtaildocs_chooser:create",
    "wagtailadmin_api:pages:listing",
    "wagtailadmin_api:pages:find",
    "wagtailadmin_api:images:listing",
    "wagtailadmin_api:images:find",
    "wagtailadmin_api:documents:listing",
    "wagtailadmin_api:documents:find",
)

# Whole areas for province staff and superusers only: global configuration
# (sites, locales, collections, workflows, settings, snippets, users and
# groups), reports that list every organisation's pages, and organisations.
STAFF_ROUTE_PREFIXES = (
    "wagtailadmin_collections:",
    "wagtailadmin_workflows:",
    "wagtailadmin_reports:",
    "wagtailsettings:",
    "wagtailsnippets",
    "wagtailsites:",
    "wagtaillocales:",
    "wagtailusers_users:",
    "wagtailusers_groups:",
    "organisations:",
    "communes:",
    "simple_translation:submit_snippet_translation",
    "wagtailadmin_error_test",
    # Assessment question banks are province configuration.
    "assessment_frameworks:",
    # Applications to join: the province's queue, with applicants' documents.
    "joining_applications:",
)

_PROTECTED: dict[str, Rule] = {
    # Pages: the view asks the page's PagePermissionTester before it shows
    # or changes anything (wagtail/admin/views/pages/).
    "wagtailadmin_pages:add": wagtail(
        f"{_PAGE}.can_add_subpage on the parent",
        _page("parent_page_id"),
    ),
    "wagtailadmin_pages:preview_on_add": wagtail(
        f"{_PAGE}.can_add_subpage on the parent",
        _page("parent_page_id"),
    ),
    "wagtailadmin_pages:add_subpage": wagtail(
        f"{_PAGE}.can_add_subpage",
        _page("parent_page_id"),
    ),
    "wagtailadmin_pages:usage": wagtail(f"{_PAGE}.can_edit", _page("page_id")),
    "wagtailadmin_pages:edit": wagtail(f"{_PAGE}.can_edit", _page("page_id")),
    "wagtailadmin_pages:preview_on_edit": wagtail(
        f"{_PAGE}.can_edit", _page("page_id")
    ),
    "wagtailadmin_pages:view_draft": wagtail(
        f"{_PAGE}.can_edit or can_publish",
        _page("page_id"),
    ),
    "wagtailadmin_pages:delete": wagtail(f"{_PAGE}.can_delete", _page("page_id")),
    "wagtailadmin_pages:unpublish": wagtail(f"{_PAGE}.can_unpublish", _page("page_id")),
    "wagtailadmin_pages:convert_alias": wagtail(f"{_PAGE}.can_edit", _page("page_id")),
    "wagtailadmin_pages:copy": wagtail(f"{_PAGE}.can_copy", _page("page_id")),
    "wagtailadmin_pages:set_privacy": wagtail(
        f"{_PAGE}.can_set_view_restrictions",
        _page("page_id"),
    ),
    "wagtailadmin_pages:lock": wagtail(f"{_PAGE}.can_lock", _page("page_id")),
    "wagtailadmin_pages:unlock": wagtail(f"{_PAGE}.can_unlock", _page("page_id")),
    "wagtailadmin_pages:move": wagtail(f"{_PAGE}.can_move", _page("page_to_move_id")),
    "wagtailadmin_pages:set_page_position": wagtail(
        f"{_PAGE}.can_reorder_children",
        _page("page_to_move_id"),
    ),
    "wagtailadmin_pages:revisions_index": wagtail(
        "redirects to the history view",
        _page("page_id"),
    ),
    "wagtailadmin_pages:revisions_view": wagtail(
        (f"{_PAGE}.can_edit or can_publish; revision from page.revisions"),
        _page("page_id"),
        revision_of_page,
    ),
    "wagtailadmin_pages:revisions_revert": wagtail(
        (f"{_PAGE}.can_edit (EditView); revision from page.revisions"),
        _page("page_id"),
        revision_of_page,
    ),
    "wagtailadmin_pages:revisions_unschedule": wagtail(
        f"{_PAGE}.can_unschedule",
        _page("page_id"),
        revision_of_page,
    ),
    "wagtailadmin_pages:revisions_compare": wagtail(
        (f"{_PAGE}.can_edit or can_publish; revisions from page.revisions"),
        compare_revisions_of_owned_page,
    ),
    "wagtailadmin_pages:workflow_history": wagtail(
        f"{_PAGE}.can_edit", _page("page_id")
    ),
    "wagtailadmin_pages:workflow_history_detail": wagtail(
        (f"{_PAGE}.can_edit; WorkflowState.objects.for_instance(page)"),
        _page("page_id"),
        workflow_state_of_page,
    ),
    "wagtailadmin_pages:history": wagtail(
        f"{_PAGE}.can_edit or can_publish",
        _page("page_id"),
    ),
    "wagtailadmin_pages:history_results": wagtail(
        f"{_PAGE}.can_edit or can_publish",
        _page("page_id"),
    ),
    # Images and documents: user_has_permission_for_instance on the object's
    # collection (wagtail/images/views/, wagtail/documents/views/).
    "wagtailimages:edit": wagtail(
        f"image edit: {_IMAGE} (change)", image_owned("image_id")
    ),
    "wagtailimages:delete": wagtail(
        f"image delete: {_IMAGE} (delete)",
        image_owned("image_id"),
    ),
    "wagtailimages:url_generator": wagtail(
        f"{_IMAGE} (change)", image_owned("image_id")
    ),
    "wagtailimages:url_generator_output": wagtail(
        f"{_IMAGE} (change)",
        image_owned("image_id"),
    ),
    "wagtailimages:preview": wagtail(f"{_IMAGE} (change)", image_owned("image_id")),
    "wagtailimages:image_usage": wagtail(f"{_IMAGE} (change)", image_owned("image_id")),
    "wagtailimages:edit_multiple": wagtail(
        f"{_IMAGE} (change)", image_owned("image_id")
    ),
    "wagtailimages:delete_multiple": wagtail(
        f"{_IMAGE} (delete)", image_owned("image_id")
    ),
    "wagtailimages:create_multiple_from_uploaded_image": wagtail(
        "upload.uploaded_by_user",
        own_upload,
    ),
    "wagtailimages:delete_upload_multiple": wagtail(
        "upload.uploaded_by_user", own_upload
    ),
    "wagtailimages_chooser:chosen": wagtail(f"{_IMAGE} (choose)", image_owned("pk")),
    "wagtailimages_chooser:chosen_multiple": wagtail(
        f"{_IMAGE} (choose)", query_images_owned
    ),
    "wagtaildocs:edit": wagtail(
        f"document edit: {_DOCUMENT} (change)",
        document_owned("document_id"),
    ),
    "wagtaildocs:delete": wagtail(
        f"document delete: {_DOCUMENT} (delete)",
        document_owned("document_id"),
    ),
    "wagtaildocs:document_usage": wagtail(
        f"{_DOCUMENT} (change)",
        document_owned("document_id"),
    ),
    "wagtaildocs:edit_multiple": wagtail(
        f"{_DOCUMENT} (change)", document_owned("doc_id")
    ),
    "wagtaildocs:delete_multiple": wagtail(
        f"{_DOCUMENT} (delete)", document_owned("doc_id")
    ),
    "wagtaildocs:create_multiple_from_uploaded_document": wagtail(
        "upload.uploaded_by_user",
        own_upload,
    ),
    "wagtaildocs:delete_upload_multiple": wagtail(
        "upload.uploaded_by_user", own_upload
    ),
    "wagtaildocs_chooser:chosen": wagtail(
        f"{_DOCUMENT} (choose)", document_owned("pk")
    ),
    "wagtaildocs_chooser:chosen_multiple": wagtail(
        f"{_DOCUMENT} (choose)",
        query_documents_owned,
    ),
    # Not Wagtail's own check: the admin API endpoints are replaced by the
    # collection-scoped viewsets of wagtail_hooks.scope_admin_api.
    "wagtailadmin_api:images:detail": wagtail(
        "ScopedImagesAdminAPIViewSet.get_queryset",
        image_owned("pk"),
    ),
    "wagtailadmin_api:documents:detail": wagtail(
        "ScopedDocumentsAdminAPIViewSet.get_queryset",
        document_owned("pk"),
    ),
}

_WORKFLOW_HOLE = (
    "workflow views take a task state of another page and put the page's "
    "title in an error message before any permission check"
)
_HOLES: dict[str, Rule] = {
    "wagtailadmin_pages:workflow_action": guarded(
        _WORKFLOW_HOLE, page_owned("page_id"), task_state_of_page
    ),
    "wagtailadmin_pages:collect_workflow_action_data": guarded(
        _WORKFLOW_HOLE, page_owned("page_id"), task_state_of_page
    ),
    "wagtailadmin_pages:confirm_workflow_cancellation": guarded(
        "no permission check at all", page_owned("page_id")
    ),
    "wagtailadmin_pages:workflow_preview": guarded(
        _WORKFLOW_HOLE, page_owned("page_id"), task_exists
    ),
    "wagtailadmin_pages:move_confirm": guarded(
        "a slug clash message names the page before the move's permission check",
        page_owned("page_to_move_id"),
        page_owned("destination_id"),
    ),
    "simple_translation:submit_page_translation": guarded(
        "only the model-wide submit_translation permission",
        page_owned("page_id"),
    ),
    "wagtailadmin_api:pages:action": guarded(
        "actions of the admin API, checked per action only", page_owned("pk")
    ),
    "wagtailadmin_editing_sessions:ping": guarded(
        "shows who else edits any object", editing_session_on_owned_page
    ),
    "wagtail_bulk_action": guarded(
        "bulk actions list any ids given", bulk_action_in_scope
    ),
    "wagtailadmin_explore": guarded(
        "the explorer shows any parent page", page_visible("parent_page_id")
    ),
    "wagtailadmin_explore_results": guarded(
        "the explorer shows any parent page", page_visible("parent_page_id")
    ),
    "wagtailadmin_api:pages:detail": guarded(
        "the admin API shows any page", page_visible("pk")
    ),
    "wagtailadmin_choose_page_child": guarded(
        "the page chooser shows any parent page", page_choosable("parent_page_id")
    ),
    "wagtailadmin_choose_page_chosen_multiple": guarded(
        "chosen-multiple returns any page's title", query_pages_choosable
    ),
    "wagtailimages_chooser:select_format": guarded(
        "select_format shows any image (get_object_or_404, no permission check)",
        image_owned("image_id"),
    ),
}

# Other apps' viewsets that scope their own querysets through
# ``organisations.selectors.organisation_ids_user_may_edit``: members may use
# exactly these views ("delegated"); the viewsets' other views (history,
# usage) stay with staff. tests/guard aims them at another brand's objects.
DELEGATED_ROUTES = (
    "product_variants:index",
    "product_variants:index_results",
    "product_variants:add",
    "product_variants:edit",
    "product_variants:delete",
    # The shop's viewsets look every row up through ShopPermissionPolicy
    # (shop.admin.policy, on shop.permissions): another organisation's UUID
    # is a 404 (tests/shop/test_admin.py aims them at another one's orders).
    "shop_orders:index",
    "shop_orders:inspect",
    "shop_stock:index",
    "shop_stock:update",
    "shop_statement:index",
    # Shipping terms: listed per team; saving needs an owner (or staff), and
    # another organisation's public id is a 404 (tests/guard/test_shipping_admin.py).
    "shop_shipping:index",
    "shop_shipping:update",
    # The members page answers 404 unless the user owns the verified
    # organisation asked for (organisations.members; tests/organisations).
    "organisation_members:index",
)
STAFF_ROUTES = (
    "product_variants:history",
    "product_variants:history_results",
    "product_variants:usage",
)

RULES: dict[str, Rule] = (
    dict.fromkeys(_OPEN_ROUTES, OPEN)
    | _PROTECTED
    | _HOLES
    | dict.fromkeys(DELEGATED_ROUTES, Rule("delegated"))
    | dict.fromkeys(STAFF_ROUTES, STAFF)
)
