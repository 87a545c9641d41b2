"""Factories for the assessment app: frameworks, drafts and submitted assessments."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from assessment.frameworks import DEFAULT_FRAMEWORK_FILE
from assessment.models import Assessment, FrameworkVersion
from assessment.selectors import framework_for
from assessment.services.answers import AnswerData, assessment_answers_save
from assessment.services.frameworks import framework_version_save
from assessment.services.submissions import assessment_start, assessment_submit


def default_framework_data() -> dict:
    return json.loads(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))


def _text(vi: str, en: str | None = None) -> dict:
    return {"vi": vi, "en": en or vi}


def small_framework_data(version: str = "t1") -> dict:
    """Two pillars, three criteria: numbers in tests are easy to check by hand."""
    ladder = [
        {"score": 0, "label": _text("Không", "No")},
        {"score": 50, "label": _text("Một phần", "Partly")},
        {"score": 100, "label": _text("Có", "Yes")},
    ]
    recommendations = [
        {"level": level, "text": _text(f"Gợi ý {level}", f"Advice {level}")}
        for level in range(6)
    ]
    return {
        "code": "test-fw",
        "version": version,
        "title": _text("Khung thử", "Test framework"),
        "description": _text("Mô tả", "Description"),
        "levels": [
            {
                "level": level,
                "min_score": minimum,
                "name": _text(f"Mức {level}", f"Level {level}"),
                "description": _text("Mô tả", "Description"),
            }
            for level, minimum in enumerate((0, 10, 25, 50, 75, 90))
        ],
        "pillars": [
            {
                "code": "p1",
                "weight": 1,
                "title": _text("Trụ cột 1", "Pillar 1"),
                "description": _text("Mô tả", "Description"),
                "recommendations": copy.deepcopy(recommendations),
                "sub_indices": [
                    {
                        "code": "p1.s1",
                        "title": _text("Chỉ số 1", "Sub-index 1"),
                        "criteria": [
                            {
                                "code": "Q1",
                                "kind": "ladder",
                                "text": _text("Câu 1", "Question 1"),
                                "options": copy.deepcopy(ladder),
                            },
                            {
                                "code": "Q2",
                                "kind": "share",
                                "weight": 3,
                                "allow_not_applicable": True,
                                "text": _text("Câu 2", "Question 2"),
                            },
                        ],
                    }
                ],
            },
            {
                "code": "p2",
                "weight": 1,
                "title": _text("Trụ cột 2", "Pillar 2"),
                "description": _text("Mô tả", "Description"),
                "recommendations": copy.deepcopy(recommendations),
                "sub_indices": [
                    {
                        "code": "p2.s1",
                        "title": _text("Chỉ số 2", "Sub-index 2"),
                        "criteria": [
                            {
                                "code": "Q3",
                                "kind": "ladder",
                                "allow_not_applicable": True,
                                "text": _text("Câu 3", "Question 3"),
                                "options": copy.deepcopy(ladder),
                            }
                        ],
                    }
                ],
            },
        ],
    }


def published_default_framework() -> FrameworkVersion:
    return framework_version_save(data=default_framework_data(), status="published")


def submitted_assessment(
    organisation,
    user,
    *,
    option: int = 2,
    share: float = 50.0,
    answered: int | None = None,
) -> Assessment:
    """A submitted assessment answering every question the same way
    (only the first ``answered`` questions when given)."""
    draft = assessment_start(organisation=organisation, user=user)
    framework = framework_for(draft.framework).for_sector(organisation.sector)
    answers = [
        AnswerData(c.code, option=min(option, len(c.options) - 1))
        if c.kind == "ladder"
        else AnswerData(c.code, share=share)
        for c in framework.criteria[:answered]
    ]
    assessment_answers_save(
        assessment=draft, user=user, answers=answers, revision=draft.revision
    )
    return assessment_submit(assessment=draft, user=user)
