"""Backfill answered_share and in_totals, then rebuild the running totals so
they hold only counted submissions (verified organisation, at least half of
the questions answered).

The framework parser and the share rule are the app's pure modules (no
Django): the stored definitions are read the way submit reads them.
"""

import uuid

from django.db import migrations

from assessment.framework import parse
from assessment.scoring import AnswerInput, answered_share, counts_in_figures


def backfill(apps, schema_editor):
    Assessment = apps.get_model("assessment", "Assessment")
    Answer = apps.get_model("assessment", "Answer")
    frameworks = {}
    submitted = Assessment.objects.filter(status="submitted").select_related(
        "framework", "organisation"
    )
    for assessment in submitted.iterator(chunk_size=500):
        version = assessment.framework
        if version.pk not in frameworks:
            frameworks[version.pk] = parse(version.definition)
        framework = frameworks[version.pk].for_sector(assessment.sector)
        inputs = {
            code: AnswerInput(option, share, not_applicable)
            for code, option, share, not_applicable in Answer.objects.filter(
                assessment_id=assessment.pk
            ).values_list("criterion_code", "option", "share", "not_applicable")
        }
        share = answered_share(framework, inputs)
        in_totals = assessment.is_latest and counts_in_figures(
            organisation_verified=assessment.organisation.verified_at is not None,
            share=share,
        )
        Assessment.objects.filter(pk=assessment.pk).update(
            answered_share=share, in_totals=in_totals
        )
    _rebuild(apps)


def _rebuild(apps):
    Answer = apps.get_model("assessment", "Answer")
    PillarResult = apps.get_model("assessment", "PillarResult")
    prefix = ("assessment__framework__code",)
    group = ("assessment__sector", "assessment__size_class", "assessment__kind")
    year = "assessment__submitted_quarter__year"
    commune = "assessment__commune_id"
    for model_name, source, code, extra in (
        ("CriterionTotal", Answer, "criterion_code", {"year": year}),
        ("PillarTotal", PillarResult, "pillar_code", {"commune_id": commune}),
        (
            "PillarYearTotal",
            PillarResult,
            "pillar_code",
            {"commune_id": commune, "year": year},
        ),
    ):
        total_model = apps.get_model("assessment", model_name)
        total_model.objects.all().delete()
        sums = {}
        rows = source.objects.filter(
            assessment__in_totals=True, score__isnull=False
        ).values_list(*prefix, code, *group, *extra.values(), "score")
        for *key, score in rows:
            # Unknown commune and year are stored as 0.
            key = [(k or 0) if i >= 5 else k for i, k in enumerate(key)]
            count, total = sums.get(tuple(key), (0, 0.0))
            sums[tuple(key)] = (count + 1, total + score)
        fields = ("framework_code", code, "sector", "size_class", "kind", *extra)
        total_model.objects.bulk_create(
            total_model(
                **dict(zip(fields, key, strict=True)),
                organisations=count,
                score_sum=total,
            )
            for key, (count, total) in sums.items()
        )
    # Cached province figures were computed with every submission.
    Stamp = apps.get_model("assessment", "ProvinceFiguresStamp")
    if not Stamp.objects.update(token=uuid.uuid4()):
        Stamp.objects.create()


def restore(apps, schema_editor):
    """Back to counting every organisation's latest submission."""
    Assessment = apps.get_model("assessment", "Assessment")
    Assessment.objects.update(in_totals=False)
    Assessment.objects.filter(is_latest=True).update(in_totals=True)
    _rebuild(apps)
    Assessment.objects.update(in_totals=False, answered_share=None)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0008_counted_submissions"),
        ("organisations", "0003_verification"),
    ]

    operations = [migrations.RunPython(backfill, restore)]
