"""Speed of the province dashboard and open data on 100,000 assessments.

- ``Assessment.submitted_quarter`` (local quarter, filled for existing rows)
  and a covering index for the trend by quarter;
- ``CriterionTotal`` trades its commune dimension for the year (recomputed);
- ``ProvinceFiguresStamp``: the token that keys the cached figures.
"""

import uuid
from datetime import date, datetime

from django.db import migrations, models
from django.db.models import Max, Min
from django.utils import timezone


def fill_quarters(apps, schema_editor):
    """One UPDATE per local quarter (not per row) between the first and the
    last submission."""
    Assessment = apps.get_model("assessment", "Assessment")
    submitted = Assessment.objects.filter(submitted_at__isnull=False)
    bounds = submitted.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    if bounds["first"] is None:
        return
    first, last = timezone.localtime(bounds["first"]), timezone.localtime(bounds["last"])
    year, month = first.year, (first.month - 1) // 3 * 3 + 1
    while (year, month) <= (last.year, last.month):
        after = (year, month + 3) if month < 10 else (year + 1, 1)
        submitted.filter(
            submitted_at__gte=timezone.make_aware(datetime(year, month, 1)),
            submitted_at__lt=timezone.make_aware(datetime(*after, 1)),
        ).update(submitted_quarter=date(year, month, 1))
        year, month = after


def clear_criterion_totals(apps, schema_editor):
    # Rows would collide once the commune column is gone; rebuilt below.
    apps.get_model("assessment", "CriterionTotal").objects.all().delete()


def rebuild_criterion_totals(apps, schema_editor):
    Answer = apps.get_model("assessment", "Answer")
    CriterionTotal = apps.get_model("assessment", "CriterionTotal")
    totals = {}
    rows = Answer.objects.filter(
        assessment__is_latest=True, score__isnull=False
    ).values_list(
        "assessment__framework__code",
        "criterion_code",
        "assessment__sector",
        "assessment__size_class",
        "assessment__kind",
        "assessment__submitted_quarter__year",
        "score",
    )
    for *key, score in rows:
        key[5] = key[5] or 0
        count, total = totals.get(tuple(key), (0, 0.0))
        totals[tuple(key)] = (count + 1, total + score)
    CriterionTotal.objects.bulk_create(
        CriterionTotal(
            framework_code=k[0],
            criterion_code=k[1],
            sector=k[2],
            size_class=k[3],
            kind=k[4],
            year=k[5],
            organisations=count,
            score_sum=total,
        )
        for k, (count, total) in totals.items()
    )


def create_stamp(apps, schema_editor):
    apps.get_model("assessment", "ProvinceFiguresStamp").objects.create()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_pillar_totals"),
        ("organisations", "0002_load_communes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProvinceFiguresStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("token", models.UUIDField(default=uuid.uuid4)),
                ("changed_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(create_stamp, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="criteriontotal",
            name="criterion_total_unique_group",
        ),
        migrations.RunPython(clear_criterion_totals, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="criteriontotal",
            name="commune_id",
        ),
        migrations.AddField(
            model_name="criteriontotal",
            name="year",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name="criteriontotal",
            constraint=models.UniqueConstraint(
                fields=(
                    "framework_code",
                    "criterion_code",
                    "sector",
                    "size_class",
                    "kind",
                    "year",
                ),
                name="criterion_total_unique_group",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="submitted_quarter",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_quarters, migrations.RunPython.noop),
        migrations.RunPython(rebuild_criterion_totals, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["status", "submitted_quarter", "organisation"],
                include=(
                    "is_latest",
                    "level",
                    "overall_score",
                    "sector",
                    "size_class",
                    "kind",
                    "commune",
                ),
                name="assessment_quarter_idx",
            ),
        ),
    ]
