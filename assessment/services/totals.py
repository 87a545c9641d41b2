"""Province running totals and the figures stamp, kept inside the writers' transactions."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from organisations.models import Organisation

from .. import scoring
from ..models import (
    Answer,
    Assessment,
    CriterionTotal,
    FrameworkVersion,
    PillarResult,
    PillarTotal,
    PillarYearTotal,
    ProvinceFiguresStamp,
)


def counts_in_figures(*, assessment: Assessment, organisation: Organisation) -> bool:
    """``scoring.counts_in_figures`` for a stored submission."""
    return assessment.is_submitted and scoring.counts_in_figures(
        organisation_verified=organisation.is_verified,
        share=assessment.answered_share,
    )


def totals_enter(*, assessment: Assessment, organisation: Organisation) -> None:
    """Make the organisation's new latest submission part of the totals if it counts."""
    if counts_in_figures(assessment=assessment, organisation=organisation):
        criterion_totals_apply(assessment=assessment, sign=1)
        assessment.in_totals = True
    else:
        assessment.in_totals = False
    Assessment.objects.filter(pk=assessment.pk).update(in_totals=assessment.in_totals)


def totals_leave(*, assessment: Assessment) -> None:
    """Take a submission out of the totals (no-op when it was not in them)."""
    if assessment.in_totals:
        criterion_totals_apply(assessment=assessment, sign=-1)
    assessment.in_totals = False
    Assessment.objects.filter(pk=assessment.pk).update(in_totals=False)


@transaction.atomic
def organisation_totals_sync(*, organisation: Organisation) -> bool:
    """(Re)apply or remove the organisation's latest submission after its
    verification changed; idempotent. Returns whether the totals changed.

    Verifying an organisation (the joining app's approval) makes its latest
    counted submission enter the peer averages, the dashboard and open data;
    withdrawing verification takes it out again. Calling it again, or for an
    organisation whose state did not change, changes nothing.
    """
    # The organisation row first, as submit and delete do.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = False
    # Repair: only the latest submission may ever be in the totals.
    for stale in organisation.assessments.filter(in_totals=True, is_latest=False):
        totals_leave(assessment=stale)
        changed = True
    latest = organisation.assessments.filter(is_latest=True).first()
    if latest is not None:
        should = counts_in_figures(assessment=latest, organisation=organisation)
        if should and not latest.in_totals:
            totals_enter(assessment=latest, organisation=organisation)
            changed = True
        elif not should and latest.in_totals:
            totals_leave(assessment=latest)
            changed = True
    # The dashboard's counts and trend read every counted submission (not only
    # the latest), so a verification change moves them even when the totals
    # stay: give cached figures a new stamp whenever submissions exist.
    if (
        changed
        or organisation.assessments.filter(status=Assessment.Status.SUBMITTED).exists()
    ):
        province_figures_changed()
    return changed


def criterion_totals_apply(*, assessment: Assessment, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one latest counted assessment's scores.

    Callers go through ``totals_enter``/``totals_leave``, which keep
    ``in_totals`` in step.

    Updates the criterion and pillar running totals inside the submit/delete
    transaction, with the organisation row locked, so one organisation is
    never counted twice.
    """
    key = {
        "framework_code": assessment.framework.code,
        "sector": assessment.sector,
        "size_class": assessment.size_class,
        "kind": assessment.kind,
    }
    criteria = assessment.answers.filter(score__isnull=False).values_list(
        "criterion_code", "score"
    )
    pillars = assessment.pillar_results.filter(score__isnull=False).values_list(
        "pillar_code", "score"
    )
    quarter = assessment.submitted_quarter
    year = quarter.year if quarter else 0
    commune = assessment.commune_id or 0
    for model, field, rows, group in (
        (CriterionTotal, "criterion_code", criteria, {**key, "year": year}),
        # Pillar tables are also shown by commune; criteria are not.
        (PillarTotal, "pillar_code", pillars, {**key, "commune_id": commune}),
        (
            PillarYearTotal,
            "pillar_code",
            pillars,
            {**key, "commune_id": commune, "year": year},
        ),
    ):
        for code, value in rows:
            if value is None:  # excluded by the query; the row type allows it
                continue
            _total_add(model, key={field: code, **group}, sign=sign, value=value)


def _total_add(
    model: type[CriterionTotal | PillarTotal | PillarYearTotal],
    *,
    key: dict,
    sign: int,
    value: float,
) -> None:
    updated = model.objects.filter(**key).update(
        organisations=F("organisations") + sign,
        score_sum=F("score_sum") + sign * value,
    )
    if updated or sign < 0:
        return
    try:
        with transaction.atomic():
            model.objects.create(organisations=1, score_sum=value, **key)
    except IntegrityError:
        # Another organisation of the same group created the row meanwhile.
        model.objects.filter(**key).update(
            organisations=F("organisations") + 1, score_sum=F("score_sum") + value
        )


@transaction.atomic
def criterion_totals_rebuild() -> int:
    """Recompute the criterion and pillar totals from the submissions in them
    (``in_totals``: each organisation's latest counted one).

    Three INSERT ... SELECT statements in the database (after bulk imports or to
    repair drift); returns the number of rows written.
    """
    for model in (CriterionTotal, PillarTotal, PillarYearTotal):
        model.objects.all().delete()
    assessment = Assessment._meta.db_table
    version = FrameworkVersion._meta.db_table
    written = 0
    year, year_params = connection.ops.date_extract_sql(
        "year", "a.submitted_quarter", ()
    )
    year = f"COALESCE({year}, 0)"
    commune = "COALESCE(a.commune_id, 0)"
    with connection.cursor() as cursor:
        # (totals, source, code, extra group columns and their expressions, params)
        for total, source, code, extra, params in (
            (CriterionTotal, Answer, "criterion_code", {"year": year}, year_params),
            (PillarTotal, PillarResult, "pillar_code", {"commune_id": commune}, ()),
            (
                PillarYearTotal,
                PillarResult,
                "pillar_code",
                {"commune_id": commune, "year": year},
                year_params,
            ),
        ):
            columns = ", ".join(extra)
            values = ", ".join(extra.values())
            cursor.execute(
                f"""
                INSERT INTO {total._meta.db_table} (framework_code, {code}, sector,
                    size_class, kind, {columns}, organisations, score_sum)
                SELECT v.code, s.{code}, a.sector, a.size_class, a.kind, {values},
                       COUNT(*), SUM(s.score)
                FROM {source._meta.db_table} s
                JOIN {assessment} a ON a.id = s.assessment_id
                JOIN {version} v ON v.id = a.framework_id
                WHERE a.in_totals AND s.score IS NOT NULL
                GROUP BY v.code, s.{code}, a.sector, a.size_class, a.kind, {values}
                """,  # noqa: S608 - names come from model metadata, no user input
                # The year's parameters appear in SELECT and in GROUP BY.
                tuple(params) * 2,
            )
            written += cursor.rowcount
    province_figures_changed()
    return written


def province_figures_changed() -> None:
    """Give the province figures a new stamp, inside the caller's transaction.

    Submit and delete call it, so the row lock also orders concurrent
    changes: a reader that sees a token sees every change committed before it.
    """
    if not ProvinceFiguresStamp.objects.update(
        token=uuid.uuid4(), changed_at=timezone.now()
    ):
        ProvinceFiguresStamp.objects.create()
