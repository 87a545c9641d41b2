"""Issue 11: the page forms took any image, document or page id in the form body.

The choosers show a member only their own house, but the edit, publish and
preview views saved whatever id was posted: brand A's editor could put brand
B's unused image in A's hero, gallery or story, B's certificate PDF on A's
page, or link to B's unpublished product. ``organisations.page_forms`` now
refuses them with a form error; nothing is saved.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from core.blocks import RICH_TEXT_FEATURES
from organisations.access import admin_scope
from organisations.page_forms import REFUSED, REFUSED_LINK, stream_foreign_error
from organisations.services import organisation_grant_page_permissions
from pages.models import StandardPage
from tests.guard.forms import edit_form_data

IMAGE_MESSAGE = "Hãy chọn một ảnh trong bộ sưu tập của tổ chức bạn."
DOCUMENT_MESSAGE = "Hãy chọn một tài liệu trong bộ sưu tập của tổ chức bạn."
LINK_MESSAGE = (
    "Đoạn văn này liên kết tới một trang, ảnh hoặc tài liệu mà bạn không được dùng."
)


# --- Posting a field of each kind ----------------------------------------------


def _caption_image(pk) -> dict:
    return {"image": str(pk), "caption": "", "alt_text": ""}


def _list(items) -> dict:
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""}
        for index, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def _certificate(document_pk) -> dict:
    return {
        "id": "",
        "kind": "vietgap",
        "ocop_stars": "",
        "number": "VG-2025-001",
        "issuer": "Sở Nông nghiệp An Giang",
        "issued_on": "2025-01-15",
        "valid_until": "",
        "document": str(document_pk),
    }


def hero_image(house, objects):
    return house.brand, {"hero_image": str(objects.image.pk)}, objects.image


def logo(house, objects):
    return house.brand, {"logo": str(objects.image.pk)}, objects.image


def gallery_photo(house, objects):
    rows = [{"id": "", "image": str(objects.image.pk), "alt_text": "Ảnh"}]
    data = nested_form_data({"gallery_images": inline_formset(rows, max=24)})
    return house.product, data, objects.image


def certificate_document(house, objects):
    rows = [_certificate(objects.document.pk)]
    data = nested_form_data({"certifications": inline_formset(rows)})
    return house.brand, data, objects.document


def story_image_block(house, objects):
    blocks_ = [("image", _caption_image(objects.image.pk))]
    return house.brand, nested_form_data({"story": streamfield(blocks_)}), objects.image


def story_gallery_list_block(house, objects):
    # A ListBlock inside a StructBlock inside the StreamBlock.
    images = _list([_caption_image(house.image.pk), _caption_image(objects.image.pk)])
    blocks_ = [("gallery", {"images": images})]
    return house.brand, nested_form_data({"story": streamfield(blocks_)}), objects.image


def description_image_block(house, objects):
    blocks_ = [("image", _caption_image(objects.image.pk))]
    data = nested_form_data({"description": streamfield(blocks_)})
    return house.product, data, objects.image


def paragraph_page_link(house, objects):
    html = f'<p><a linktype="page" id="{objects.draft.pk}">xem</a></p>'
    blocks_ = [("paragraph", rich_text(html, features=RICH_TEXT_FEATURES))]
    data = nested_form_data({"description": streamfield(blocks_)})
    return house.product, data, objects.draft


FIELD_KINDS = [
    hero_image,
    logo,
    gallery_photo,
    certificate_document,
    story_image_block,
    story_gallery_list_block,
    description_image_block,
    paragraph_page_link,
]
ERROR_MESSAGES = {
    hero_image: IMAGE_MESSAGE,
    logo: IMAGE_MESSAGE,
    gallery_photo: IMAGE_MESSAGE,
    certificate_document: DOCUMENT_MESSAGE,
    story_image_block: IMAGE_MESSAGE,
    story_gallery_list_block: IMAGE_MESSAGE,
    description_image_block: IMAGE_MESSAGE,
    paragraph_page_link: LINK_MESSAGE,
}


def _form_data(client, page, changes) -> dict:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = edit_form_data(response.content.decode())
    data.update(changes)
    return data


def _post(client, page, changes, action):
    data = _form_data(client, page, changes)
    if action == "preview":
        return client.post(
            reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]), data
        )
    if action == "publish":
        data["action-publish"] = "1"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def _references(obj) -> set[tuple[type, str]]:
    """What a page version refers to: its keys, inline rows and stream blocks."""
    return {
        (ContentType.objects.get_for_id(content_type).model_class(), pk)
        for content_type, pk, _path, _content in (
            ReferenceIndex._extract_references_from_object(obj)
        )
    }


def _refers_to(obj, target) -> bool:
    base = Page if isinstance(target, Page) else type(target)
    return (base, str(target.pk)) in _references(obj)


def _error_messages(form) -> str:
    """Every error of the form, its inline rows and its blocks, as one text."""
    found = []
    for errors in form.errors.as_data().values():
        for error in errors:
            if hasattr(error, "as_json_data"):  # a block error, nested
                found.append(json.dumps(error.as_json_data(), ensure_ascii=False))
            else:
                found.extend(error.messages)
    for formset in form.formsets.values():
        for child in formset.forms:
            found.extend(
                message for messages in child.errors.values() for message in messages
            )
    return "\n".join(found)


def _revisions(page):
    return Revision.objects.page_revisions().filter(object_id=str(page.pk))


def _state(page):
    row = Page.objects.get(pk=page.pk)
    return (_revisions(page).count(), row.latest_revision_id, row.live_revision_id)


@pytest.fixture
def publisher(houses, settings):
    """A's owner, allowed to publish directly (so "publish" really publishes)."""
    settings.OWNERS_CAN_PUBLISH = True
    organisation_grant_page_permissions(
        organisation=houses.a.organisation, page=houses.a.brand
    )
    return houses.a.owner


def _user(houses, action):
    return houses.a.owner if action == "publish" else houses.a.editor


ACTIONS = ["draft", "publish", "preview"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("kind", FIELD_KINDS, ids=lambda f: f.__name__)
def test_editor_of_a_cannot_use_b_objects(client, houses, publisher, kind, action):
    page, changes, target = kind(houses.a, houses.b)
    client.force_login(_user(houses, action))
    before = _state(page)

    response = _post(client, page, changes, action)

    assert response.status_code == 200  # never a 500, never a redirect (saved)
    if action == "preview":
        assert json.loads(response.content)["is_valid"] is False
    else:
        assert ERROR_MESSAGES[kind] in _error_messages(response.context["form"])
        assert houses.b.marker not in response.content.decode()
    assert _state(page) == before  # nothing saved, nothing published
    row = Page.objects.get(pk=page.pk)
    assert not _refers_to(row.get_latest_revision_as_object(), target)
    assert not _refers_to(row.specific, target)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("kind", FIELD_KINDS, ids=lambda f: f.__name__)
def test_editor_of_a_uses_own_objects(client, houses, publisher, kind, action):
    a = houses.a
    page, changes, target = kind(a, a)
    client.force_login(_user(houses, action))
    revisions = _revisions(page).count()

    response = _post(client, page, changes, action)

    if action == "preview":
        assert response.status_code == 200
        assert json.loads(response.content)["is_valid"] is True
        return
    assert response.status_code == 302
    assert _revisions(page).count() == revisions + 1
    row = Page.objects.get(pk=page.pk)
    assert _refers_to(row.get_latest_revision_as_object(), target)
    if action == "publish":
        assert row.live_revision_id == row.latest_revision_id
        assert _refers_to(row.specific, target)


@pytest.mark.parametrize("kind", FIELD_KINDS, ids=lambda f: f.__name__)
def test_province_staff_may_use_any_house_objects(client, houses, kind):
    page, changes, target = kind(houses.a, houses.b)
    client.force_login(houses.staff)

    response = _post(client, page, changes, "publish")

    assert response.status_code == 302
    assert _refers_to(Page.objects.get(pk=page.pk).specific, target)


def test_a_reference_staff_put_on_the_page_does_not_block_the_editor(client, houses):
    a, b = houses.a, houses.b
    brand = a.brand.specific
    brand.hero_image = b.image  # e.g. a province photo chosen by staff
    brand.save_revision().publish()
    client.force_login(a.editor)

    response = _post(client, brand, {"tagline": "Gạo sạch"}, "draft")

    assert response.status_code == 302
    latest = Page.objects.get(pk=brand.pk).get_latest_revision_as_object()
    assert latest.tagline == "Gạo sạch"
    assert latest.hero_image_id == b.image.pk


def test_the_error_is_english_in_the_english_admin(client, houses):
    a, b = houses.a, houses.b
    a.editor.wagtail_userprofile.preferred_language = "en"
    a.editor.wagtail_userprofile.save()
    client.force_login(a.editor)

    response = _post(client, a.brand, {"hero_image": str(b.image.pk)}, "draft")

    assert "Choose an image from your organisation&#x27;s collection." in (
        response.content.decode()
    )


# --- Chooser blocks our pages do not use yet, and the page rules -------------


def _stream_block():
    return blocks.StreamBlock(
        [
            ("document", DocumentChooserBlock()),
            ("page", blocks.PageChooserBlock()),
            (
                "card",
                blocks.StructBlock(
                    [
                        ("image", ImageChooserBlock()),
                        ("links", blocks.ListBlock(blocks.PageChooserBlock())),
                    ]
                ),
            ),
        ]
    )


def _unpublished_site_page(site_home) -> StandardPage:
    page = StandardPage(title="Chưa công bố SECRET-SITE", live=False)
    site_home.add_child(instance=page)
    return page


def test_document_and_page_chooser_blocks_are_refused_at_any_depth(houses):
    a, b = houses.a, houses.b
    scope = admin_scope(user=a.editor)
    block = _stream_block()
    value = block.to_python(
        [
            {"type": "document", "value": b.document.pk},
            {"type": "page", "value": a.draft.pk},
            {"type": "page", "value": b.product.pk},
            {
                "type": "card",
                "value": {"image": a.image.pk, "links": [a.product.pk, b.draft.pk]},
            },
        ]
    )

    error = stream_foreign_error(block=block, value=value, scope=scope)

    assert error is not None
    assert set(error.block_errors) == {0, 2, 3}
    assert error.block_errors[0].messages == [str(REFUSED["document"])]
    assert error.block_errors[2].messages == [str(REFUSED["page"])]
    card = error.block_errors[3]
    assert set(card.block_errors) == {"links"}
    assert set(card.block_errors["links"].block_errors) == {1}
    # The error is shaped for Wagtail's block editor (JSON for the client side).
    assert error.as_json_data()["blockErrors"][3]["blockErrors"]["links"]


def test_page_chooser_blocks_take_published_site_pages_but_no_unpublished_one(
    houses, site_pages
):
    a = houses.a
    hidden = _unpublished_site_page(site_pages)
    scope = admin_scope(user=a.editor)
    block = _stream_block()
    value = block.to_python(
        [
            {"type": "page", "value": site_pages.pk},
            {"type": "page", "value": hidden.pk},
        ]
    )

    error = stream_foreign_error(block=block, value=value, scope=scope)

    assert error is not None and set(error.block_errors) == {1}
    staff = admin_scope(user=houses.staff)
    assert stream_foreign_error(block=block, value=value, scope=staff) is None


def test_a_refused_rich_text_link_names_the_link(houses):
    scope = admin_scope(user=houses.a.editor)
    block = blocks.StreamBlock([("text", blocks.RichTextBlock())])
    value = block.to_python(
        [
            {
                "type": "text",
                "value": f'<p><a linktype="page" id="{houses.b.draft.pk}">x</a></p>',
            }
        ]
    )

    error = stream_foreign_error(block=block, value=value, scope=scope)

    with translation.override("en"):
        assert error.block_errors[0].messages == [str(REFUSED_LINK)]


def test_the_page_chooser_shows_members_no_unpublished_site_page(
    client, houses, site_pages
):
    a, b = houses.a, houses.b
    hidden = _unpublished_site_page(site_pages)
    client.force_login(a.editor)

    for url in (
        reverse("wagtailadmin_choose_page_child", args=[site_pages.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=SECRET",
    ):
        body = client.get(url).content.decode()
        assert "SECRET-SITE" not in body, url
        assert b.marker not in body, url
    chosen = client.get(
        reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={hidden.pk}"
    )
    assert chosen.status_code == 404
    # Own drafts and published site pages stay choosable.
    search = client.get(reverse("wagtailadmin_choose_page_search") + "?q=Draft")
    assert a.marker in search.content.decode()
    client.force_login(houses.staff)
    staff_body = client.get(
        reverse("wagtailadmin_choose_page_child", args=[site_pages.pk])
    ).content.decode()
    assert "SECRET-SITE" in staff_body


def test_every_page_model_uses_the_scoped_form():
    from wagtail.models import get_page_models

    from organisations.page_forms import ScopedPageForm

    for model in get_page_models():
        if model is Page:
            continue
        form_class = model.get_edit_handler().get_form_class()
        assert issubclass(form_class, ScopedPageForm), model
