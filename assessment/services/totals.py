"""Province running totals and the figures stamp, kept inside the writers' transactions."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

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


def criterion_totals_apply(*, assessment: Assessment, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one latest assessment's scores.

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
    """Recompute the criterion and pillar totals from the latest assessments.

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
                WHERE a.is_latest AND s.score IS NOT NULL
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
