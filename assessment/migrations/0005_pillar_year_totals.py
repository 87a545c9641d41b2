"""Pillar totals by year of submission, for the dashboard's year filter."""

from django.db import migrations, models


def fill_totals(apps, schema_editor):
    """Totals for assessments submitted before the table existed."""
    PillarResult = apps.get_model("assessment", "PillarResult")
    PillarYearTotal = apps.get_model("assessment", "PillarYearTotal")
    totals = {}
    rows = PillarResult.objects.filter(
        assessment__is_latest=True, score__isnull=False
    ).values_list(
        "assessment__submitted_quarter__year",
        "assessment__framework__code",
        "pillar_code",
        "assessment__sector",
        "assessment__size_class",
        "assessment__kind",
        "assessment__commune_id",
        "score",
    )
    for *key, score in rows:
        key[0] = key[0] or 0
        key[6] = key[6] or 0
        count, total = totals.get(tuple(key), (0, 0.0))
        totals[tuple(key)] = (count + 1, total + score)
    PillarYearTotal.objects.bulk_create(
        PillarYearTotal(
            year=k[0],
            framework_code=k[1],
            pillar_code=k[2],
            sector=k[3],
            size_class=k[4],
            kind=k[5],
            commune_id=k[6],
            organisations=count,
            score_sum=total,
        )
        for k, (count, total) in totals.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_province_figures_speed"),
    ]

    operations = [
        migrations.CreateModel(
            name="PillarYearTotal",
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
                ("framework_code", models.CharField(max_length=60)),
                ("pillar_code", models.CharField(max_length=40)),
                ("sector", models.CharField(blank=True, max_length=30)),
                ("size_class", models.CharField(blank=True, max_length=10)),
                ("kind", models.CharField(blank=True, max_length=20)),
                ("commune_id", models.BigIntegerField(default=0)),
                ("year", models.PositiveSmallIntegerField(default=0)),
                ("organisations", models.IntegerField(default=0)),
                ("score_sum", models.FloatField(default=0.0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "year",
                            "framework_code",
                            "pillar_code",
                            "sector",
                            "size_class",
                            "kind",
                            "commune_id",
                        ),
                        name="pillar_year_total_unique_group",
                    )
                ]
            },
        ),
        migrations.RunPython(fill_totals, migrations.RunPython.noop),
    ]
