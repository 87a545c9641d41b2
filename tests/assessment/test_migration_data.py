"""Data steps of migrations, run against rows the ORM makes today."""

from __future__ import annotations

import importlib
from datetime import datetime

from django.apps import apps
from django.utils import timezone

from assessment.models import Assessment
from assessment.services.submissions import quarter_of
from tests.factories.assessment import submitted_assessment


def test_quarters_of_existing_assessments_are_local_quarters(
    framework, organisation, owner
):
    """0004 fills submitted_quarter by local (Vietnam) quarter, one UPDATE per
    quarter: a submission just after local midnight on 1 January (still
    31 December in UTC) belongs to the new quarter."""
    migration = importlib.import_module(
        "assessment.migrations.0004_province_figures_speed"
    )
    moments = [
        timezone.make_aware(datetime(*parts))
        for parts in (
            (2024, 12, 31, 23, 30),
            (2025, 1, 1, 0, 10),
            (2025, 6, 30, 23, 59),
            (2026, 3, 31, 17, 5),
        )
    ]
    ids = []
    for moment in moments:
        done = submitted_assessment(organisation, owner)
        Assessment.objects.filter(pk=done.pk).update(
            submitted_at=moment, submitted_quarter=None
        )
        ids.append(done.pk)
    migration.fill_quarters(apps, None)
    for pk, moment in zip(ids, moments, strict=True):
        assert Assessment.objects.get(pk=pk).submitted_quarter == quarter_of(moment)


def test_counted_backfill_drops_unverified_and_half_empty_submissions(framework):
    """0009 computes answered_share and in_totals for existing submissions and
    rebuilds the totals from the counted ones only (what submit does today)."""
    from assessment.models import PillarTotal
    from organisations.models import Membership
    from tests.factories import OrganisationFactory, member

    from .test_dashboard import _totals

    migration = importlib.import_module(
        "assessment.migrations.0009_counted_submissions_data"
    )
    done = []
    for verified, answered in ((True, None), (False, None), (True, 2)):
        organisation = OrganisationFactory(
            sector="rice", verified_at=timezone.now() if verified else None
        )
        owner = member(organisation, Membership.Role.OWNER)
        done.append(submitted_assessment(organisation, owner, answered=answered))
    expected = _totals()
    shares = {a.pk: a.answered_share for a in done}
    # As the rows were before 0008: no share, every latest one in the totals.
    Assessment.objects.update(answered_share=None, in_totals=True)
    PillarTotal.objects.update(organisations=99)
    migration.backfill(apps, None)
    for assessment in done:
        assessment_now = Assessment.objects.get(pk=assessment.pk)
        assert assessment_now.answered_share == shares[assessment.pk]
        assert assessment_now.in_totals is assessment.in_totals
    assert [a.in_totals for a in done] == [True, False, False]
    assert _totals() == expected
