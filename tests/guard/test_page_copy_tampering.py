"""Wagtail's page copy posted with tampered values: a refusal, never a 500.

Found by the admin form sweep on PostgreSQL (tests/proof/test_admin_form_sweep.py):
Wagtail's copy view looks the posted ``new_parent_page`` up before the form
is validated, and its copy form has no length limit on the new title and
slug (PostgreSQL refuses the insert; SQLite saved a 10,000-character title).
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db

# The admin speaks the user's language, Vietnamese by default.
UNKNOWN_PARENT = "Không tìm thấy trang cha mới."


def _post(houses, **changes):
    client = Client(raise_request_exception=False)
    client.force_login(houses.a.editor)
    page = houses.a.draft
    data = {
        "new_title": "Bản sao",
        "new_slug": "ban-sao",
        "new_parent_page": str(page.get_parent().pk),
        **changes,
    }
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), data)


def test_an_untouched_copy_is_made(houses):
    before = Page.objects.count()
    response = _post(houses)
    assert response.status_code == 302
    assert Page.objects.count() == before + 1


@pytest.mark.parametrize("parent", ["abc", "1.5", "ab\x00c", "", "999999", None])
def test_a_tampered_parent_sends_the_editor_back_with_a_message(houses, parent):
    before = Page.objects.count()
    response = _post(houses, new_parent_page=parent)  # None: left out
    assert response.status_code == 302
    assert response["Location"].endswith(f"/pages/{houses.a.draft.pk}/copy/")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(UNKNOWN_PARENT in m for m in shown), shown
    assert Page.objects.count() == before


@pytest.mark.parametrize("field", ["new_title", "new_slug"])
def test_an_overlong_title_or_slug_is_a_form_error(houses, field):
    before = Page.objects.count()
    response = _post(houses, **{field: "a" * 256})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Page.objects.count() == before
