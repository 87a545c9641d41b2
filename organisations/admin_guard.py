"""One gate in front of every Wagtail admin route for organisation members.

Wagtail checks what a user may *do*; several admin routes still show an
object to anyone with admin access (an image's insert form, a page chooser's
"chosen" response, a workflow task state passed next to a page id). Rather
than trusting each view, every admin URL name is classified below and the
object ids in the URL are checked against the user's scope
(``organisations.access``) before the view runs.

- Superusers and province staff pass straight through (Wagtail's own
  permissions still apply).
- A route that is not classified is refused to organisation members, so a
  route added by a Wagtail upgrade stays closed until someone decides about
  it (``tests/guard`` fails on it too).
- A refusal is a 404 that names nothing: the id may not even exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Page,
    Revision,
    Task,
    TaskState,
    UploadedFile,
    WorkflowState,
    get_default_page_content_type,
)

from .access import AdminScope, admin_scope

Check = Callable[[HttpRequest, AdminScope, dict, tuple], bool]


@dataclass(frozen=True)
class Rule:
    """``checks`` all pass, or the request is refused. ``open`` needs none."""

    kind: str
    checks: tuple[Check, ...] = ()


# --- object checks ------------------------------------------------------------


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _page(pk) -> Page | None:
    pk = _int(pk)
    return None if pk is None else Page.objects.filter(pk=pk).first()


def page_owned(kwarg: str) -> Check:
    def check(request, scope, kwargs, args):
        page = _page(kwargs.get(kwarg))
        return page is not None and scope.owns_page(page)

    return check


def page_visible(kwarg: str) -> Check:
    def check(request, scope, kwargs, args):
        page = _page(kwargs.get(kwarg))
        return page is not None and scope.may_see_page(page)

    return check


def page_choosable(kwarg: str) -> Check:
    def check(request, scope, kwargs, args):
        page = _page(kwargs.get(kwarg))
        return page is not None and scope.may_choose_page(page)

    return check


def _revision_of_page(page_id, revision_id) -> bool:
    revision_id, page_id = _int(revision_id), _int(page_id)
    if revision_id is None or page_id is None:
        return False
    return (
        Revision.objects.page_revisions()
        .filter(pk=revision_id, object_id=str(page_id))
        .exists()
    )


def revision_of_page(request, scope, kwargs, args) -> bool:
    return _revision_of_page(kwargs.get("page_id"), kwargs.get("revision_id"))


def compare_revisions_of_owned_page(request, scope, kwargs, args) -> bool:
    # The compare route uses positional groups: page id, then two revisions
    # given as ids or the keywords live/earliest/latest.
    if len(args) != 3:
        return False
    page = _page(args[0])
    if page is None or not scope.owns_page(page):
        return False
    return all(
        _revision_of_page(page.pk, value)
        for value in args[1:]
        if value not in ("live", "earliest", "latest")
    )


def task_state_of_page(request, scope, kwargs, args) -> bool:
    return TaskState.objects.filter(
        pk=_int(kwargs.get("task_state_id")),
        workflow_state__base_content_type=get_default_page_content_type(),
        workflow_state__object_id=str(_int(kwargs.get("page_id"))),
    ).exists()


def workflow_state_of_page(request, scope, kwargs, args) -> bool:
    return WorkflowState.objects.filter(
        pk=_int(kwargs.get("workflow_state_id")),
        base_content_type=get_default_page_content_type(),
        object_id=str(_int(kwargs.get("page_id"))),
    ).exists()


def task_exists(request, scope, kwargs, args) -> bool:
    # Tasks are province-wide configuration ("Province moderation"), not an
    # organisation's object; the page id next to it is what is checked.
    return Task.objects.filter(pk=_int(kwargs.get("task_id"))).exists()


def _collection_member_owned(model, pk, scope: AdminScope) -> bool:
    pk = _int(pk)
    if pk is None:
        return False
    obj = model.objects.select_related("collection").filter(pk=pk).first()
    return obj is not None and scope.owns_collection(obj.collection)


def image_owned(kwarg: str) -> Check:
    def check(request, scope, kwargs, args):
        return _collection_member_owned(get_image_model(), kwargs.get(kwarg), scope)

    return check


def document_owned(kwarg: str) -> Check:
    def check(request, scope, kwargs, args):
        return _collection_member_owned(get_document_model(), kwargs.get(kwarg), scope)

    return check


def own_upload(request, scope, kwargs, args) -> bool:
    return UploadedFile.objects.filter(
        pk=_int(kwargs.get("uploaded_file_id")), uploaded_by_user=request.user
    ).exists()


def _ids(request) -> list[int] | None:
    raw = request.GET.getlist("id")
    ids = [_int(value) for value in raw]
    if not raw or None in ids:
        return None
    return ids


def query_pages_choosable(request, scope, kwargs, args) -> bool:
    ids = _ids(request)
    if ids is None:
        return False
    pages = Page.objects.filter(pk__in=ids)
    return len(pages) == len(set(ids)) and all(scope.may_choose_page(p) for p in pages)


def _query_members_owned(model, request, scope) -> bool:
    ids = _ids(request)
    if ids is None:
        return False
    return all(_collection_member_owned(model, pk, scope) for pk in set(ids))


def query_images_owned(request, scope, kwargs, args) -> bool:
    return _query_members_owned(get_image_model(), request, scope)


def query_documents_owned(request, scope, kwargs, args) -> bool:
    return _query_members_owned(get_document_model(), request, scope)


def _model(app_label, model_name):
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


def bulk_action_in_scope(request, scope, kwargs, args) -> bool:
    model = _model(kwargs.get("app_label"), kwargs.get("model_name"))
    if model is None:
        return False
    if issubclass(model, Page):
        if request.GET.getlist("id") == ["all"]:
            # "Select all" acts on the children of the listed parent.
            parent = _page(request.GET.get("childOf"))
            return parent is not None and scope.owns_page(parent)
        ids = _ids(request)
        if ids is None:
            return False
        pages = Page.objects.filter(pk__in=ids)
        return len(pages) == len(set(ids)) and all(scope.owns_page(p) for p in pages)
    if model is get_image_model():
        return _query_members_owned(model, request, scope)
    if model is get_document_model():
        return _query_members_owned(model, request, scope)
    return False


def editing_session_on_owned_page(request, scope, kwargs, args) -> bool:
    model = _model(kwargs.get("app_label"), kwargs.get("model_name"))
    if model is None or not issubclass(model, Page):
        return False
    page = _page(kwargs.get("object_id"))
    return page is not None and scope.owns_page(page)


# --- the route table ----------------------------------------------------------

OPEN = Rule("open")
STAFF = Rule("staff")


def _page_rule(kwarg: str = "page_id", *extra: Check) -> Rule:
    return Rule("page", (page_owned(kwarg), *extra))


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
_STAFF_ROUTE_PREFIXES = (
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
)

RULES: dict[str, Rule] = dict.fromkeys(_OPEN_ROUTES, OPEN) | {
    # Pages: the page in the URL must be in the user's own subtree.
    "wagtailadmin_pages:add": _page_rule("parent_page_id"),
    "wagtailadmin_pages:preview_on_add": _page_rule("parent_page_id"),
    "wagtailadmin_pages:add_subpage": _page_rule("parent_page_id"),
    "wagtailadmin_pages:usage": _page_rule(),
    "wagtailadmin_pages:edit": _page_rule(),
    "wagtailadmin_pages:preview_on_edit": _page_rule(),
    "wagtailadmin_pages:view_draft": _page_rule(),
    "wagtailadmin_pages:delete": _page_rule(),
    "wagtailadmin_pages:unpublish": _page_rule(),
    "wagtailadmin_pages:convert_alias": _page_rule(),
    "wagtailadmin_pages:copy": _page_rule(),
    "wagtailadmin_pages:set_privacy": _page_rule(),
    "wagtailadmin_pages:lock": _page_rule(),
    "wagtailadmin_pages:unlock": _page_rule(),
    "wagtailadmin_pages:move": _page_rule("page_to_move_id"),
    "wagtailadmin_pages:move_confirm": Rule(
        "page", (page_owned("page_to_move_id"), page_owned("destination_id"))
    ),
    "wagtailadmin_pages:set_page_position": _page_rule("page_to_move_id"),
    "wagtailadmin_pages:workflow_action": _page_rule("page_id", task_state_of_page),
    "wagtailadmin_pages:collect_workflow_action_data": _page_rule(
        "page_id", task_state_of_page
    ),
    "wagtailadmin_pages:confirm_workflow_cancellation": _page_rule(),
    "wagtailadmin_pages:workflow_preview": _page_rule("page_id", task_exists),
    "wagtailadmin_pages:revisions_index": _page_rule(),
    "wagtailadmin_pages:revisions_view": _page_rule("page_id", revision_of_page),
    "wagtailadmin_pages:revisions_revert": _page_rule("page_id", revision_of_page),
    "wagtailadmin_pages:revisions_unschedule": _page_rule("page_id", revision_of_page),
    "wagtailadmin_pages:revisions_compare": Rule(
        "page", (compare_revisions_of_owned_page,)
    ),
    "wagtailadmin_pages:workflow_history": _page_rule(),
    "wagtailadmin_pages:workflow_history_detail": _page_rule(
        "page_id", workflow_state_of_page
    ),
    "wagtailadmin_pages:history": _page_rule(),
    "wagtailadmin_pages:history_results": _page_rule(),
    "simple_translation:submit_page_translation": _page_rule(),
    "wagtailadmin_api:pages:action": _page_rule("pk"),
    "wagtailadmin_editing_sessions:ping": Rule(
        "page", (editing_session_on_owned_page,)
    ),
    # Explorer and admin API detail: own subtree, or an ancestor on the way.
    "wagtailadmin_explore": Rule("page", (page_visible("parent_page_id"),)),
    "wagtailadmin_explore_results": Rule("page", (page_visible("parent_page_id"),)),
    "wagtailadmin_api:pages:detail": Rule("page", (page_visible("pk"),)),
    # Page chooser: anything but another organisation's pages.
    "wagtailadmin_choose_page_child": Rule("page", (page_choosable("parent_page_id"),)),
    "wagtailadmin_choose_page_chosen_multiple": Rule("page", (query_pages_choosable,)),
    # Images and documents: in the user's own collections.
    "wagtailimages:edit": Rule("image", (image_owned("image_id"),)),
    "wagtailimages:delete": Rule("image", (image_owned("image_id"),)),
    "wagtailimages:url_generator": Rule("image", (image_owned("image_id"),)),
    "wagtailimages:url_generator_output": Rule("image", (image_owned("image_id"),)),
    "wagtailimages:preview": Rule("image", (image_owned("image_id"),)),
    "wagtailimages:image_usage": Rule("image", (image_owned("image_id"),)),
    "wagtailimages:edit_multiple": Rule("image", (image_owned("image_id"),)),
    "wagtailimages:delete_multiple": Rule("image", (image_owned("image_id"),)),
    "wagtailimages:create_multiple_from_uploaded_image": Rule("upload", (own_upload,)),
    "wagtailimages:delete_upload_multiple": Rule("upload", (own_upload,)),
    "wagtailimages_chooser:chosen": Rule("image", (image_owned("pk"),)),
    "wagtailimages_chooser:select_format": Rule("image", (image_owned("image_id"),)),
    "wagtailimages_chooser:chosen_multiple": Rule("image", (query_images_owned,)),
    "wagtailadmin_api:images:detail": Rule("image", (image_owned("pk"),)),
    "wagtaildocs:edit": Rule("document", (document_owned("document_id"),)),
    "wagtaildocs:delete": Rule("document", (document_owned("document_id"),)),
    "wagtaildocs:document_usage": Rule("document", (document_owned("document_id"),)),
    "wagtaildocs:edit_multiple": Rule("document", (document_owned("doc_id"),)),
    "wagtaildocs:delete_multiple": Rule("document", (document_owned("doc_id"),)),
    "wagtaildocs:create_multiple_from_uploaded_document": Rule("upload", (own_upload,)),
    "wagtaildocs:delete_upload_multiple": Rule("upload", (own_upload,)),
    "wagtaildocs_chooser:chosen": Rule("document", (document_owned("pk"),)),
    "wagtaildocs_chooser:chosen_multiple": Rule("document", (query_documents_owned,)),
    "wagtailadmin_api:documents:detail": Rule("document", (document_owned("pk"),)),
    "wagtail_bulk_action": Rule("bulk", (bulk_action_in_scope,)),
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
    # The shop's admin screens scope every query through shop.permissions
    # (tests/shop/test_admin.py aims them at another organisation's orders).
    "shop_admin:orders",
    "shop_admin:order_detail",
    "shop_admin:stock",
    "shop_admin:statement",
)
STAFF_ROUTES = (
    "product_variants:history",
    "product_variants:history_results",
    "product_variants:usage",
)
RULES |= dict.fromkeys(DELEGATED_ROUTES, Rule("delegated"))
RULES |= dict.fromkeys(STAFF_ROUTES, STAFF)


def is_classified(url_name: str) -> bool:
    """A decision was made for this route (as opposed to the default refusal)."""
    return url_name in RULES or url_name.startswith(_STAFF_ROUTE_PREFIXES)


def rule_for(url_name: str | None, path: str = "") -> Rule:
    """How a route is guarded for organisation members (unknown: refused)."""
    if url_name is None:
        # Wagtail's unnamed catch-all and test404 render the admin 404.
        return OPEN
    if url_name in RULES:
        return RULES[url_name]
    return STAFF


_ADMIN_PATH = re.compile(r"^/admin/")


def request_allowed(request: HttpRequest) -> bool:
    match = request.resolver_match
    rule = rule_for(match.view_name if match.url_name else None, request.path)
    if rule.kind in ("open", "delegated"):
        return True
    if rule.kind == "staff":
        return False
    scope = admin_scope(user=request.user)
    return all(check(request, scope, match.kwargs, match.args) for check in rule.checks)


def refusal(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    profile = getattr(request.user, "wagtail_userprofile", None)
    if profile is not None:
        language = profile.get_preferred_language()
    with translation.override(language):
        return render(request, "wagtailadmin/404.html", status=404)


class AdminScopeMiddleware:
    """Refuse admin routes outside an organisation member's scope (404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _ADMIN_PATH.match(request.path_info):
            return None
        user = request.user
        if not user.is_authenticated:
            return None  # Wagtail sends anonymous visitors to the login page.
        if admin_scope(user=user).unrestricted:
            return None
        if request_allowed(request):
            return None
        return refusal(request)
