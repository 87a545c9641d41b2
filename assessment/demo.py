"""Demo content for the assessment: the default framework, published, and a few
submitted assessments (HTX Hưng Phát has three, so progress shows, and five
peers of the same sector and size class, so the peer comparison shows).

Idempotent: an organisation that already has a submitted assessment is skipped.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from organisations.models import Membership, Organisation

from .models import Assessment
from .selectors import framework_for
from .services import (
    AnswerData,
    assessment_answers_save,
    assessment_start,
    assessment_submit,
    criterion_totals_rebuild,
    framework_version_save,
    quarter_of,
)

FRAMEWORK_FILE = (
    Path(__file__).resolve().parent / "frameworks" / "ag-dbi-sme-2026.1.json"
)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# (tax code, [(submitted date, maturity 0..1), ...]) – dates oldest first.
DEMO_ASSESSMENTS: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    (
        "1601234561",  # HTX Hưng Phát: three rounds, improving
        (("2025-06-12", 0.25), ("2025-12-03", 0.42), ("2026-06-18", 0.58)),
    ),
    ("1701234572", (("2026-04-09", 0.45),)),  # Tôm Lúa U Minh
    ("1601234581", (("2026-03-20", 0.30),)),
    ("1601234582", (("2026-05-14", 0.38),)),
    ("1601234583", (("2026-02-25", 0.52),)),
    ("1601234584", (("2026-07-30", 0.35),)),
    ("1601234562", (("2026-05-06", 0.66),)),  # Gạo Thơm Tri Tôn
    ("1601234563", (("2025-11-19", 0.22), ("2026-08-27", 0.34))),
    ("1601234570", (("2026-09-10", 0.28),)),
)


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
    framework_version_save(
        data=json.loads(FRAMEWORK_FILE.read_text(encoding="utf-8")),
        status="published",
    )
    backdated = False
    for tax_code, rounds in DEMO_ASSESSMENTS:
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
        for day, maturity in rounds:
            draft = assessment_start(organisation=organisation, user=owner.user)
            framework = framework_for(draft.framework).for_sector(organisation.sector)
            assessment_answers_save(
                assessment=draft,
                user=owner.user,
                answers=_answers(framework, maturity, rng),
                revision=draft.revision,
            )
            submitted = assessment_submit(assessment=draft, user=owner.user)
            when = datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ)
            Assessment.objects.filter(pk=submitted.pk).update(
                submitted_at=when, submitted_quarter=quarter_of(when), created_at=when
            )
            backdated = True
    if backdated:
        # The backdating moved assessments to other quarters and years.
        criterion_totals_rebuild()
