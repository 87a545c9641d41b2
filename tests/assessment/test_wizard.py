"""The wizard: start, steps saved on the server, back and forth, review, submit."""

from __future__ import annotations

import re

from django.urls import reverse

from assessment.models import Answer, Assessment
from assessment.selectors import framework_for
from assessment.services.submissions import assessment_start
from tests.factories import UserFactory
from tests.factories.assessment import submitted_assessment


def _step_url(assessment, step):
    return reverse(
        "assessment:step", kwargs={"public_id": assessment.public_id, "step": step}
    )


def _post_data(assessment, **answers):
    data = {"revision": assessment.revision, "action": "next"}
    data.update(answers)
    return data


def test_start_page_asks_anonymous_visitors_to_log_in(client, framework):
    response = client.get(reverse("assessment:start"))
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()
    assert (
        "not the official assessment"
        in response.content.decode().replace("<strong>", "").replace("</strong>", "")
        or "không phải" in response.content.decode()
    )


def test_vietnamese_and_english_prefixes(client, framework):
    assert reverse("assessment:start") == "/danh-gia/"
    assert client.get("/en/assessment/").status_code == 200
    assert client.get("/danh-gia/").status_code == 200


def test_begin_creates_one_draft_and_resumes_it(client, framework, organisation, owner):
    client.force_login(owner)
    url = reverse(
        "assessment:begin", kwargs={"organisation_id": organisation.public_id}
    )
    first = client.post(url)
    second = client.post(url)
    assert Assessment.objects.filter(organisation=organisation).count() == 1
    draft = Assessment.objects.get(organisation=organisation)
    assert first.url == second.url == _step_url(draft, 1)
    assert draft.framework == framework


def test_a_step_is_saved_and_shown_again_on_another_device(
    client, framework, organisation, owner
):
    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(owner)
    response = client.post(
        _step_url(draft, 1),
        _post_data(draft, c_C01="3", c_C03="12.5", note_C01="Cập nhật mỗi tháng"),
    )
    assert response.status_code == 302
    assert response.url == _step_url(draft, 2)
    answers = {a.criterion_code: a for a in draft.answers.all()}
    assert (answers["C01"].option, answers["C01"].note) == (3, "Cập nhật mỗi tháng")
    assert answers["C03"].share == 12.5
    other_device = client.__class__()
    other_device.force_login(owner)
    page = other_device.get(_step_url(draft, 1)).content.decode()
    assert re.search(r'name="c_C01" value="3"[^>]*checked', page)
    assert re.search(r'name="c_C03" value="12.5"', page)


def test_back_and_save_actions(client, framework, organisation, owner):
    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(owner)
    back = client.post(_step_url(draft, 3), {"revision": 0, "action": "back"})
    assert back.url == _step_url(draft, 2)
    draft.refresh_from_db()
    save = client.post(
        _step_url(draft, 3), {"revision": draft.revision, "action": "save"}
    )
    assert save.url == _step_url(draft, 3)


def test_sector_module_only_for_its_sectors(client, framework, owner, organisation):
    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(owner)
    assert client.get(_step_url(draft, 7)).status_code == 200  # rice: 7 steps
    assert client.get(_step_url(draft, 8)).status_code == 404
    organisation.sector = "handicraft"
    organisation.save()
    assert client.get(_step_url(draft, 7)).status_code == 404


def test_review_lists_unanswered_then_submit_freezes(
    client, framework, organisation, owner
):
    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(owner)
    client.post(_step_url(draft, 1), _post_data(draft, c_C01="4"))
    review = client.get(
        reverse("assessment:review", kwargs={"public_id": draft.public_id})
    )
    text = review.content.decode()
    # The unanswered list comes before every answer listed by pillar.
    unanswered, _answers = text.split("Câu trả lời của bạn")
    assert "C02." in unanswered and "C01." not in unanswered
    response = client.post(
        reverse("assessment:submit", kwargs={"public_id": draft.public_id})
    )
    assert response.url == reverse(
        "assessment:results", kwargs={"public_id": draft.public_id}
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.is_latest is True
    assert draft.pillar_results.count() == 7
    assert draft.answers.get(criterion_code="C01").score == 100.0
    assert draft.answers.get(criterion_code="C02").score == 0.0
    assert (draft.sector, draft.size_class, draft.kind) == (
        "rice",
        "small",
        "cooperative",
    )


def test_taking_it_again_prefills_from_the_last(client, framework, organisation, owner):
    first = submitted_assessment(organisation, owner, option=3, share=40)
    client.force_login(owner)
    client.post(
        reverse("assessment:begin", kwargs={"organisation_id": organisation.public_id})
    )
    draft = Assessment.objects.get(organisation=organisation, status="draft")
    assert draft.pk != first.pk
    copied = {a.criterion_code: (a.option, a.share) for a in draft.answers.all()}
    assert copied["C01"] == (3, None)
    assert copied["C03"] == (None, 40.0)
    assert len(copied) == len(framework_for(framework).for_sector("rice").criteria)
    first.refresh_from_db()
    assert first.status == "submitted"


def test_organisation_created_from_the_wizard_is_owned_but_not_onboarded(
    client, framework
):
    """Anybody signed in can type an organisation in: it may take the
    assessment, but stays unverified, with no group, collection, admin access
    or uploads until province staff verify it (issue 11)."""
    user = UserFactory()
    client.force_login(user)
    from organisations.models import Commune

    response = client.post(
        reverse("assessment:organisation_new"),
        {
            "kind": "household",
            "legal_name": "Hộ kinh doanh Mắm Bà Tư",
            "tax_code": "1609998876",
            "commune": Commune.objects.get(name="Châu Đốc").pk,
            "sector": "food_processing",
            "employees": 3,
            "annual_revenue": 800_000_000,
        },
    )
    assert response.status_code == 302
    organisation = user.memberships.get().organisation
    assert user.memberships.get().role == "owner"
    assert organisation.group is None and organisation.collection is None
    assert not organisation.is_verified
    assert not user.groups.exists()
    assert organisation.size_class == "micro"
    draft = Assessment.objects.get(organisation=organisation, status="draft")
    assert response["Location"] == reverse(
        "assessment:step", kwargs={"public_id": draft.public_id, "step": 1}
    )
    assert client.get(response["Location"]).status_code == 200
    # No admin, no uploads.
    home = client.get("/admin/")
    assert home.status_code == 403
    upload = client.post(
        "/admin/images/multiple/add/", {"title": "x"}, HTTP_ACCEPT="text/html"
    )
    assert upload.status_code == 403


def test_organisation_form_errors_are_400_and_save_nothing(client, framework):
    from organisations.models import Organisation

    user = UserFactory()
    client.force_login(user)
    before = Organisation.objects.count()
    response = client.post(
        reverse("assessment:organisation_new"),
        {
            "kind": "household",
            "legal_name": "X",
            "tax_code": "12ab",
            "sector": "rice",
            "employees": -1,
        },
    )
    assert response.status_code == 400
    assert Organisation.objects.count() == before
    assert not user.memberships.exists()


def test_answers_outside_the_form_survive_nothing(
    client, framework, organisation, owner
):
    """Blank answers delete an earlier answer (the user cleared it)."""
    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(owner)
    client.post(_step_url(draft, 1), _post_data(draft, c_C01="2"))
    draft.refresh_from_db()
    client.post(_step_url(draft, 1), _post_data(draft))
    assert not Answer.objects.filter(assessment=draft, criterion_code="C01").exists()
