"""Page editor posts with tampered structure: a form error, never a 500.

Found by the page-form sweep (tests/proof/test_admin_form_sweep.py): Wagtail
reads a StreamField's counts and orders with ``int()`` and its rows by key,
its chooser widgets look a posted id up while the form is shown again, and
modelcluster reads an inline row's id with the model field's ``to_python``
without catching its error. Each case below answered 500 (or silently
emptied the story) before organisations.page_forms guarded it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Revision

from brands.models import ProductGalleryImage
from tests.guard.forms import edit_form_data

pytestmark = pytest.mark.django_db

# The admin speaks the user's language, Vietnamese by default.
DAMAGED = "Nội dung này đến nơi bị hỏng nên chưa được lưu."


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _post(client: Client, page, **changes):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = edit_form_data(client.get(url).content.decode())
    data.update(changes)
    return client.post(url, data)


def _revisions(page) -> int:
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


@pytest.mark.parametrize("value", ["abc", "1.5", "ab\x00c"])
def test_a_chooser_posted_a_non_id_is_a_form_error_for_staff_too(houses, value):
    brand = houses.a.brand
    before = _revisions(brand)
    response = _post(_client(houses.staff), brand, hero_image=value)
    assert response.status_code == 200
    assert "hero_image" in response.context["form"].errors
    assert _revisions(brand) == before


@pytest.mark.parametrize("count", ["abc", "-1", "99999999999999999999", "1.5"])
def test_a_tampered_stream_count_is_refused_and_saves_nothing(houses, count):
    brand = houses.a.brand
    before = _revisions(brand)
    response = _post(_client(houses.a.editor), brand, **{"story-count": count})
    assert response.status_code == 200
    assert DAMAGED in str(response.context["form"].errors["story"])
    assert _revisions(brand) == before


def _gallery_row(house) -> int:
    product = house.product
    product.gallery_images.add(
        ProductGalleryImage(image=house.image, alt_text="Bao gạo")
    )
    product.save_revision().publish()
    return ProductGalleryImage.objects.get(page=product).pk


@pytest.mark.parametrize("row_id", ["abc", "1.5", "ab\x00c"])
def test_an_inline_row_id_that_is_no_number_is_refused(houses, row_id):
    _gallery_row(houses.a)
    product = houses.a.product
    before = _revisions(product)
    response = _post(
        _client(houses.a.editor), product, **{"gallery_images-0-id": row_id}
    )
    assert response.status_code == 200
    assert DAMAGED in str(response.context["form"].non_field_errors())
    assert _revisions(product) == before


def test_another_pages_inline_row_is_refused_and_left_alone(houses):
    _gallery_row(houses.a)
    theirs = _gallery_row(houses.b)
    product = houses.a.product
    before = _revisions(product)
    response = _post(
        _client(houses.a.editor),
        product,
        **{"gallery_images-0-id": str(theirs), "gallery_images-0-alt_text": "Của tôi"},
    )
    assert response.status_code == 200
    assert DAMAGED in str(response.context["form"].non_field_errors())
    assert _revisions(product) == before
    row = ProductGalleryImage.objects.get(pk=theirs)
    assert (row.page_id, row.alt_text) == (houses.b.product.pk, "Bao gạo")


@pytest.mark.parametrize(
    ("total", "initial"), [("-1", "1"), ("1", "5"), ("abc", "1"), ("1", "-1")]
)
def test_inline_row_counts_no_browser_sends_are_refused(houses, total, initial):
    _gallery_row(houses.a)
    product = houses.a.product
    before = _revisions(product)
    response = _post(
        _client(houses.a.editor),
        product,
        **{
            "gallery_images-TOTAL_FORMS": total,
            "gallery_images-INITIAL_FORMS": initial,
        },
    )
    assert response.status_code == 200
    assert _revisions(product) == before
