"""Only members and province staff see an organisation's assessments; 404 otherwise."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assessment.models import Answer, Assessment, PillarResult
from organisations.models import Membership
from organisations.services import PROVINCE_STAFF_GROUP
from tests.factories import UserFactory, member, onboarded_organisation
from tests.factories.assessment import submitted_assessment

NAMES = ("results", "report_pdf", "answers_csv", "answers_xlsx", "review", "delete")


@pytest.fixture
def done(framework, organisation, owner):
    return submitted_assessment(organisation, owner)


@pytest.mark.parametrize("name", NAMES)
def test_outsiders_get_404(client, done, name):
    url = reverse(f"assessment:{name}", kwargs={"public_id": done.public_id})
    other = onboarded_organisation()
    client.force_login(member(other, Membership.Role.OWNER))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_visitors_are_sent_to_log_in(client, done, name):
    response = client.get(
        reverse(f"assessment:{name}", kwargs={"public_id": done.public_id})
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_unknown_id_is_404(client, done, owner):
    client.force_login(owner)
    url = reverse(
        "assessment:results",
        kwargs={"public_id": "00000000-0000-4000-8000-000000000000"},
    )
    assert client.get(url).status_code == 404


def test_members_and_staff_can_read(client, done, editor):
    url = reverse("assessment:results", kwargs={"public_id": done.public_id})
    client.force_login(editor)
    assert client.get(url).status_code == 200
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name=PROVINCE_STAFF_GROUP)[0])
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert (
        "no-cache" in client.get(url)["Cache-Control"]
        or "max-age=0" in client.get(url)["Cache-Control"]
    )


def test_outsider_cannot_post_answers_or_submit(client, framework, organisation, owner):
    from assessment.services.submissions import assessment_start

    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(member(onboarded_organisation(), Membership.Role.OWNER))
    step = reverse("assessment:step", kwargs={"public_id": draft.public_id, "step": 1})
    assert client.post(step, {"revision": 0, "c_C01": "4"}).status_code == 404
    assert (
        client.post(
            reverse("assessment:submit", kwargs={"public_id": draft.public_id})
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse(
                "assessment:begin", kwargs={"organisation_id": organisation.public_id}
            )
        ).status_code
        == 404
    )
    draft.refresh_from_db()
    assert (draft.status, draft.answers.count(), draft.revision) == ("draft", 0, 0)


def test_only_owners_delete(client, done, editor, owner, organisation):
    url = reverse("assessment:delete", kwargs={"public_id": done.public_id})
    client.force_login(editor)
    assert client.post(url).status_code == 404
    assert Assessment.objects.filter(pk=done.pk).exists()
    client.force_login(owner)
    assert client.post(url).status_code == 302
    assert not Assessment.objects.filter(pk=done.pk).exists()
    assert not Answer.objects.filter(assessment_id=done.pk).exists()
    assert not PillarResult.objects.filter(assessment_id=done.pk).exists()


def test_deleting_the_latest_makes_the_previous_latest(
    client, framework, organisation, owner
):
    first = submitted_assessment(organisation, owner)
    second = submitted_assessment(organisation, owner)
    client.force_login(owner)
    client.post(reverse("assessment:delete", kwargs={"public_id": second.public_id}))
    first.refresh_from_db()
    assert first.is_latest is True


def test_dashboard_is_staff_only(client, framework, done, owner):
    url = reverse("assessment:dashboard")
    client.force_login(owner)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_post_only_urls_answer_404_to_outsiders_and_405_to_members(
    client, framework, organisation, owner
):
    from assessment.services.submissions import assessment_start

    draft = assessment_start(organisation=organisation, user=owner)
    begin = reverse(
        "assessment:begin", kwargs={"organisation_id": organisation.public_id}
    )
    submit = reverse("assessment:submit", kwargs={"public_id": draft.public_id})
    client.force_login(member(onboarded_organisation(), Membership.Role.OWNER))
    assert client.get(begin).status_code == 404
    assert client.get(submit).status_code == 404
    client.force_login(owner)
    assert client.get(begin).status_code == 405
    assert client.get(submit).status_code == 405


def test_staff_cannot_delete_an_organisation_until_its_owner_deletes_its_assessments(
    client, done, organisation, owner
):
    """Deleting the organisation must not silently drop assessments counted in
    the province totals: the admin refuses with a reason (409), nothing changes;
    once the owner has deleted them, the organisation can go."""
    from assessment.models import CriterionTotal
    from assessment.services.submissions import assessment_delete
    from organisations.models import Organisation
    from organisations.services import province_staff_group_ensure

    staff = UserFactory()
    staff.groups.add(province_staff_group_ensure())
    client.force_login(staff)
    url = f"/admin/organisations/delete/{organisation.pk}/"
    totals = list(CriterionTotal.objects.values_list("pk", "organisations"))

    response = client.post(url)
    assert response.status_code == 409
    assert "không thể xóa" in response.content.decode()
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert Assessment.objects.filter(pk=done.pk).exists()
    assert list(CriterionTotal.objects.values_list("pk", "organisations")) == totals

    assessment_delete(assessment=done, user=owner)
    response = client.post(url)
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
