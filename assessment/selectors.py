"""Reads of the assessment app: frameworks, an organisation's results, peers,
province aggregates. Every aggregate is one SQL query (no Python loops over rows)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.http import Http404

from organisations.models import Commune, Organisation
from organisations.selectors import user_is_member, user_is_province_staff

from .framework import Framework, Pillar, parse
from .models import (
    Answer,
    Assessment,
    CriterionTotal,
    FrameworkVersion,
    PillarResult,
    PillarTotal,
    PillarYearTotal,
    ProvinceFiguresStamp,
)

DEFAULT_FRAMEWORK_CODE = "ag-dbi-sme"
# Below this many organisations a figure could identify a firm, so it is hidden.
MIN_GROUP = 5
DIMENSIONS = ("sector", "size_class", "kind", "commune")

if TYPE_CHECKING:
    from accounts.models import User


@lru_cache(maxsize=32)
def _parse_cached(public_id, published_at: str) -> Framework:
    # Keyed by the random public id: published definitions never change.
    version = FrameworkVersion.objects.get(public_id=public_id)
    return parse(version.definition)


def framework_for(version: FrameworkVersion) -> Framework:
    """The parsed framework of a stored version (published ones are cached)."""
    if version.status == FrameworkVersion.Status.DRAFT:
        return parse(version.definition)
    return _parse_cached(version.public_id, str(version.published_at))


def framework_published_latest(
    *,
    code: str = DEFAULT_FRAMEWORK_CODE,
) -> FrameworkVersion | None:
    return (
        FrameworkVersion.objects.filter(
            code=code, status=FrameworkVersion.Status.PUBLISHED
        )
        .order_by("-published_at")
        .first()
    )


def user_can_view_organisation(*, user: User, organisation: Organisation) -> bool:
    return user_is_member(user=user, organisation=organisation) or (
        user_is_province_staff(user=user)
    )


def assessment_for_user(*, public_id: uuid.UUID, user: User) -> Assessment:
    """The assessment if ``user`` may see it; 404 otherwise (no existence leak)."""
    assessment = (
        Assessment.objects.select_related("organisation", "framework")
        .filter(public_id=public_id)
        .first()
    )
    if assessment is None or not user_can_view_organisation(
        user=user, organisation=assessment.organisation
    ):
        raise Http404
    return assessment


def answers_by_code(*, assessment: Assessment) -> dict[str, Answer]:
    return {a.criterion_code: a for a in assessment.answers.all()}


def answer_is_given(answer: Answer | None) -> bool:
    """An answer, "not applicable" included; a note alone answers nothing."""
    return answer is not None and (
        answer.option is not None or answer.share is not None or answer.not_applicable
    )


@dataclass(frozen=True)
class StepProgress:
    """One wizard step (a pillar): its number, and its questions answered."""

    number: int
    pillar: Pillar
    answered: int
    total: int

    @property
    def is_complete(self) -> bool:
        return self.answered == self.total


def step_progress(
    *, framework: Framework, answers: Mapping[str, Answer]
) -> tuple[StepProgress, ...]:
    return tuple(
        StepProgress(
            number=number,
            pillar=pillar,
            answered=sum(answer_is_given(answers.get(c.code)) for c in pillar.criteria),
            total=len(pillar.criteria),
        )
        for number, pillar in enumerate(framework.pillars, start=1)
    )


def resume_step(*, assessment: Assessment, framework: Framework) -> int | None:
    """The step a returning user continues at: the first with an open question.

    None when every question is answered (the review is next). A draft nobody
    has saved yet (revision 0; a retake is pre-filled from the last
    submission) starts at step 1, so the pre-filled answers are seen.
    """
    if assessment.revision == 0:
        return 1
    steps = step_progress(
        framework=framework, answers=answers_by_code(assessment=assessment)
    )
    return next((s.number for s in steps if not s.is_complete), None)


def assessments_submitted(*, organisation: Organisation) -> QuerySet[Assessment]:
    return organisation.assessments.filter(status=Assessment.Status.SUBMITTED).order_by(
        "submitted_at"
    )


@dataclass(frozen=True)
class ProgressPoint:
    assessment: Assessment
    pillar_scores: dict[str, float | None]


def progress(*, organisation: Organisation) -> list[ProgressPoint]:
    """Every submitted assessment of the organisation, oldest first, with pillars."""
    assessments = list(assessments_submitted(organisation=organisation))
    by_assessment: dict[int, dict[str, float | None]] = {a.pk: {} for a in assessments}
    for row in PillarResult.objects.filter(assessment__in=assessments).values(
        "assessment_id", "pillar_code", "score"
    ):
        by_assessment[row["assessment_id"]][row["pillar_code"]] = row["score"]
    return [
        ProgressPoint(assessment=a, pillar_scores=by_assessment[a.pk])
        for a in assessments
    ]


@dataclass(frozen=True)
class PillarPeers:
    """The peers of one pillar: how many scored it, and their average.

    ``average`` is None below ``MIN_GROUP`` (the cell is suppressed): a
    pillar that some peers had as not applicable has fewer peers than the
    overall figure, and is hidden on its own count.
    """

    count: int
    average: float | None

    @property
    def is_shown(self) -> bool:
        return self.average is not None


@dataclass(frozen=True)
class Peers:
    count: int
    overall: float | None
    pillars: dict[str, PillarPeers] = field(default_factory=dict)


def _peer_assessments(*, assessment: Assessment) -> QuerySet[Assessment]:
    """Each other organisation's latest counted submission in the same group."""
    return (
        Assessment.objects.counted()
        .filter(
            is_latest=True,
            sector=assessment.sector,
            size_class=assessment.size_class,
            framework__code=assessment.framework.code,
        )
        .exclude(organisation_id=assessment.organisation_id)
    )


def peers_for(*, assessment: Assessment) -> Peers | None:
    """Averages of other organisations with the same sector and size class.

    Counts only each peer's latest submission, and only when it counts
    (``Assessment.objects.counted()``): unverified organisations and half-empty
    submissions are no peers, so nobody can surround a real firm with made-up
    ones of known answers and read its scores out of the average. The overall
    figure and every pillar's figure are computed over that one set; each is
    hidden below ``MIN_GROUP`` peers on its own count. None when the overall
    group is too small (then no pillar can reach it either).
    """
    if not assessment.is_submitted:
        return None
    peers = _peer_assessments(assessment=assessment)
    summary = peers.aggregate(count=Count("id"), overall=Avg("overall_score"))
    if summary["count"] < MIN_GROUP:
        return None
    rows = (
        PillarResult.objects.filter(assessment__in=peers, score__isnull=False)
        .values("pillar_code")
        .annotate(count=Count("assessment_id"), average=Avg("score"))
        .values_list("pillar_code", "count", "average")
    )
    pillars = {
        code: PillarPeers(count=count, average=average if count >= MIN_GROUP else None)
        for code, count, average in rows
    }
    return Peers(count=summary["count"], overall=summary["overall"], pillars=pillars)


# --- Province dashboard and open data --------------------------------------------


@dataclass(frozen=True)
class Filters:
    sector: str = ""
    size_class: str = ""
    kind: str = ""
    commune_id: int | None = None
    year: int | None = None

    def q(self, prefix: str = "", *, year_field: str = "submitted_quarter__year") -> Q:
        query = Q()
        if self.sector:
            query &= Q(**{f"{prefix}sector": self.sector})
        if self.size_class:
            query &= Q(**{f"{prefix}size_class": self.size_class})
        if self.kind:
            query &= Q(**{f"{prefix}kind": self.kind})
        if self.commune_id:
            query &= Q(**{f"{prefix}commune_id": self.commune_id})
        if self.year:
            # The local year, as submitted_at__year, on the indexed quarter.
            query &= Q(**{f"{prefix}{year_field}": self.year})
        return query


def _latest(*, filters: Filters) -> QuerySet[Assessment]:
    """Each organisation's latest counted submission (what the totals hold)."""
    # The status is implied by in_totals; it lets the planner use the covering
    # index that starts with it.
    return Assessment.objects.filter(
        filters.q(), status=Assessment.Status.SUBMITTED, in_totals=True
    )


def dashboard_counts(*, filters: Filters) -> dict[str, int]:
    """Counted submissions, and organisations with a latest counted one."""
    return (
        Assessment.objects.counted()
        .filter(filters.q())
        .aggregate(
            # Not COUNT(id): the id is not in the covering index, and counting
            # it would read every row from the table.
            assessments=Count("*"),
            organisations=Count("organisation_id", filter=Q(in_totals=True)),
        )
    )


def level_distribution(*, filters: Filters) -> dict[int, int]:
    rows = (
        _latest(filters=filters)
        .values("level")
        .annotate(n=Count("*"))
        .order_by("level")
    )
    found = {row["level"]: row["n"] for row in rows}
    return {level: found.get(level, 0) for level in range(6)}


class PillarRow(NamedTuple):
    group: object
    pillar_code: str
    organisations: int
    average: float | None


def pillar_averages(*, filters: Filters, dimension: str) -> list[PillarRow]:
    """Rows of (group, pillar_code, organisations, average) for one dimension.

    Reads the running totals (by year when a year is chosen), which hold
    only counted submissions.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    totals = PillarYearTotal if filters.year else PillarTotal
    group = "commune_id" if dimension == "commune" else dimension
    rows = (
        totals.objects.filter(filters.q(year_field="year"), organisations__gt=0)
        .values(group, "pillar_code")
        .annotate(
            total=Sum("organisations"),
            average=Sum("score_sum") / Cast(Sum("organisations"), FloatField()),
        )
        .order_by(group, "pillar_code")
        .values_list(group, "pillar_code", "total", "average")
    )
    if dimension != "commune":
        return [PillarRow(*row) for row in rows]
    names = dict(Commune.objects.values_list("id", "name"))
    result = [
        PillarRow(names.get(commune_id), code, total, average)
        for commune_id, code, total, average in rows
    ]
    return sorted(result, key=lambda r: (r.group or "", r.pillar_code))


def province_figures_token() -> str | None:
    """Changes whenever the province figures may change (see the model)."""
    token = ProvinceFiguresStamp.objects.values_list("token", flat=True).first()
    return None if token is None else token.hex


def trend_by_quarter(*, filters: Filters) -> list:
    """Assessments, organisations and average score per local quarter.

    Groups on the stored quarter: an index-only scan in PostgreSQL instead of a
    time-zone conversion and sort of every submitted assessment.
    """
    return list(
        Assessment.objects.counted()
        .filter(filters.q())
        .annotate(quarter=F("submitted_quarter"))
        .values("quarter")
        .annotate(
            assessments=Count("*"),
            organisations=Count("organisation_id", distinct=True),
            average=Avg("overall_score"),
        )
        .order_by("quarter")
        .values_list("quarter", "assessments", "organisations", "average", named=True)
    )


def weakest_criteria(*, filters: Filters, limit: int = 10) -> list:
    """Lowest average criterion scores over each organisation's latest assessment.

    Reads the running totals (small) unless a commune is chosen: the totals
    have no commune, so that reads the answers of the commune's latest
    assessments (one commune holds a few hundred organisations).
    """
    if filters.commune_id:
        return list(
            Answer.objects.filter(
                filters.q("assessment__"),
                assessment__in_totals=True,
                score__isnull=False,
            )
            .values("criterion_code")
            .annotate(organisations=Count("id"), average=Avg("score"))
            .order_by("average", "criterion_code")
            .values_list("criterion_code", "organisations", "average", named=True)[
                :limit
            ]
        )
    rows = (
        CriterionTotal.objects.filter(filters.q(year_field="year"), organisations__gt=0)
        .values("criterion_code")
        .annotate(
            total=Sum("organisations"),
            average=Sum("score_sum") / Cast(Sum("organisations"), FloatField()),
        )
        .order_by("average", "criterion_code")
        .values_list("criterion_code", "total", "average")[:limit]
    )
    return [CriterionRow(code, total, average) for code, total, average in rows]


class CriterionRow(NamedTuple):
    criterion_code: str
    organisations: int
    average: float
