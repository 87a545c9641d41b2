"""Demo assessments (data: demo/data/assessments.yaml): the default framework,
published, and a few submitted assessments, created through the assessment
app's services as the wizard would.

Idempotent: an organisation that already has a submitted assessment is skipped.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from assessment.frameworks import DEFAULT_FRAMEWORK_FILE
from assessment.models import Assessment
from assessment.selectors import framework_for
from assessment.services.answers import AnswerData, assessment_answers_save
from assessment.services.frameworks import framework_version_save
from assessment.services.submissions import (
    assessment_start,
    assessment_submit,
    quarter_of,
)
from assessment.services.totals import criterion_totals_rebuild
from organisations.models import Membership, Organisation

from .data import load


def _answers(framework, maturity: float, rng: random.Random) -> list[AnswerData]:
    answers = []
    for criterion in framework.criteria:
        roll = min(1.0, max(0.0, rng.gauss(maturity, 0.2)))
        if criterion.allow_not_applicable and rng.random() < 0.1:
            answers.append(AnswerData(criterion.code, not_applicable=True))
        elif criterion.kind == "ladder":
            option = round(roll * (len(criterion.options) - 1))
            answers.append(AnswerData(criterion.code, option=option))
        else:
            answers.append(AnswerData(criterion.code, share=round(roll * 100)))
    return answers


def seed() -> None:
    data = load("assessments")
    timezone = ZoneInfo(data["timezone"])
    framework_version_save(
        data=json.loads(DEFAULT_FRAMEWORK_FILE.read_text(encoding="utf-8")),
        status="published",
    )
    backdated = False
    for entry in data["assessments"]:
        tax_code = entry["tax_code"]
        organisation = Organisation.objects.filter(tax_code=tax_code).first()
        if (
            organisation is None
            or organisation.assessments.filter(
                status=Assessment.Status.SUBMITTED
            ).exists()
        ):
            continue
        owner = (
            Membership.objects.filter(
                organisation=organisation, role=Membership.Role.OWNER
            )
            .select_related("user")
            .first()
        )
        if owner is None:
            continue
        rng = random.Random(tax_code)  # noqa: S311 - demo data, not security
        for round_ in entry["rounds"]:
            draft = assessment_start(organisation=organisation, user=owner.user)
            framework = framework_for(draft.framework).for_sector(organisation.sector)
            assessment_answers_save(
                assessment=draft,
                user=owner.user,
                answers=_answers(framework, round_["maturity"], rng),
                revision=draft.revision,
            )
            submitted = assessment_submit(assessment=draft, user=owner.user)
            day = date.fromisoformat(round_["submitted_on"])
            when = datetime.combine(day, datetime.min.time()).replace(
                hour=data["submitted_hour"], tzinfo=timezone
            )
            Assessment.objects.filter(pk=submitted.pk).update(
                submitted_at=when, submitted_quarter=quarter_of(when), created_at=when
            )
            backdated = True
    if backdated:
        # The backdating moved assessments to other quarters and years.
        criterion_totals_rebuild()
