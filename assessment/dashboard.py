"""Province dashboard and open data: SQL aggregates arranged for display/export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from core.digits import ascii_int
from organisations.models import Commune, Organisation, Sector, SizeClassChoices

from . import dashboard_outcomes, reports, selectors
from .selectors import MIN_GROUP, Filters

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# Entries are keyed by the province figures token, so a submit or delete makes
# them unreachable at once; the expiry only bounds changes made around the
# services (a raw SQL fix, a renamed commune).
CACHE_SECONDS = 15 * 60


def _cached(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` cached under the current province figures token."""
    token = selectors.province_figures_token()
    if token is None:
        return compute()
    key = ":".join(["assessment", "province", name, token, *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def commune_choices() -> list[tuple[int, str]]:
    return list(Commune.objects.values_list("id", "name"))


def _labels() -> dict[str, dict[str, str]]:
    return {
        "sector": {k: str(v) for k, v in Sector.choices},
        "size_class": {k: str(v) for k, v in SizeClassChoices.choices},
        "kind": {k: str(v) for k, v in Organisation.Kind.choices},
        "commune": {},
    }


def parse_filters(*, query) -> tuple[Filters, list[str]]:
    """Filters from a query string; unknown values are reported, not applied."""
    errors: list[str] = []
    values: dict = {}
    for name, choices in (
        ("sector", Sector.values),
        ("size_class", SizeClassChoices.values),
        ("kind", Organisation.Kind.values),
    ):
        value = query.get(name, "")
        if value and value not in choices:
            errors.append(_("Unknown value for filter %(name)s.") % {"name": name})
        elif value:
            values[name] = value
    commune = query.get("commune", "")
    if commune:
        commune_id = ascii_int(commune, max_digits=9)
        if commune_id is not None:
            values["commune_id"] = commune_id
        else:
            errors.append(_("Unknown commune."))
    year = query.get("year", "")
    if year:
        year_number = ascii_int(year, max_digits=4)
        if year_number is not None and 2000 <= year_number <= 2100:
            values["year"] = year_number
        else:
            errors.append(_("The year must be between 2000 and 2100."))
    return Filters(**values), errors


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class DashboardData:
    filters: Filters
    errors: list[str]
    counts: dict
    levels: list[tuple[int, str, int]]
    pillar_titles: dict[str, str]
    by_dimension: list[Table]
    trend: Table
    weakest: Table
    outcomes: dashboard_outcomes.Outcomes

    @property
    def tables(self) -> list[Table]:
        level_table = Table(
            _("Level distribution"),
            [_("Level"), _("Name"), _("Organisations")],
            [list(row) for row in self.levels],
        )
        return [level_table, *self.by_dimension, self.trend, self.weakest]


def _framework():
    version = selectors.framework_published_latest()
    return selectors.framework_for(version) if version else None


def _fmt(value) -> str:
    return "" if value is None else f"{value:.1f}"


def dashboard_data(*, query, language: str, use_cache: bool = True) -> DashboardData:
    """The dashboard's figures (cached per filters and language) and the site's
    outcomes (always fresh: they change without any assessment changing)."""
    filters, errors = parse_filters(query=query)

    def compute() -> dict:
        return _dashboard_figures(filters, language)

    figures = (
        _cached("dashboard", (language, *astuple(filters)), compute)
        if use_cache
        else compute()
    )
    return DashboardData(
        filters=filters,
        errors=errors,
        outcomes=dashboard_outcomes.outcomes(),
        **figures,
    )


def _dashboard_figures(filters: Filters, language: str) -> dict:
    framework = _framework()
    pillar_titles = (
        {p.code: p.title.get(language) for p in framework.pillars} if framework else {}
    )
    level_names = (
        {b.level: b.name.get(language) for b in framework.levels} if framework else {}
    )
    labels = _labels()
    distribution = selectors.level_distribution(filters=filters)
    tables = []
    for dimension, title in (
        ("sector", _("Pillar averages by sector")),
        ("size_class", _("Pillar averages by size class")),
        ("kind", _("Pillar averages by kind of organisation")),
        ("commune", _("Pillar averages by commune")),
    ):
        pivot: dict[str, dict[str, float | None]] = {}
        counts: dict[str, int] = {}
        for group, pillar, organisations, average in selectors.pillar_averages(
            filters=filters, dimension=dimension
        ):
            name = labels[dimension].get(str(group), group) if group else _("Unknown")
            name = str(name)
            pivot.setdefault(name, {})[pillar] = average
            counts[name] = max(counts.get(name, 0), organisations)
        codes = list(pillar_titles)
        table = Table(
            title,
            [_("Group"), _("Organisations"), *[pillar_titles[c] for c in codes]],
        )
        for name, scores in pivot.items():
            table.rows.append(
                [name, counts[name], *[_fmt(scores.get(c)) for c in codes]]
            )
        tables.append(table)
    trend = Table(
        _("Trend by quarter"),
        [_("Quarter"), _("Assessments"), _("Organisations"), _("Average score")],
        [
            [
                f"{row.quarter.year}-Q{(row.quarter.month - 1) // 3 + 1}",
                row.assessments,
                row.organisations,
                _fmt(row.average),
            ]
            for row in selectors.trend_by_quarter(filters=filters)
        ],
    )
    questions = (
        {c.code: c.text.get(language) for c in framework.criteria} if framework else {}
    )
    weakest = Table(
        _("Weakest criteria province-wide"),
        [_("Code"), _("Question"), _("Organisations"), _("Average score")],
        [
            [
                row.criterion_code,
                questions.get(row.criterion_code, ""),
                row.organisations,
                _fmt(row.average),
            ]
            for row in selectors.weakest_criteria(filters=filters)
        ],
    )
    return {
        "counts": selectors.dashboard_counts(filters=filters),
        "levels": [
            (level, level_names.get(level, str(level)), n)
            for level, n in distribution.items()
        ],
        "pillar_titles": pillar_titles,
        "by_dimension": tables,
        "trend": trend,
        "weakest": weakest,
    }


def dashboard_xlsx(data: DashboardData) -> bytes:
    header = [_("Table"), *[""] * 2]
    rows: list[list] = [
        [_("Assessments"), data.counts["assessments"]],
        [_("Organisations"), data.counts["organisations"]],
    ]
    for table in data.tables:
        rows.append([])
        rows.append([table.title])
        rows.append(table.header)
        rows.extend(table.rows)
    return reports.rows_xlsx(header, rows, _("Province dashboard"))


# --- Open data ----------------------------------------------------------------------


def open_data(*, language: str, use_cache: bool = True) -> dict:
    """Aggregates for everyone; any cell under MIN_GROUP organisations is suppressed.

    Cached until the next change of the province figures; ``generated_at``
    says when the figures were computed.
    """
    if not use_cache:
        return _open_data(language)
    return _cached("open-data", (language,), lambda: _open_data(language))


def _open_data(language: str) -> dict:
    filters = Filters()
    framework = _framework()
    labels = _labels()
    cells = []

    def cell(table: str, group: str, measure: str, organisations: int, value):
        suppressed = organisations < MIN_GROUP
        cells.append(
            {
                "table": table,
                "group": group,
                "measure": measure,
                "organisations": None if suppressed else organisations,
                "value": None if suppressed or value is None else round(value, 1),
                "suppressed": suppressed,
            }
        )

    for level, n in selectors.level_distribution(filters=filters).items():
        cell("level_distribution", str(level), "organisations", n, n)
    for dimension in ("sector", "size_class", "kind", "commune"):
        for group, pillar, organisations, average in selectors.pillar_averages(
            filters=filters, dimension=dimension
        ):
            name = labels[dimension].get(str(group), str(group)) if group else ""
            cell(f"pillar_average_by_{dimension}", name, pillar, organisations, average)
    for row in selectors.trend_by_quarter(filters=filters):
        cell(
            "trend_by_quarter",
            f"{row.quarter.year}-Q{(row.quarter.month - 1) // 3 + 1}",
            "overall_average",
            row.organisations,
            row.average,
        )
    for row in selectors.weakest_criteria(filters=filters):
        cell(
            "weakest_criteria",
            row.criterion_code,
            "average",
            row.organisations,
            row.average,
        )
    return {
        "title": _("Digital readiness self-assessments in An Giang: aggregates"),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "note": _(
            "Aggregates of self-assessments modeled on Vietnam's DBI index (not the "
            "official assessment). Each organisation counts once, with its latest "
            "assessment. Cells with fewer than %(min)s organisations are suppressed."
        )
        % {"min": MIN_GROUP},
        "framework": f"{framework.code} {framework.version}" if framework else None,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "cells": cells,
    }


def open_data_csv(*, language: str, use_cache: bool = True) -> str:
    data = open_data(language=language, use_cache=use_cache)
    buffer = io.StringIO()
    buffer.write(f"# {data['title']} – {data['licence']} {data['licence_url']}\n")
    writer = csv.writer(buffer)
    writer.writerow(
        ["table", "group", "measure", "organisations", "value", "suppressed"]
    )
    for c in data["cells"]:
        writer.writerow(
            [
                reports.neutralise(c["table"]),
                reports.neutralise(c["group"]),
                reports.neutralise(c["measure"]),
                "" if c["organisations"] is None else c["organisations"],
                "" if c["value"] is None else c["value"],
                "1" if c["suppressed"] else "0",
            ]
        )
    return buffer.getvalue()
