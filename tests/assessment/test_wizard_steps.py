"""The wizard's step titles, resuming, the review of every answer and the
per-pillar progress (issue 15, item 2)."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from assessment.selectors import (
    answers_by_code,
    framework_for,
    resume_step,
    step_progress,
)
from assessment.services.answers import AnswerData, assessment_answers_save
from assessment.services.submissions import assessment_start
from tests.factories.assessment import submitted_assessment


def _step_url(assessment, step: int) -> str:
    return reverse(
        "assessment:step", kwargs={"public_id": assessment.public_id, "step": step}
    )


def _begin(client, organisation):
    return client.post(
        reverse("assessment:begin", kwargs={"organisation_id": organisation.public_id})
    )


def _title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match, "no <title>"
    return html.unescape(match.group(1)).strip()


def _answer(criterion) -> AnswerData:
    if criterion.kind == "ladder":
        return AnswerData(criterion.code, option=1)
    return AnswerData(criterion.code, share=40.0)


def _save(assessment, user, criteria) -> None:
    assessment.refresh_from_db()
    assessment_answers_save(
        assessment=assessment,
        user=user,
        answers=[_answer(c) for c in criteria],
        revision=assessment.revision,
    )


def _pillars(draft):
    return framework_for(draft.framework).for_sector(draft.organisation.sector).pillars


def test_the_step_title_names_the_pillar_in_the_active_language(
    client, framework, organisation, owner
):
    draft = assessment_start(organisation=organisation, user=owner)
    client.force_login(owner)
    count = len(_pillars(draft))

    vietnamese = _title(client.get(_step_url(draft, 1)))
    english = _title(client.get(f"/en/assessment/{draft.public_id}/step-3/"))

    # Not the dataclass's repr, "Text(vi='…', en='…')", that it showed before.
    assert vietnamese.startswith(f"Trải nghiệm số cho khách hàng – Bước 1/{count} · ")
    assert english.startswith(f"Digital infrastructure and technology – Step 3/{count}")
    assert "Text(" not in vietnamese + english


def test_resume_opens_the_first_step_with_an_open_question(
    client, framework, organisation, owner
):
    client.force_login(owner)
    first = _begin(client, organisation)
    draft = organisation.assessments.get()
    # A new draft starts at step 1.
    assert first.url == _step_url(draft, 1)

    pillars = _pillars(draft)
    # Steps 1 and 2 complete, step 3 half done, step 4 untouched.
    _save(draft, owner, pillars[0].criteria + pillars[1].criteria)
    _save(draft, owner, pillars[2].criteria[:2])
    assert _begin(client, organisation).url == _step_url(draft, 3)

    # An open question on an earlier step comes first.
    draft.refresh_from_db()
    assessment_answers_save(
        assessment=draft,
        user=owner,
        answers=[AnswerData(pillars[1].criteria[0].code, note="Hỏi kế toán")],
        revision=draft.revision,
    )
    assert _begin(client, organisation).url == _step_url(draft, 2)

    # Everything answered: the review is next.
    _save(draft, owner, [c for p in pillars for c in p.criteria])
    assert _begin(client, organisation).url == reverse(
        "assessment:review", kwargs={"public_id": draft.public_id}
    )


def test_a_retake_prefilled_from_the_last_submission_starts_at_step_1(
    client, framework, organisation, owner
):
    submitted_assessment(organisation, owner)
    client.force_login(owner)
    response = _begin(client, organisation)
    draft = organisation.assessments.get(status="draft")
    assert draft.answers.count() > 0
    assert response.url == _step_url(draft, 1)
    draft.refresh_from_db()
    assert resume_step(assessment=draft, framework=framework_for(framework)) == 1


def test_the_review_lists_every_answer_by_pillar_with_links_to_edit_it(
    client, framework, organisation, owner
):
    draft = assessment_start(organisation=organisation, user=owner)
    pillars = _pillars(draft)
    _save(draft, owner, pillars[0].criteria[:1])
    client.force_login(owner)

    page = client.get(
        reverse("assessment:review", kwargs={"public_id": draft.public_id})
    ).content.decode()

    _unanswered, answers = page.split("Câu trả lời của bạn")
    for number, pillar in enumerate(pillars, start=1):
        assert f"Bước {number}: {pillar.title.vi}" in answers
        for criterion in pillar.criteria:
            # Each answer links to its own step, at its own question.
            assert f'href="{_step_url(draft, number)}#q-{criterion.code}"' in answers
    links = re.findall(r'href="[^"]*#q-[^"]*"', answers)
    assert len(links) == sum(len(p.criteria) for p in pillars)
    first = pillars[0].criteria[0]
    answered = first.options[1].label.vi
    assert re.search(
        rf"<dt>{first.code}\. [^<]*</dt>\s*<dd>{re.escape(answered)}", answers
    )
    assert "Sửa câu trả lời" in answers
    assert f"đã trả lời 1/{len(pillars[0].criteria)}" in answers
    # The anchor exists on the step page.
    step = client.get(_step_url(draft, 1)).content.decode()
    assert f'id="q-{first.code}"' in step


def test_the_step_page_shows_answered_over_total_for_every_pillar(
    client, framework, organisation, owner
):
    draft = assessment_start(organisation=organisation, user=owner)
    pillars = _pillars(draft)
    _save(draft, owner, pillars[0].criteria[:3] + pillars[1].criteria)
    draft.refresh_from_db()
    client.force_login(owner)

    page = client.get(_step_url(draft, 2)).content.decode()

    counts = re.findall(r'class="steps__count">(\d+)/(\d+)<', page)
    expected = [(3, len(pillars[0].criteria)), (len(pillars[1].criteria),) * 2]
    expected += [(0, len(p.criteria)) for p in pillars[2:]]
    assert [(int(a), int(t)) for a, t in counts] == expected
    # Read as text by screen readers ("3/13 answered"), not only coloured.
    assert re.search(r'3/13<span class="visually-hidden"> đã trả lời</span>', page)
    total = sum(len(p.criteria) for p in pillars)
    answered = 3 + len(pillars[1].criteria)
    assert f'<progress id="progress" max="{total}" value="{answered}">' in page
    progress = step_progress(
        framework=framework_for(framework).for_sector(organisation.sector),
        answers=answers_by_code(assessment=draft),
    )
    assert [(s.answered, s.total) for s in progress] == expected
    assert [s.is_complete for s in progress][:2] == [False, True]
