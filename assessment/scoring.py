"""Scoring: answers + framework -> scores 0-100 and levels. Pure, no Django.

Aggregation is bottom-up by weighted arithmetic mean (criterion -> sub-index ->
pillar -> overall), the way the DBI family of indices is described. A criterion
marked "not applicable" leaves the denominator; a sub-index or pillar whose
criteria are all not applicable leaves the level above it. An unanswered
criterion scores 0: the review page lists unanswered questions before submit.

Every arithmetic step is monotonic (IEEE addition, multiplication by a positive
weight and division by a positive total never decrease when an input rises), so
a better answer can never lower any score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .framework import Criterion, Framework


@dataclass(frozen=True)
class AnswerInput:
    """One answer: an option index (ladders), a share 0-100, or not applicable."""

    option: int | None = None
    share: float | None = None
    not_applicable: bool = False


@dataclass(frozen=True)
class SubIndexScore:
    code: str
    score: float | None  # None: every criterion was not applicable


@dataclass(frozen=True)
class PillarScore:
    code: str
    score: float | None
    level: int | None
    sub_indices: tuple[SubIndexScore, ...]


@dataclass(frozen=True)
class Result:
    overall: float
    level: int
    pillars: tuple[PillarScore, ...]
    criteria: tuple[tuple[str, float | None], ...]  # (code, score) in framework order

    def pillar(self, code: str) -> PillarScore | None:
        return next((p for p in self.pillars if p.code == code), None)


class AnswerError(ValueError):
    """An answer does not fit its criterion (unknown option, share out of range)."""


def criterion_score(criterion: Criterion, answer: AnswerInput | None) -> float | None:
    """Score 0-100 of one criterion; None when not applicable."""
    if answer is None:
        return 0.0
    if answer.not_applicable:
        if not criterion.allow_not_applicable:
            raise AnswerError(f"{criterion.code}: 'not applicable' is not allowed.")
        return None
    if criterion.kind == "ladder":
        if answer.option is None:
            return 0.0
        if not 0 <= answer.option < len(criterion.options):
            raise AnswerError(f"{criterion.code}: option {answer.option} out of range.")
        return criterion.options[answer.option].score
    if answer.share is None:
        return 0.0
    if not 0 <= answer.share <= 100:
        raise AnswerError(f"{criterion.code}: share {answer.share} is not 0-100.")
    return min(answer.share / criterion.full_at, 1.0) * 100.0


def _mean(pairs: list[tuple[float, float | None]]) -> float | None:
    """Weighted mean over the (weight, score) pairs whose score is not None."""
    applicable = [(w, s) for w, s in pairs if s is not None]
    if not applicable:
        return None
    total = sum(w for w, _ in applicable)
    return min(100.0, max(0.0, sum(w * s for w, s in applicable) / total))


def score(framework: Framework, answers: Mapping[str, AnswerInput]) -> Result:
    """Score ``answers`` (by criterion code) against ``framework``.

    Answers to codes that are not in the framework are ignored here; the
    service refuses them before they are stored. Raises ``AnswerError`` for an
    answer that does not fit its criterion.
    """
    criteria_scores: list[tuple[str, float | None]] = []
    pillar_scores: list[PillarScore] = []
    for pillar in framework.pillars:
        sub_scores: list[SubIndexScore] = []
        for sub_index in pillar.sub_indices:
            pairs = []
            for criterion in sub_index.criteria:
                value = criterion_score(criterion, answers.get(criterion.code))
                criteria_scores.append((criterion.code, value))
                pairs.append((criterion.weight, value))
            sub_scores.append(SubIndexScore(sub_index.code, _mean(pairs)))
        pillar_value = _mean(
            [
                (s.weight, sub.score)
                for s, sub in zip(pillar.sub_indices, sub_scores, strict=True)
            ]
        )
        pillar_scores.append(
            PillarScore(
                pillar.code,
                pillar_value,
                None if pillar_value is None else framework.level_for(pillar_value),
                tuple(sub_scores),
            )
        )
    overall = _mean(
        [
            (p.weight, ps.score)
            for p, ps in zip(framework.pillars, pillar_scores, strict=True)
        ]
    )
    overall_value = 0.0 if overall is None else overall
    return Result(
        overall=overall_value,
        level=framework.level_for(overall_value),
        pillars=tuple(pillar_scores),
        criteria=tuple(criteria_scores),
    )


# --- What counts in figures about other organisations ------------------------------

# A submission with fewer than this share of its framework's questions answered
# says little about the firm and is easy to fabricate in bulk: it counts in no
# peer average, dashboard figure, open-data cell or running total.
COUNTED_MIN_SHARE = 0.5


def answered_share(framework: Framework, answers: Mapping[str, AnswerInput]) -> float:
    """Share 0-1 of ``framework``'s questions with an answer.

    "Not applicable" is an answer; a blank one (no option, no share) is not.
    Answers to codes outside the framework do not count.
    """
    criteria = framework.criteria
    if not criteria:
        return 0.0
    answered = 0
    for criterion in criteria:
        answer = answers.get(criterion.code)
        if answer is not None and (
            answer.not_applicable
            or answer.option is not None
            or answer.share is not None
        ):
            answered += 1
    return answered / len(criteria)


def counts_in_figures(*, organisation_verified: bool, share: float | None) -> bool:
    """The one rule: does a submission count in figures other people see?

    Only organisations province staff verified count (an organisation anybody
    can type in could otherwise be used, five at a time, to read a named
    firm's scores out of a peer average), and only submissions with at least
    ``COUNTED_MIN_SHARE`` of the questions answered.
    ``Assessment.objects.counted()`` is the same rule in SQL.
    """
    return organisation_verified and share is not None and share >= COUNTED_MIN_SHARE
