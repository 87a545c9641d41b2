"""Benchmark of the assessment's province figures on 100,000 submitted assessments.

Usage:
    .venv/bin/python bench/assessment.py [--assessments 100000] [--database URL]

--database defaults to PostgreSQL postgres://postgres@127.0.0.1:5432/agdb_bench_assessment
(created and dropped again), or a temporary SQLite file with --database sqlite.
Rows are bulk-inserted (COPY on PostgreSQL), the running totals rebuilt in SQL,
then VACUUM ANALYZE (what autovacuum does after such a load in production).

Printed, each against the 1 s target (PASS/FAIL), best of a few runs:
- every dashboard query alone, computed by the database (no cache);
- the whole dashboard and each open-data export computed from scratch, as the
  first request after a submission sees it (the cache key has just changed);
- the same through the views (staff dashboard page, /open-data/data.csv and
  data.json, templates included), first request after a submission and then
  served from the cache;
- scoring throughput of the pure function.
Exits with status 1 when any figure fails.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/agdb_bench_assessment"


def _setup(database: str) -> str:
    if database == "sqlite":
        path = Path(tempfile.mkdtemp()) / "bench-assessment.sqlite3"
        database = f"sqlite:///{path}"
    elif database.startswith("postgres"):
        import psycopg

        name = database.rsplit("/", 1)[1]
        admin = database.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database


TARGET = 1.0
FAILED: list[str] = []


def _timed(label: str, function, repeat: int = 3, before=None) -> float:
    """Best of ``repeat`` runs; ``before`` runs untimed ahead of each one."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    best = min(times)
    verdict = "PASS" if best < TARGET else "FAIL"
    if best >= TARGET:
        FAILED.append(label)
    print(
        f"  {verdict} {label:<52} best {best * 1000:7.1f} ms"
        f"   (runs: {', '.join(f'{t * 1000:.0f}' for t in times)} ms)"
    )
    return best


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _sqlite_value(value):
    """Values as Django stores them in SQLite (raw executemany skips its adapters)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany on SQLite: no ORM object per row."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            ) as copy:
                chunk = []
                for row in rows:
                    chunk.append("\t".join(map(_copy_value, row)))
                    if len(chunk) >= 50_000:
                        copy.write("\n".join(chunk) + "\n")
                        chunk = []
                if chunk:
                    copy.write("\n".join(chunk) + "\n")
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                (tuple(map(_sqlite_value, row)) for row in rows),
            )


def build(total: int, rng: random.Random) -> None:
    import json

    from django.db import connection, transaction

    from assessment.frameworks import DEFAULT_FRAMEWORK_FILE
    from assessment.models import Answer, Assessment, PillarResult
    from assessment.selectors import framework_for
    from assessment.services.frameworks import framework_version_save
    from assessment.services.submissions import quarter_of
    from assessment.services.totals import criterion_totals_rebuild
    from organisations.models import Commune, Organisation

    version = framework_version_save(
        data=json.loads(DEFAULT_FRAMEWORK_FILE.read_text(encoding="utf-8")),
        status="published",
    )
    framework = framework_for(version)
    communes = list(Commune.objects.values_list("id", flat=True))
    sectors = ["rice", "fruit", "aquaculture", "food_processing", "handicraft", "trade"]
    kinds = ["cooperative", "enterprise", "household"]
    sizes = ["micro", "small", "medium"]
    organisations = total * 2 // 5
    now = datetime.now(UTC)
    start = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Bulk load: skip the per-row deferred foreign-key triggers (the
            # generated rows are consistent by construction), as pg_restore does.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        _insert(
            Organisation,
            [
                "public_id",
                "kind",
                "legal_name",
                "trading_name",
                "tax_code",
                "commune_id",
                "address",
                "sector",
                "employees",
                "size_class",
                "contact_name",
                "email",
                "phone",
                "website",
                "created_at",
                "updated_at",
                "verified_at",
            ],
            [
                (
                    uuid.uuid4(),
                    rng.choice(kinds),
                    f"Bench {i}",
                    "",
                    f"{1800000000 + i}",
                    rng.choice(communes),
                    "",
                    rng.choice(sectors),
                    rng.randint(1, 150),
                    rng.choice(sizes),
                    "",
                    "",
                    "",
                    "",
                    now,
                    now,
                    # Verified: unverified organisations count in no figure.
                    now,
                )
                for i in range(organisations)
            ],
        )
        org_rows = list(
            Organisation.objects.filter(legal_name__startswith="Bench ").values_list(
                "id", "sector", "size_class", "kind", "commune_id"
            )
        )
        assessment_rows = []
        for index in range(total):
            org = org_rows[index % len(org_rows)]
            when = now - timedelta(days=rng.randint(0, 900))
            assessment_rows.append((org, when))
        assessment_rows.sort(key=lambda r: (r[0][0], r[1]))
        latest = {}
        for position, (org, _when) in enumerate(assessment_rows):
            latest[org[0]] = position
        _insert(
            Assessment,
            [
                "public_id",
                "organisation_id",
                "framework_id",
                "status",
                "revision",
                "created_at",
                "updated_at",
                "submitted_at",
                "submitted_quarter",
                "sector",
                "size_class",
                "kind",
                "commune_id",
                "overall_score",
                "level",
                "is_latest",
                "answered_share",
                "in_totals",
            ],
            [
                (
                    uuid.uuid4(),
                    org[0],
                    version.pk,
                    "submitted",
                    1,
                    when,
                    when,
                    when,
                    quarter_of(when),
                    org[1],
                    org[2],
                    org[3],
                    org[4],
                    rng.uniform(0, 100),
                    rng.randint(0, 5),
                    latest[org[0]] == position,
                    1.0,
                    latest[org[0]] == position,
                )
                for position, (org, when) in enumerate(assessment_rows)
            ],
        )
        ids = list(Assessment.objects.order_by().values_list("id", flat=True))
        pillar_codes = [p.code for p in framework.pillars]
        _insert(
            PillarResult,
            ["assessment_id", "pillar_code", "score", "level"],
            [
                (a, code, rng.uniform(0, 100), rng.randint(0, 5))
                for a in ids
                for code in pillar_codes
            ],
        )
        criteria = [c.code for c in framework.criteria]
        now_text = now
        _insert(
            Answer,
            [
                "assessment_id",
                "criterion_code",
                "option",
                "not_applicable",
                "note",
                "score",
                "revision",
                "updated_at",
            ],
            (
                (
                    a,
                    code,
                    rng.randint(0, 4),
                    False,
                    "",
                    rng.choice((0.0, 25.0, 50.0, 75.0, 100.0)),
                    1,
                    now_text,
                )
                for a in ids
                for code in criteria
            ),
        )
        totals_start = time.perf_counter()
        rows = criterion_totals_rebuild()
        totals_time = time.perf_counter() - totals_start
    vacuum_start = time.perf_counter()
    with connection.cursor() as cursor:
        # After a bulk load autovacuum would do the same: statistics for the
        # planner and the visibility map that allows index-only scans.
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )
    vacuum_time = time.perf_counter() - vacuum_start
    print(
        f"Criterion totals rebuilt ({rows:,} rows, one INSERT ... SELECT) in {totals_time:.1f} s"
    )
    print(
        f"Inserted {organisations:,} organisations, {total:,} assessments, "
        f"{total * len(pillar_codes):,} pillar results, {total * len(criteria):,} answers "
        f"in {time.perf_counter() - start:.1f} s (vacuum/analyze {vacuum_time:.1f} s)"
    )


def bench_queries() -> None:
    from assessment import dashboard, selectors
    from assessment.models import Assessment
    from assessment.selectors import Filters

    everyone = Filters()
    rice = Filters(sector="rice")
    commune = Assessment.objects.filter(is_latest=True).values_list(
        "commune_id", flat=True
    )[0]
    print("Dashboard queries, each alone, computed by the database (no cache):")
    _timed("counts", lambda: selectors.dashboard_counts(filters=everyone))
    _timed("level distribution", lambda: selectors.level_distribution(filters=everyone))
    for dimension in selectors.DIMENSIONS:
        _timed(
            f"pillar averages by {dimension}",
            lambda d=dimension: selectors.pillar_averages(
                filters=everyone, dimension=d
            ),
        )
    _timed("trend by quarter", lambda: selectors.trend_by_quarter(filters=everyone))
    _timed(
        "trend by quarter (sector=rice)",
        lambda: selectors.trend_by_quarter(filters=rice),
    )
    _timed("weakest criteria", lambda: selectors.weakest_criteria(filters=everyone))
    _timed(
        "weakest criteria (sector=rice)",
        lambda: selectors.weakest_criteria(filters=rice),
    )
    _timed(
        "weakest criteria (one commune)",
        lambda: selectors.weakest_criteria(filters=Filters(commune_id=commune)),
    )
    _timed(
        "weakest criteria (year)",
        lambda: selectors.weakest_criteria(filters=Filters(year=_this_year())),
    )
    _timed(
        "pillar averages by commune (rice)",
        lambda: selectors.pillar_averages(filters=rice, dimension="commune"),
    )
    some = Assessment.objects.filter(is_latest=True).select_related("framework").first()
    _timed("peers of one organisation", lambda: selectors.peers_for(assessment=some))
    print("Whole dashboard and open data, computed from scratch (no cache):")
    _timed(
        "whole dashboard data (all tables)",
        lambda: dashboard.dashboard_data(query={}, language="vi", use_cache=False),
    )
    _timed(
        "whole dashboard data (sector=rice)",
        lambda: dashboard.dashboard_data(
            query={"sector": "rice"}, language="vi", use_cache=False
        ),
    )
    _timed(
        "whole dashboard data (year=this year)",
        lambda: dashboard.dashboard_data(
            query={"year": str(_this_year())}, language="vi", use_cache=False
        ),
    )
    _timed(
        "open data JSON data (all tables, suppression)",
        lambda: dashboard.open_data(language="vi", use_cache=False),
    )
    _timed(
        "open data CSV",
        lambda: dashboard.open_data_csv(language="vi", use_cache=False),
    )


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def bench_pages() -> None:
    """The views end to end (templates, JSON/CSV encoding), as a client sees them."""
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from accounts.models import User
    from assessment.services.totals import province_figures_changed
    from organisations.services import PROVINCE_STAFF_GROUP

    staff = User.objects.create_user(email="bench-staff@example.com", password=None)
    staff.groups.add(Group.objects.get_or_create(name=PROVINCE_STAFF_GROUP)[0])
    client = Client()
    client.force_login(staff)
    translation.activate("vi")
    pages = (
        ("province dashboard page", reverse("assessment:dashboard")),
        (
            "province dashboard page (sector=rice)",
            reverse("assessment:dashboard") + "?sector=rice",
        ),
        ("open data CSV (/open-data/data.csv)", "/open-data/data.csv"),
        ("open data JSON (/open-data/data.json)", "/open-data/data.json"),
    )

    def get(url: str):
        def run():
            response = client.get(url)
            if response.status_code != 200 or len(response.content) < 1000:
                raise RuntimeError(f"{url}: {response.status_code}")

        return run

    def new_submission():
        # What a submit or delete does to the cached figures.
        with transaction.atomic():
            province_figures_changed()

    print("Through the views, first request after a submission (cache key changed):")
    for label, url in pages:
        _timed(label, get(url), before=new_submission)
    print("Through the views, later requests (served from the cache):")
    for label, url in pages:
        _timed(label, get(url))


def bench_scoring(rng: random.Random, count: int = 20000) -> None:
    from assessment.scoring import AnswerInput, score
    from assessment.selectors import framework_for, framework_published_latest

    framework = framework_for(framework_published_latest())
    inputs = []
    for _ in range(count):
        answers = {}
        for criterion in framework.criteria:
            if criterion.kind == "ladder":
                answers[criterion.code] = AnswerInput(
                    option=rng.randrange(len(criterion.options))
                )
            else:
                answers[criterion.code] = AnswerInput(share=rng.uniform(0, 100))
        inputs.append(answers)
    start = time.perf_counter()
    for answers in inputs:
        score(framework, answers)
    elapsed = time.perf_counter() - start
    print(
        f"Scoring (pure function, {len(framework.criteria)} criteria): "
        f"{count / elapsed:,.0f} assessments/s ({elapsed / count * 1e6:.0f} µs each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--database", default=DEFAULT_PG)
    parser.add_argument(
        "--keep", action="store_true", help="Do not drop the PostgreSQL database."
    )
    args = parser.parse_args()
    rng = random.Random(5)
    database = _setup(args.database)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()"
            if connection.vendor == "postgresql"
            else "SELECT 'SQLite ' || sqlite_version()"
        )
        engine = cursor.fetchone()[0].split(" on ")[0]
    print(f"Engine: {engine} ({database.split('@')[-1]}), {os.cpu_count()} CPUs")
    build(args.assessments, rng)
    bench_queries()
    bench_pages()
    bench_scoring(rng)
    connection.close()
    if database.startswith("postgres") and not args.keep:
        import psycopg

        name = database.rsplit("/", 1)[1]
        with psycopg.connect(
            database.rsplit("/", 1)[0] + "/postgres", autocommit=True
        ) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
    print(
        f"Result on {engine}: "
        + (f"FAIL ({', '.join(FAILED)})" if FAILED else "PASS, every figure under 1 s")
    )
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
