"""The wizard's answers: validation and saving one step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from organisations.selectors import user_is_member

from .. import scoring
from ..errors import (
    AnswerInvalid,
    AssessmentFrozen,
    Conflict,
    NotAllowed,
    StaleAnswers,
)
from ..framework import Framework
from ..models import Answer, Assessment
from ..selectors import framework_for

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class AnswerData:
    """One answer as the wizard posts it."""

    criterion_code: str
    option: int | None = None
    share: float | None = None
    not_applicable: bool = False
    note: str = ""


# Notes are plain text; markup is refused rather than silently stripped.
_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&#?\w+;")


def answer_validate(*, framework: Framework, data: AnswerData) -> scoring.AnswerInput:
    criterion = framework.criterion(data.criterion_code)
    if criterion is None:
        raise AnswerInvalid(
            _(
                "The question %(code)s is not part of this assessment's framework "
                "version; reload the page."
            )
            % {"code": data.criterion_code}
        )
    if data.note and _HTML_RE.search(data.note):
        raise AnswerInvalid(
            _(
                "Notes are plain text: please remove the HTML from your note on %(code)s."
            )
            % {"code": data.criterion_code}
        )
    if len(data.note) > 1000:
        raise AnswerInvalid(_("A note can be at most 1000 characters long."))
    if data.not_applicable and not criterion.allow_not_applicable:
        raise AnswerInvalid(
            _("'Not applicable' is not allowed for %(code)s.")
            % {"code": data.criterion_code}
        )
    if criterion.kind == "ladder":
        if data.share is not None:
            raise AnswerInvalid(
                _("%(code)s is answered by choosing an option.")
                % {"code": data.criterion_code}
            )
        if data.option is not None and not 0 <= data.option < len(criterion.options):
            raise AnswerInvalid(
                _("The chosen option does not exist for %(code)s.")
                % {"code": data.criterion_code}
            )
    else:
        if data.option is not None:
            raise AnswerInvalid(
                _("%(code)s is answered with a percentage.")
                % {"code": data.criterion_code}
            )
        if data.share is not None and not 0 <= data.share <= 100:
            raise AnswerInvalid(_("A percentage must be between 0 and 100."))
    return scoring.AnswerInput(
        option=None if data.not_applicable else data.option,
        share=None if data.not_applicable else data.share,
        not_applicable=data.not_applicable,
    )


def answer_is_blank(*, data: AnswerData) -> bool:
    return data.option is None and data.share is None and not data.not_applicable


def _same(*, answer: Answer, data: AnswerData) -> bool:
    return (
        answer.option == data.option
        and answer.share == data.share
        and answer.not_applicable == data.not_applicable
        and answer.note == data.note
    )


def assessment_lock_draft(*, assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.DRAFT:
        raise AssessmentFrozen
    return locked


@transaction.atomic
def assessment_answers_save(
    *,
    assessment: Assessment,
    user: User,
    answers: list[AnswerData],
    revision: int,
    force: bool = False,
) -> Assessment:
    """Save one step's answers, all or nothing.

    ``revision`` is the assessment revision the form was built from. If
    another member has since changed one of these answers to something else,
    ``StaleAnswers`` is raised with both versions and nothing is written, so no
    answer is silently lost; ``force`` (after the user has seen them) overwrites.
    Raises ``AssessmentFrozen`` for a submitted assessment and ``AnswerInvalid``
    for an answer that does not fit its question.
    """
    assessment = assessment_lock_draft(assessment=assessment)
    if not user_is_member(user=user, organisation=assessment.organisation):
        raise NotAllowed(_("You are not a member of this organisation."))
    framework = framework_for(assessment.framework)
    for data in answers:
        answer_validate(framework=framework, data=data)
    existing = {
        a.criterion_code: a
        for a in assessment.answers.filter(
            criterion_code__in=[d.criterion_code for d in answers]
        )
    }
    conflicts = [
        Conflict(criterion_code=d.criterion_code, theirs=existing[d.criterion_code])
        for d in answers
        if d.criterion_code in existing
        and existing[d.criterion_code].revision > revision
        and not _same(answer=existing[d.criterion_code], data=d)
    ]
    if conflicts and not force:
        raise StaleAnswers(conflicts=conflicts, revision=assessment.revision)
    assessment.revision += 1
    assessment.save(update_fields=["revision", "updated_at"])
    for data in answers:
        current = existing.get(data.criterion_code)
        if answer_is_blank(data=data) and not data.note:
            if current is not None:
                current.delete()
            continue
        if current is not None and _same(answer=current, data=data):
            continue
        Answer.objects.update_or_create(
            assessment=assessment,
            criterion_code=data.criterion_code,
            defaults={
                "option": None if data.not_applicable else data.option,
                "share": None if data.not_applicable else data.share,
                "not_applicable": data.not_applicable,
                "note": data.note,
                "revision": assessment.revision,
                "updated_by": user,
            },
        )
    return assessment


def answers_as_inputs(*, assessment: Assessment) -> dict[str, scoring.AnswerInput]:
    return {
        a.criterion_code: scoring.AnswerInput(a.option, a.share, a.not_applicable)
        for a in assessment.answers.all()
    }
