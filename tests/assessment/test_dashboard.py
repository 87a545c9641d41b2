"""Province dashboard, XLSX export, open data with small-cell suppression."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from assessment import dashboard_outcomes
from assessment.dashboard_outcomes import Outcomes
from assessment.services.submissions import assessment_delete
from organisations.models import Membership
from organisations.services import PROVINCE_STAFF_GROUP
from tests.factories import UserFactory, member, onboarded_organisation
from tests.factories.assessment import submitted_assessment


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=PROVINCE_STAFF_GROUP)[0])
    return user


@pytest.fixture
def province(framework):
    """Six rice cooperatives (level 3) and two fruit ones (level 1)."""
    for _ in range(6):
        organisation = onboarded_organisation(sector="rice")
        submitted_assessment(
            organisation,
            member(organisation, Membership.Role.OWNER),
            option=2,
            share=50,
        )
    for _ in range(2):
        organisation = onboarded_organisation(sector="fruit")
        submitted_assessment(
            organisation,
            member(organisation, Membership.Role.OWNER),
            option=0,
            share=20,
        )


def test_dashboard_counts_and_tables(client, staff, province):
    client.force_login(staff)
    response = client.get(reverse("assessment:dashboard"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data.counts == {"assessments": 8, "organisations": 8}
    assert sum(n for _, _, n in data.levels) == 8
    sector_table = data.by_dimension[0]
    assert (
        sorted(row[0] for row in sector_table.rows)
        == ["Fruit and vegetables", "Rice and grains"]
        or len(sector_table.rows) == 2
    )
    assert len(data.trend.rows) == 1
    assert len(data.weakest.rows) == 10


def test_dashboard_filters_and_bad_filters(client, staff, province):
    client.force_login(staff)
    data = client.get(reverse("assessment:dashboard"), {"sector": "fruit"}).context[
        "data"
    ]
    assert data.counts == {"assessments": 2, "organisations": 2}
    bad = client.get(
        reverse("assessment:dashboard"),
        {"sector": "<script>", "year": "99999", "commune": "x'"},
    )
    assert bad.status_code == 400
    assert len(bad.context["data"].errors) == 3
    assert bad.context["data"].counts == {"assessments": 8, "organisations": 8}


def test_dashboard_xlsx(client, staff, province):
    client.force_login(staff)
    response = client.get(reverse("assessment:dashboard"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "8" in values


def test_open_data_suppresses_small_cells(client, province):
    payload = client.get("/open-data/data.json").json()
    assert payload["licence"] == "CC BY 4.0"
    by_sector = [
        c for c in payload["cells"] if c["table"] == "pillar_average_by_sector"
    ]
    suppressed = [c for c in by_sector if c["suppressed"]]
    shown = [c for c in by_sector if not c["suppressed"]]
    # Two fruit cooperatives are fewer than five: all seven pillars hidden.
    # Six rice ones are enough: all seven shown, with their count.
    assert len(suppressed) == len(shown) == 7
    assert {c["group"] for c in suppressed} == {"Rau quả, trái cây"}
    assert {c["group"] for c in shown} == {"Lúa gạo và ngũ cốc"}
    assert all(c["value"] is None and c["organisations"] is None for c in suppressed)
    assert all(c["organisations"] == 6 and c["value"] is not None for c in shown)


def test_open_data_csv_and_page_in_both_languages(client, province):
    response = client.get("/open-data/data.csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert "CC BY 4.0" in lines[0]
    rows = list(csv.DictReader(lines[1:]))
    assert {r["suppressed"] for r in rows} == {"0", "1"}
    assert all(r["value"] == "" for r in rows if r["suppressed"] == "1")
    assert client.get("/open-data/").status_code == 200
    assert client.get("/en/open-data/").status_code == 200


def test_outcomes_of_an_empty_site_are_zero_not_missing(client, staff, framework):
    client.force_login(staff)
    outcomes = client.get(reverse("assessment:dashboard")).context["data"].outcomes
    assert outcomes == Outcomes(
        brands_online=0, products_live=0, periods=(), shop_available=True
    )


def test_outcomes_degrade_gracefully(client, staff, framework, monkeypatch):
    """A selector missing or answering an odd shape: the figure is not shown."""
    monkeypatch.setattr(dashboard_outcomes, "shop_selectors", None)
    monkeypatch.setattr(
        dashboard_outcomes.brands_selectors,
        "site_outcomes",
        lambda: {"brands_online": "many"},
        raising=False,
    )
    client.force_login(staff)
    response = client.get(reverse("assessment:dashboard"))
    assert response.status_code == 200
    assert response.context["data"].outcomes == Outcomes(
        brands_online=None, products_live=None, periods=(), shop_available=False
    )


def test_running_totals_match_a_rebuild_after_submits_and_deletes(client, framework):
    from assessment.models import CriterionTotal
    from assessment.selectors import Filters, pillar_averages, weakest_criteria
    from assessment.services.submissions import assessment_delete
    from assessment.services.totals import criterion_totals_rebuild

    organisation = onboarded_organisation(sector="rice")
    owner = member(organisation, Membership.Role.OWNER)
    first = submitted_assessment(organisation, owner, option=1, share=10)
    second = submitted_assessment(organisation, owner, option=3, share=90)
    other = onboarded_organisation(sector="handicraft")  # no sector module
    submitted_assessment(other, member(other, Membership.Role.OWNER), option=0, share=0)
    assessment_delete(assessment=second, user=owner)
    first.refresh_from_db()
    assert first.is_latest
    incremental = weakest_criteria(filters=Filters(), limit=100)
    pillars = pillar_averages(filters=Filters(), dimension="sector")
    by_group = sorted(
        CriterionTotal.objects.values_list("criterion_code", "sector", "organisations")
    )
    every_table = _totals()
    criterion_totals_rebuild()
    assert _totals() == every_table
    assert weakest_criteria(filters=Filters(), limit=100) == incremental
    assert [
        (r.group, r.pillar_code, r.organisations)
        for r in pillar_averages(filters=Filters(), dimension="sector")
    ] == [(r.group, r.pillar_code, r.organisations) for r in pillars]
    rebuilt = pillar_averages(filters=Filters(), dimension="sector")
    assert all(
        abs(a.average - b.average) < 1e-9 for a, b in zip(rebuilt, pillars, strict=True)
    )
    assert (
        sorted(
            CriterionTotal.objects.values_list(
                "criterion_code", "sector", "organisations"
            )
        )
        == by_group
    )
    assert {row.organisations for row in incremental} == {2, 1}


def test_cached_figures_change_at_once_on_submit_and_delete(
    client, staff, province, django_assert_max_num_queries
):
    """The cache is keyed by a token changed inside submit/delete: no stale
    figure is served after either, and an unchanged province is not recomputed."""
    from assessment import dashboard

    client.force_login(staff)
    url = reverse("assessment:dashboard")

    def organisations_now() -> tuple[int, int]:
        counts = client.get(url).context["data"].counts["organisations"]
        levels = client.get("/open-data/data.json").json()["cells"]
        shown = sum(
            c["organisations"] or 0
            for c in levels
            if c["table"] == "level_distribution"
        )
        return counts, shown

    assert organisations_now() == (8, 6)  # 6 rice at one level, 2 fruit hidden
    # Served from the cache: no aggregate query runs again.
    with django_assert_max_num_queries(2):
        dashboard.open_data(language="vi")
    organisation = onboarded_organisation(sector="rice")
    owner = member(organisation, Membership.Role.OWNER)
    added = submitted_assessment(organisation, owner, option=2, share=50)
    assert organisations_now() == (9, 7)
    assessment_delete(assessment=added, user=owner)
    assert organisations_now() == (8, 6)
    assert client.get(url).context["data"].counts == {
        "assessments": 8,
        "organisations": 8,
    }


def test_cached_figures_equal_fresh_ones_for_every_filter(staff, province):
    from assessment import dashboard
    from assessment.models import Assessment

    commune = Assessment.objects.filter(is_latest=True).first().commune_id
    for query in ({}, {"sector": "rice"}, {"commune": str(commune)}, {"year": "2026"}):
        for _ in range(2):  # the second read comes from the cache
            cached = dashboard.dashboard_data(query=query, language="vi")
            fresh = dashboard.dashboard_data(
                query=query, language="vi", use_cache=False
            )
            assert cached.tables == fresh.tables
            assert cached.counts == fresh.counts
    fresh = dashboard.open_data(language="en", use_cache=False)
    cached = dashboard.open_data(language="en")
    assert cached["cells"] == fresh["cells"]
    assert dashboard.open_data_csv(language="en") == dashboard.open_data_csv(
        language="en", use_cache=False
    ).replace(fresh["generated_at"], cached["generated_at"])


def test_trend_quarter_is_the_local_quarter(province):
    """The stored quarter groups like TruncQuarter in the site's time zone,
    including an assessment submitted just after midnight local time."""
    from datetime import UTC, date, datetime

    from django.db.models import Count
    from django.db.models.functions import TruncQuarter

    from assessment.models import Assessment
    from assessment.selectors import Filters, trend_by_quarter
    from assessment.services.submissions import quarter_of

    # 2026-03-31 17:30 UTC is 2026-04-01 00:30 in Viet Nam: the second quarter.
    moment = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)
    assert quarter_of(moment) == date(2026, 4, 1)
    one = Assessment.objects.filter(is_latest=True).first()
    Assessment.objects.filter(pk=one.pk).update(
        submitted_at=moment, submitted_quarter=quarter_of(moment)
    )
    expected = [
        (row["quarter"].date(), row["n"])
        for row in Assessment.objects.filter(status="submitted")
        .annotate(quarter=TruncQuarter("submitted_at"))
        .values("quarter")
        .annotate(n=Count("id"))
        .order_by("quarter")
    ]
    assert [
        (r.quarter, r.assessments) for r in trend_by_quarter(filters=Filters())
    ] == (expected)
    assert date(2026, 4, 1) in [quarter for quarter, _ in expected]


def test_weakest_criteria_by_commune_and_year_equal_the_answers(province):
    """A commune filter reads the answers, a year filter the yearly totals:
    both give what the answers of the latest assessments say."""
    from django.db.models import Avg, Count
    from django.utils import timezone

    from assessment.models import Answer, Assessment
    from assessment.selectors import Filters, weakest_criteria

    commune = Assessment.objects.filter(is_latest=True).first().commune_id
    year = timezone.localdate().year
    for filters, lookup in (
        (Filters(commune_id=commune), {"assessment__commune_id": commune}),
        (Filters(year=year), {"assessment__submitted_at__year": year}),
        (Filters(year=year, sector="fruit"), {"assessment__sector": "fruit"}),
    ):
        rows = weakest_criteria(filters=filters, limit=100)
        expected = {
            code: (n, average)
            for code, n, average in Answer.objects.filter(
                assessment__is_latest=True, score__isnull=False, **lookup
            )
            .values("criterion_code")
            .annotate(n=Count("id"), average=Avg("score"))
            .values_list("criterion_code", "n", "average")
        }
        assert rows
        assert {
            row.criterion_code: (row.organisations, pytest.approx(row.average))
            for row in rows
        } == expected
    assert weakest_criteria(filters=Filters(year=year - 5)) == []


def _totals() -> list:
    """Every running-totals row, without ids (a rebuild renumbers them)."""
    from assessment.models import CriterionTotal, PillarTotal, PillarYearTotal

    return [
        sorted(
            (
                *(v for k, v in row.items() if k not in ("id", "score_sum")),
                round(row["score_sum"], 6),
            )
            for row in model.objects.filter(organisations__gt=0).values()
        )
        for model in (CriterionTotal, PillarTotal, PillarYearTotal)
    ]


def test_pillar_averages_of_one_year_equal_the_pillar_results(province):
    """The year filter reads the yearly pillar totals: the same figures as the
    stored pillar results of that year's latest assessments, for every table."""
    from django.db.models import Avg, Count
    from django.utils import timezone

    from assessment.models import PillarResult
    from assessment.selectors import DIMENSIONS, Filters, pillar_averages

    year = timezone.localdate().year
    for dimension in DIMENSIONS:
        group = (
            "assessment__commune__name"
            if dimension == "commune"
            else f"assessment__{dimension}"
        )
        expected = sorted(
            PillarResult.objects.filter(
                assessment__is_latest=True, assessment__submitted_at__year=year
            )
            .values(group, "pillar_code")
            .annotate(n=Count("id"), average=Avg("score"))
            .values_list(group, "pillar_code", "n", "average")
        )
        rows = sorted(pillar_averages(filters=Filters(year=year), dimension=dimension))
        assert [r[:3] for r in rows] == [e[:3] for e in expected]
        assert [r[3] for r in rows] == pytest.approx([e[3] for e in expected])
        assert rows
    assert pillar_averages(filters=Filters(year=year - 5), dimension="sector") == []
