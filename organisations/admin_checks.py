"""Explicit object checks for the admin routes Wagtail 7.4 leaves open.

Each check answers "is the object this URL names inside the member's
house?" from ``organisations.access``. They are used only for the holes
listed in ``admin_routes.RULES`` (and docs/editor-isolation.md); routes that
Wagtail's own permission policy protects need none.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.http import HttpRequest
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

from core.digits import ascii_int

from .access import AdminScope

Check = Callable[[HttpRequest, AdminScope, dict, tuple], bool]


def _int(value) -> int | None:
    # Ids from URLs and query strings: 0-9 only, as everywhere (core.digits).
    return value if isinstance(value, int) else ascii_int(value)


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


def task_state_of_page(request, scope, kwargs, args) -> bool:
    return TaskState.objects.filter(
        pk=_int(kwargs.get("task_state_id")),
        workflow_state__base_content_type=get_default_page_content_type(),
        workflow_state__object_id=str(_int(kwargs.get("page_id"))),
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


def workflow_state_of_page(request, scope, kwargs, args) -> bool:
    return WorkflowState.objects.filter(
        pk=_int(kwargs.get("workflow_state_id")),
        base_content_type=get_default_page_content_type(),
        object_id=str(_int(kwargs.get("page_id"))),
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
    if model is get_image_model() or model is get_document_model():
        return _query_members_owned(model, request, scope)
    return False


def editing_session_on_owned_page(request, scope, kwargs, args) -> bool:
    model = _model(kwargs.get("app_label"), kwargs.get("model_name"))
    if model is None or not issubclass(model, Page):
        return False
    page = _page(kwargs.get("object_id"))
    return page is not None and scope.owns_page(page)
