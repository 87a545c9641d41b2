"""The positive cells: members do their own work; staff moderate; listings never leak."""

from __future__ import annotations

import json

from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState

from organisations.services import (
    MODERATION_WORKFLOW,
    organisation_grant_page_permissions,
)
from tests.factories.guard import jpeg_bytes
from tests.guard.forms import edit_form_data


def _edit(client, page, **changes):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = edit_form_data(response.content.decode())
    data.update(changes)
    return client.post(url, data)


def test_editor_edits_and_previews_own_product_without_publishing(client, houses):
    a = houses.a
    client.force_login(a.editor)
    live_title = a.product.title

    response = _edit(client, a.product, title="Gạo thơm mới")

    assert response.status_code == 302
    page = Page.objects.get(pk=a.product.pk)
    assert page.title == live_title  # the live page is untouched
    assert page.get_latest_revision_as_object().title == "Gạo thơm mới"
    preview = client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[a.product.pk]),
        edit_form_data(
            client.get(
                reverse("wagtailadmin_pages:edit", args=[a.product.pk])
            ).content.decode()
        ),
    )
    assert preview.status_code == 200
    assert json.loads(preview.content)["is_valid"] is True


def test_editor_cannot_publish_and_submits_for_moderation(client, houses):
    a = houses.a
    client.force_login(a.editor)
    live_title = a.product.title

    published = _edit(
        client, a.product, title="Thử xuất bản", **{"action-publish": "1"}
    )
    assert published.status_code in (200, 302)
    assert Page.objects.get(pk=a.product.pk).title == live_title

    submitted = _edit(client, a.product, title="Chờ duyệt", **{"action-submit": "1"})

    assert submitted.status_code == 302
    state = WorkflowState.objects.get(object_id=str(a.product.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == MODERATION_WORKFLOW
    assert Page.objects.get(pk=a.product.pk).title == live_title


def test_province_staff_approve_and_the_change_goes_live(client, houses):
    a = houses.a
    client.force_login(a.editor)
    _edit(client, a.product, title="Đã duyệt", **{"action-submit": "1"})
    task_state = WorkflowState.objects.get(
        object_id=str(a.product.pk)
    ).current_task_state

    client.force_login(houses.staff)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[a.product.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )

    assert response.status_code == 302
    page = Page.objects.get(pk=a.product.pk)
    assert page.title == "Đã duyệt"
    assert page.live is True


def test_editor_of_a_cannot_approve_its_own_submission(client, houses):
    a = houses.a
    client.force_login(a.editor)
    _edit(client, a.product, title="Tự duyệt", **{"action-submit": "1"})
    task_state = WorkflowState.objects.get(
        object_id=str(a.product.pk)
    ).current_task_state

    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[a.product.pk, "approve", task_state.pk],
        )
    )

    assert response.status_code in (302, 403)
    assert Page.objects.get(pk=a.product.pk).title == a.product.title


def test_owners_may_publish_directly_when_the_province_allows_it(
    client, houses, settings
):
    a = houses.a
    settings.OWNERS_CAN_PUBLISH = True
    organisation_grant_page_permissions(organisation=a.organisation, page=a.brand)
    client.force_login(a.owner)

    response = _edit(
        client, a.product, title="Xuất bản thẳng", **{"action-publish": "1"}
    )

    assert response.status_code == 302
    assert Page.objects.get(pk=a.product.pk).title == "Xuất bản thẳng"
    # Turning the setting off again withdraws the publish grant.
    settings.OWNERS_CAN_PUBLISH = False
    organisation_grant_page_permissions(organisation=a.organisation, page=a.brand)
    page = Page.objects.get(pk=a.product.pk)
    assert page.permissions_for_user(a.owner).can_publish() is False


def test_editor_cannot_move_the_brand_to_another_organisation(client, houses):
    a, b = houses.a, houses.b
    client.force_login(a.editor)

    response = _edit(client, a.brand, organisation=str(b.organisation.pk))

    assert response.status_code == 302
    brand = a.brand.__class__.objects.get(pk=a.brand.pk)
    assert brand.organisation_id == a.organisation.pk
    assert brand.get_latest_revision_as_object().organisation_id == a.organisation.pk


def test_editor_uploads_a_photo_to_own_collection(client, houses):
    a, b = houses.a, houses.b
    client.force_login(a.editor)
    form = client.get(reverse("wagtailimages:add"))
    assert form.status_code == 200
    assert b.marker not in form.content.decode()

    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ruộng lúa",
            "file": _upload("ruong.jpg", jpeg_bytes()),
            "collection": a.organisation.collection_id,
        },
    )

    assert response.status_code == 302
    image = get_image_model().objects.get(title="Ruộng lúa")
    assert image.collection_id == a.organisation.collection_id


def test_editor_cannot_upload_into_another_organisations_collection(client, houses):
    a, b = houses.a, houses.b
    client.force_login(a.editor)
    in_b = get_image_model().objects.filter(collection_id=b.organisation.collection_id)
    before = in_b.count()

    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Lạc nhà",
            "file": _upload("lac.jpg", jpeg_bytes()),
            "collection": b.organisation.collection_id,
        },
    )

    # With a single permitted collection Wagtail ignores the posted one.
    assert response.status_code == 302
    assert in_b.count() == before
    image = get_image_model().objects.get(title="Lạc nhà")
    assert image.collection_id == a.organisation.collection_id


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


LISTINGS = [
    "/admin/",
    "/admin/pages/search/?q=SECRET",
    "/admin/pages/usage/brands/productpage/",
    "/admin/pages/create/brands/productpage",
    "/admin/choose-page/",
    "/admin/choose-page/search/?q=SECRET",
    "/admin/images/",
    "/admin/images/?q=SECRET",
    "/admin/images/chooser/",
    "/admin/images/chooser/results/?q=SECRET",
    "/admin/documents/",
    "/admin/documents/chooser/",
    "/admin/documents/chooser/results/?q=SECRET",
    "/admin/api/main/pages/?search=SECRET",
    "/admin/api/main/pages/?limit=20",
    "/admin/api/main/images/?limit=20",
    "/admin/api/main/documents/?limit=20",
]


def test_listings_and_choosers_never_show_another_brand(client, houses):
    client.force_login(houses.a.editor)

    for url in LISTINGS:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert houses.b.marker not in response.content.decode(), url


def test_explorer_and_chooser_of_the_brand_index_show_only_own_brand(client, houses):
    a, b = houses.a, houses.b
    index = a.brand.get_parent()
    client.force_login(a.editor)

    for url in (
        # Wagtail sends the member from the index down to their own brand.
        reverse("wagtailadmin_explore", args=[index.pk]),
        reverse("wagtailadmin_choose_page_child", args=[index.pk]),
        f"/admin/api/main/pages/?child_of={index.pk}&for_explorer=1",
    ):
        body = client.get(url, follow=True).content.decode()
        assert a.marker in body, url
        assert b.marker not in body, url


def test_own_brand_is_on_the_dashboard_and_staff_menus_are_hidden(client, houses):
    client.force_login(houses.a.editor)

    body = client.get("/admin/").content.decode()

    assert houses.a.marker in body
    # The page count is the member's own pages (brand + 2 products), not the site's.
    assert "3 trang" in body
    assert reverse("wagtailadmin_reports:site_history") not in body
    assert reverse("wagtailadmin_workflows:index") not in body
    assert reverse("wagtailusers_users:index") not in body


def test_members_get_the_vietnamese_admin_whatever_their_browser(client, houses):
    client.force_login(houses.a.editor)

    body = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'lang="vi"' in body
