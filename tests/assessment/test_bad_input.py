"""Bad input: clear message, 4xx, nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessment.errors import AssessmentFrozen, StaleAnswers
from assessment.models import Answer, Assessment
from assessment.services.answers import AnswerData, assessment_answers_save
from assessment.services.submissions import assessment_start, assessment_submit
from tests.factories.assessment import submitted_assessment


def _step(draft, n=1):
    return reverse("assessment:step", kwargs={"public_id": draft.public_id, "step": n})


def _snapshot(draft):
    draft.refresh_from_db()
    return (
        draft.revision,
        draft.status,
        sorted(draft.answers.values_list("criterion_code", "option", "share", "note")),
    )


@pytest.mark.parametrize(
    "data",
    [
        {"c_C01": "99"},  # option id out of range
        {"c_C01": "-1"},
        {"c_C01": "abc"},
        {"c_C03": "100.5"},  # share above 100
        {"c_C03": "-3"},  # share below 0
        {"c_C03": "1e999"},
        {"c_C01": "na"},  # not applicable where it is not allowed
        {"c_Q1": "1"},  # a question of another framework version
        {"c_S01": "2"},  # a question of another step
        {"note_C01": "<script>alert(1)</script>"},  # HTML in notes
        {"note_C01": "<b>bold</b>"},
        {"note_C01": "x" * 1001},
        {"revision": "abc"},
    ],
)
def test_bad_step_input_is_refused_and_changes_nothing(
    client, framework, organisation, owner, data
):
    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(owner)
    client.post(
        _step(draft), {"revision": 0, "action": "save", "c_C01": "1", "note_C01": "ok"}
    )
    before = _snapshot(draft)
    post = {
        "revision": draft.revision,
        "action": "next",
        "c_C01": "1",
        "note_C01": "ok",
    }
    post.update(data)
    response = client.post(_step(draft), post)
    assert response.status_code == 400
    assert _snapshot(draft) == before
    assert b'class="errorlist' in response.content


def test_service_refuses_option_of_another_framework_version(
    framework, organisation, owner
):
    draft = assessment_start(organisation=organisation, user=owner)
    with pytest.raises(Exception) as error:
        assessment_answers_save(
            assessment=draft,
            user=owner,
            answers=[AnswerData("Q1", option=1)],
            revision=0,
        )
    assert "Q1" in error.value.message
    assert not draft.answers.exists()


def test_resubmitting_a_frozen_assessment_is_409(
    client, framework, organisation, owner
):
    done = submitted_assessment(organisation, owner)
    client.force_login(owner)
    before = _snapshot(done)
    submitted_at = Assessment.objects.get(pk=done.pk).submitted_at
    response = client.post(
        reverse("assessment:submit", kwargs={"public_id": done.public_id})
    )
    assert response.status_code == 409
    step = client.post(_step(done), {"revision": done.revision, "c_C01": "0"})
    assert step.status_code == 409
    assert _snapshot(done) == before
    assert Assessment.objects.get(pk=done.pk).submitted_at == submitted_at
    with pytest.raises(AssessmentFrozen):
        assessment_submit(assessment=done, user=owner)


def test_two_members_editing_one_draft_lose_no_answer(
    client, framework, organisation, owner, editor
):
    draft = assessment_start(organisation=organisation, user=owner)
    opened_at = draft.revision  # both open step 1 now
    # The editor saves first.
    assessment_answers_save(
        assessment=draft,
        user=editor,
        answers=[AnswerData("C01", option=4)],
        revision=opened_at,
    )
    # The owner's save, built on the old revision, touches the same answer.
    client.force_login(owner)
    response = client.post(
        _step(draft),
        {"revision": opened_at, "action": "next", "c_C01": "1", "c_C02": "2"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert editor.email in page
    assert Answer.objects.get(assessment=draft, criterion_code="C01").option == 4
    assert not Answer.objects.filter(assessment=draft, criterion_code="C02").exists()
    # The form kept the owner's entries and now carries force + the new revision.
    assert '<input type="hidden" name="force" value="on" id="id_force">' in page
    draft.refresh_from_db()
    assert f'name="revision" value="{draft.revision}"' in page
    again = client.post(
        _step(draft),
        {
            "revision": draft.revision,
            "force": "on",
            "action": "next",
            "c_C01": "1",
            "c_C02": "2",
        },
    )
    assert again.status_code == 302
    assert Answer.objects.get(assessment=draft, criterion_code="C01").option == 1


def test_members_editing_different_answers_do_not_conflict(
    framework, organisation, owner, editor
):
    draft = assessment_start(organisation=organisation, user=owner)
    assessment_answers_save(
        assessment=draft, user=editor, answers=[AnswerData("S01", option=2)], revision=0
    )
    assessment_answers_save(
        assessment=draft, user=owner, answers=[AnswerData("C01", option=1)], revision=0
    )
    assert sorted(draft.answers.values_list("criterion_code", flat=True)) == [
        "C01",
        "S01",
    ]


def test_stale_same_value_is_not_a_conflict(framework, organisation, owner, editor):
    draft = assessment_start(organisation=organisation, user=owner)
    assessment_answers_save(
        assessment=draft, user=editor, answers=[AnswerData("C01", option=2)], revision=0
    )
    assessment_answers_save(
        assessment=draft, user=owner, answers=[AnswerData("C01", option=2)], revision=0
    )
    with pytest.raises(StaleAnswers):
        assessment_answers_save(
            assessment=draft,
            user=owner,
            answers=[AnswerData("C01", option=3)],
            revision=0,
        )


def test_malformed_uuid_and_unknown_step_are_404(
    client, framework, organisation, owner
):
    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(owner)
    assert client.get("/danh-gia/not-a-uuid/buoc-1/").status_code == 404
    assert client.get(_step(draft, 0)).status_code == 404
    assert client.get(_step(draft, 99)).status_code == 404
