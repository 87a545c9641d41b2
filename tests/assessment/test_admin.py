"""Province staff edit a new draft framework version in the Wagtail admin and publish it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group

from assessment.models import FrameworkVersion
from organisations.services import PROVINCE_STAFF_GROUP, province_staff_group_ensure
from tests.factories import UserFactory
from tests.factories.assessment import default_framework_data

INDEX = "/admin/assessment_frameworks/"


@pytest.fixture
def staff(db):
    user = UserFactory()
    province_staff_group_ensure()
    user.groups.add(Group.objects.get(name=PROVINCE_STAFF_GROUP))
    return user


def test_staff_see_the_list_and_a_prefilled_new_draft(client, staff, framework):
    client.force_login(staff)
    assert client.get(INDEX).status_code == 200
    page = client.get(INDEX + "new/").content.decode()
    assert "ag-dbi-sme" in page and "Chưa chuyển đổi số" in page


def test_org_members_cannot_reach_it(client, framework, owner):
    client.force_login(owner)
    assert client.get(INDEX).status_code in (302, 403, 404)
    assert client.get(INDEX + "new/").status_code in (302, 403, 404)


def _post(client, url, data, publish=False):
    form = {
        "code": data["code"],
        "version": data["version"],
        "definition": json.dumps(data),
    }
    if publish:
        form["publish"] = "on"
    return client.post(url, form)


def test_create_draft_then_publish_retires_the_old(client, staff, framework):
    client.force_login(staff)
    data = default_framework_data()
    data["version"] = "2027.1"
    assert _post(client, INDEX + "new/", data).status_code == 302
    draft = FrameworkVersion.objects.get(version="2027.1")
    assert draft.status == "draft"
    assert (
        _post(client, INDEX + f"edit/{draft.pk}/", data, publish=True).status_code
        == 302
    )
    draft.refresh_from_db()
    framework.refresh_from_db()
    assert (draft.status, framework.status) == ("published", "retired")


def test_invalid_definition_is_refused(client, staff, framework):
    client.force_login(staff)
    data = default_framework_data()
    data["version"] = "broken"
    data["levels"] = []
    response = _post(client, INDEX + "new/", data)
    assert response.status_code == 200
    assert "level bands 0-5 are missing" in response.content.decode()
    assert not FrameworkVersion.objects.filter(version="broken").exists()


def test_published_versions_are_read_only(client, staff, framework):
    client.force_login(staff)
    data = default_framework_data()
    data["title"]["en"] = "Changed"
    response = _post(client, INDEX + f"edit/{framework.pk}/", data)
    assert response.status_code == 200
    framework.refresh_from_db()
    assert framework.definition["title"]["en"] != "Changed"
