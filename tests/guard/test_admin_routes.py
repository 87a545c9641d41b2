"""An editor of brand A against every admin route that takes an id of brand B.

The routes are read from the URL resolver, not listed by hand: a route that a
Wagtail upgrade adds fails ``test_every_admin_route_is_classified`` until
someone decides who may use it (organisations/admin_routes.py).
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import registry as log_registry
from wagtail.models import (
    GroupPagePermission,
    Page,
    Revision,
    TaskState,
    UploadedFile,
    WorkflowState,
)

from organisations.admin_guard import is_classified, rule_for
from shop.models import OrderFulfilment, StockRecord

ADMIN_PREFIX = "admin/"


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def admin_routes():
    """(view name, route text, pattern) of every named admin URL."""
    routes = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(ADMIN_PREFIX) and pattern.name:
            routes.append((namespace + pattern.name, route, pattern))
    return routes


def _kwarg_names(pattern: URLPattern) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def test_admin_routes_are_found():
    names = {name for name, _, _ in admin_routes()}
    assert "wagtailadmin_pages:edit" in names
    assert "wagtailimages_chooser:select_format" in names
    assert "wagtailadmin_api:pages:detail" in names
    assert len(names) > 150


def test_every_admin_route_is_classified():
    unclassified = sorted(
        {name for name, _, _ in admin_routes() if not is_classified(name)}
    )
    assert unclassified == []


def _snapshot(houses):
    b = houses.b
    b_pages = Page.objects.filter(path__startswith=b.brand.path).order_by("path")
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "uploads": UploadedFile.objects.count(),
        "workflow_states": list(
            WorkflowState.objects.order_by("pk").values_list("pk", "status")
        ),
        "task_states": list(
            TaskState.objects.order_by("pk").values_list("pk", "status")
        ),
        "page_permissions": GroupPagePermission.objects.count(),
        "b_pages": list(
            b_pages.values_list(
                "pk",
                "title",
                "live",
                "locked",
                "latest_revision_id",
                "live_revision_id",
                "path",
            )
        ),
        "b_media": (
            list(get_image_model().objects.filter(pk=b.image.pk).values("title"))
            + list(
                get_document_model().objects.filter(pk=b.document.pk).values("title")
            )
        ),
        "b_shop": (
            list(OrderFulfilment.objects.filter(pk=houses.b_order_part.pk).values())
            + list(StockRecord.objects.filter(variant=b.variant).values())
        ),
        "log_entries": sum(
            model.objects.count() for model in log_registry.get_log_entry_models()
        ),
    }


def _values(houses) -> dict:
    a, b = houses.a, houses.b
    return {
        "page_id": b.draft.pk,
        "parent_page_id": b.brand.pk,
        "page_to_move_id": b.product.pk,
        "destination_id": a.brand.pk,
        "revision_id": b.revision.pk,
        "task_state_id": houses.b_task_state.pk,
        "task_id": houses.b_task_state.task_id,
        "workflow_state_id": houses.b_workflow_state.pk,
        "action_name": "approve",
        "image_id": b.image.pk,
        "document_id": b.document.pk,
        "doc_id": b.document.pk,
        "uploaded_file_id": b.upload.pk,
        "filter_spec": "max-165x165",
        "session_id": 1,
        "object_id": b.draft.pk,
        "collection_id": b.organisation.collection_id,
        "page_pk": b.brand.pk,
        "workflow_pk": houses.b_workflow_state.workflow_id,
        "content_type_app_name": "brands",
        "content_type_model_name": "productpage",
        "app_name": "pages",
        "model_name": "sitesettings",
        "app_label": "pages",
        "action": "delete",
        # An id of another organisation's object is unknown to this fixture; a
        # random UUID still exercises the route's refusal path.
        "public_id": uuid.uuid4(),
        "uidb64": "x",
        "token": "y",
    }


def _pk_for(name: str, houses) -> int | uuid.UUID:
    b = houses.b
    if name.startswith(("wagtailimages", "wagtailadmin_api:images")):
        return b.image.pk
    if name.startswith(("wagtaildocs", "wagtailadmin_api:documents")):
        return b.document.pk
    if name.startswith("wagtailadmin_api:pages"):
        return b.draft.pk
    if name.startswith("product_variants:"):
        return b.variant.pk
    # The shop's viewsets take public UUIDs, never sequential ids.
    if name.startswith("shop_orders:"):
        return houses.b_order_part.public_id
    if name.startswith("shop_stock:"):
        return b.variant.public_id
    if name.startswith("shop_shipping:"):
        return b.organisation.public_id
    if name.startswith("organisations:"):
        return b.organisation.pk
    if name.startswith("wagtailusers_users:"):
        return b.editor.pk
    if name.startswith("wagtailusers_groups:"):
        return b.organisation.group_id
    if name.startswith("wagtailadmin_collections:"):
        return b.organisation.collection_id
    return 1


def _label_model(name: str) -> list[tuple[str, str, str]]:
    """(app_label, model_name, ?id=) combinations for routes taking a model."""
    return [
        ("wagtailcore", "page", "page"),
        ("wagtailimages", "image", "image"),
        ("wagtaildocs", "document", "document"),
        ("pages", "sitesettings", "none"),
    ]


def _requests_for(name: str, pattern: URLPattern, houses):
    """Every (url, query) aimed at brand B that this route can be given."""
    a, b = houses.a, houses.b
    keys = _kwarg_names(pattern)
    if name == "wagtailadmin_pages:revisions_compare":
        return [
            (f"/admin/pages/{b.draft.pk}/revisions/compare/earliest...latest/", {}),
            (
                f"/admin/pages/{a.draft.pk}/revisions/compare/"
                f"{b.revision.pk}...latest/",
                {},
            ),
        ]
    if not keys and name not in QUERY_ID_ROUTES:
        return []
    values = _values(houses)
    combos: list[dict] = [{}]

    def expand(key, options):
        nonlocal combos
        combos = [{**combo, key: option} for combo in combos for option in options]

    for key in keys:
        if key == "page_id":
            expand(key, [b.draft.pk, b.product.pk])
        elif key == "parent_page_id":
            expand(key, [b.brand.pk, b.product.pk])
        elif key == "page_to_move_id":
            expand(key, [b.product.pk])
        elif key == "pk":
            expand(key, [_pk_for(name, houses)])
        elif key == "app_label" and "model_name" in keys:
            continue
        elif key == "model_name" and "app_label" in keys:
            continue
        else:
            expand(key, [values[key]])
    if "app_label" in keys and "model_name" in keys:
        pairs = _label_model(name)
        combos = [
            {**combo, "app_label": label, "model_name": model}
            for combo in combos
            for label, model, _ in pairs
        ]
    # Cross-object variants: A's own page with B's revision / task state,
    # and A's page moved under B's brand.
    if "revision_id" in keys:
        combos.append({**combos[0], "page_id": a.draft.pk})
    if "task_state_id" in keys:
        combos.append({**combos[0], "page_id": a.draft.pk})
    if "destination_id" in keys:
        combos.append(
            {**combos[0], "page_to_move_id": a.product.pk, "destination_id": b.brand.pk}
        )

    query_ids = {
        "page": [b.draft.pk],
        "image": [b.image.pk],
        "document": [b.document.pk],
        "none": [1],
    }
    requests = []
    for combo in combos:
        url = reverse(name, kwargs=combo) if combo else reverse(name)
        if name in QUERY_ID_ROUTES:
            requests.append((url, {"id": query_ids[QUERY_ID_ROUTES[name]]}))
        elif name == "wagtail_bulk_action":
            kind = {
                "wagtailcore": "page",
                "wagtailimages": "image",
                "wagtaildocs": "document",
            }.get(combo["app_label"], "none")
            requests.append((url, {"id": query_ids[kind]}))
        else:
            requests.append((url, {}))
    return requests


QUERY_ID_ROUTES = {
    "wagtailadmin_choose_page_chosen_multiple": "page",
    "wagtailimages_chooser:chosen_multiple": "image",
    "wagtaildocs_chooser:chosen_multiple": "document",
}

# Routes that carry no id of anybody's object; their listings are checked
# for leaks in test_listings.py.
OBJECTLESS_KINDS = {"open"}


def _guarded_routes():
    return [
        (name, pattern)
        for name, _, pattern in admin_routes()
        if rule_for(name).kind not in OBJECTLESS_KINDS
    ]


def _assert_refused(response, marker, where):
    assert response.status_code in (302, 403, 404), where
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith(("/admin/", "/accounts/login/")), where
        assert location != where, where
    body = response.content.decode("utf-8", "replace")
    assert marker not in body, where


def test_editor_of_a_is_refused_everything_of_b_on_every_route(client, houses):
    client.force_login(houses.a.editor)
    before = _snapshot(houses)
    exercised = 0
    for name, pattern in _guarded_routes():
        for url, query in _requests_for(name, pattern, houses):
            for method in ("get", "post"):
                response = getattr(client, method)(
                    url
                    + ("?" + "&".join(f"id={v}" for v in query["id"]) if query else "")
                )
                _assert_refused(response, houses.b.marker, f"{method.upper()} {url}")
                exercised += 1
    assert _snapshot(houses) == before
    # Every guarded route was tried (both methods, several objects each).
    assert exercised > 250


def test_every_route_with_an_id_is_exercised(houses):
    missing = [
        name
        for name, pattern in _guarded_routes()
        if rule_for(name).kind != "staff"
        and (_kwarg_names(pattern) or rule_for(name).kind != "delegated")
        and not _requests_for(name, pattern, houses)
    ]
    assert missing == []


@pytest.mark.parametrize(
    "name",
    [
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:workflow_history",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:usage",
        "wagtailadmin_pages:copy",
    ],
)
def test_province_staff_may_open_b_pages(client, houses, name):
    client.force_login(houses.staff)
    response = client.get(reverse(name, args=[houses.b.draft.pk]))
    assert response.status_code == 200


def test_refusal_is_a_plain_admin_404_in_vietnamese(client, houses):
    client.force_login(houses.a.editor)
    response = client.get(
        reverse("wagtailadmin_pages:edit", args=[houses.b.product.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 404
    body = response.content.decode()
    assert houses.b.marker not in body
    assert 'lang="vi"' in body


def test_unknown_admin_route_is_refused_to_members():
    assert rule_for("wagtailfuture:new_thing").kind == "staff"
    assert is_classified("wagtailfuture:new_thing") is False


def test_compare_route_pattern_is_still_positional():
    patterns = {name: pattern for name, _, pattern in admin_routes()}
    pattern = patterns["wagtailadmin_pages:revisions_compare"]
    assert re.compile(pattern.pattern.regex.pattern).groupindex == {}
