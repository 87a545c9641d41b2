"""What counts in figures other people see: verified organisations, and
submissions with at least half of the questions answered (issue 11)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import dashboard, scoring
from assessment.models import Assessment, PillarResult, PillarTotal
from assessment.selectors import Filters, framework_for, peers_for, pillar_averages
from assessment.services.totals import (
    criterion_totals_rebuild,
    organisation_totals_sync,
)
from organisations.models import Membership
from organisations.services import membership_add
from tests.factories import OrganisationFactory, UserFactory, member
from tests.factories.assessment import submitted_assessment

from .test_dashboard import _totals

NOT_ENOUGH_PEERS = "Chưa đủ tổ chức tương đồng"


def _rice_cell_count(payload: dict) -> list[dict]:
    return [
        c
        for c in payload["cells"]
        if c["table"] == "pillar_average_by_sector"
        and c["group"] == "Lúa gạo và ngũ cốc"
    ]


def test_five_fake_peers_no_longer_reveal_a_named_firms_scores(client, framework):
    """Five made-up organisations with known answers around one real firm.

    On the old code the attacker's results page showed the average of five
    peers (four of theirs and the firm), so firm = 5 * average - their four
    known scores, pillar by pillar; the open data showed the group too.
    """
    firm = OrganisationFactory(sector="rice", legal_name="HTX Thật Bí Mật")
    firm_owner = member(firm, Membership.Role.OWNER)
    submitted_assessment(firm, firm_owner, option=1, share=30)

    attacker = UserFactory()
    fakes = []
    for _ in range(5):
        # What the wizard's "new organisation" form makes: not verified.
        fake = OrganisationFactory(sector="rice", verified_at=None)
        membership_add(organisation=fake, user=attacker, role=Membership.Role.OWNER)
        fakes.append(submitted_assessment(fake, attacker, option=0, share=0))
    assert {a.size_class for a in fakes} == {firm.assessments.get().size_class}

    # The firm's pillar scores are not recoverable from the peer figures.
    assert peers_for(assessment=fakes[0]) is None
    client.force_login(attacker)
    page = client.get(
        reverse("assessment:results", kwargs={"public_id": fakes[0].public_id})
    ).content.decode()
    assert "peers-heading" in page
    assert NOT_ENOUGH_PEERS in page
    assert 'class="bar-chart__peer"' not in page

    # Nor from the open data or the running totals: one organisation counts.
    payload = client.get("/open-data/data.json").json()
    cells = _rice_cell_count(payload)
    assert cells and all(c["suppressed"] and c["value"] is None for c in cells)
    assert set(
        PillarTotal.objects.filter(sector="rice").values_list(
            "organisations", flat=True
        )
    ) == {1}
    rows = pillar_averages(filters=Filters(sector="rice"), dimension="sector")
    assert rows and {r.organisations for r in rows} == {1}
    figures = dashboard.dashboard_data(query={}, language="vi", use_cache=False)
    assert figures.counts == {"assessments": 1, "organisations": 1}


def test_peers_count_only_verified_organisations(framework):
    """The same group with five verified peers is shown (the rule is not
    simply "hide everything")."""
    peers = []
    for _ in range(5):
        organisation = OrganisationFactory(sector="rice")
        peers.append(
            submitted_assessment(
                organisation, member(organisation, Membership.Role.OWNER), option=2
            )
        )
    unverified = OrganisationFactory(sector="rice", verified_at=None)
    own = submitted_assessment(
        unverified, member(unverified, Membership.Role.OWNER), option=0, share=0
    )
    # An unverified organisation may see how it compares with real firms...
    shown = peers_for(assessment=own)
    assert shown is not None and shown.count == 5
    assert shown.overall == pytest.approx(peers[0].overall_score)
    for code, value in shown.pillars.items():
        real = PillarResult.objects.get(assessment=peers[0], pillar_code=code).score
        assert value.average == pytest.approx(real)
        assert value.count == 5
    # ...but is no peer of theirs.
    assert peers_for(assessment=peers[0]) is None  # four others only


def test_answered_share_is_stored_and_half_is_enough(framework, organisation, owner):
    criteria = framework_for(framework).for_sector(organisation.sector).criteria
    half = (len(criteria) + 1) // 2
    assessment = submitted_assessment(organisation, owner, answered=half)
    assert assessment.answered_share == pytest.approx(half / len(criteria))
    assert assessment.answered_share >= scoring.COUNTED_MIN_SHARE
    assert assessment.in_totals
    assert Assessment.objects.counted().filter(pk=assessment.pk).exists()


def test_submissions_with_fewer_than_half_answered_count_nowhere(
    client, framework, organisation, owner
):
    criteria = framework_for(framework).for_sector(organisation.sector).criteria
    too_few = len(criteria) // 2 - 1
    assessment = submitted_assessment(organisation, owner, answered=too_few)
    assert assessment.answered_share < scoring.COUNTED_MIN_SHARE
    assert not assessment.in_totals
    assert not Assessment.objects.counted().exists()
    assert not PillarTotal.objects.filter(organisations__gt=0).exists()
    figures = dashboard.dashboard_data(query={}, language="vi", use_cache=False)
    assert figures.counts == {"assessments": 0, "organisations": 0}
    assert figures.trend.rows == []
    # The owner still sees their own results.
    client.force_login(owner)
    response = client.get(
        reverse("assessment:results", kwargs={"public_id": assessment.public_id})
    )
    assert response.status_code == 200


def test_the_predicate_and_the_queryset_agree(framework):
    """``scoring.counts_in_figures`` and ``counted()`` are the same rule."""
    cases = []
    for verified in (True, False):
        for answered in (1, None):
            organisation = OrganisationFactory(
                verified_at=timezone.now() if verified else None
            )
            owner = member(organisation, Membership.Role.OWNER)
            cases.append(submitted_assessment(organisation, owner, answered=answered))
    counted = set(Assessment.objects.counted().values_list("pk", flat=True))
    for assessment in cases:
        assessment.refresh_from_db()
        expected = scoring.counts_in_figures(
            organisation_verified=assessment.organisation.is_verified,
            share=assessment.answered_share,
        )
        assert (assessment.pk in counted) is expected
        assert assessment.in_totals is expected
    assert len(counted) == 1


def test_answered_share_counts_not_applicable_and_ignores_blanks():
    from assessment.framework import parse
    from tests.factories.assessment import small_framework_data

    framework = parse(small_framework_data())
    answers = {
        "Q1": scoring.AnswerInput(option=None),  # blank
        "Q2": scoring.AnswerInput(not_applicable=True),
        "Q3": scoring.AnswerInput(option=0),
        "X9": scoring.AnswerInput(option=1),  # not in the framework
    }
    assert scoring.answered_share(framework, answers) == pytest.approx(2 / 3)
    assert scoring.counts_in_figures(organisation_verified=True, share=0.5)
    assert not scoring.counts_in_figures(organisation_verified=True, share=0.49)
    assert not scoring.counts_in_figures(organisation_verified=False, share=1.0)
    assert not scoring.counts_in_figures(organisation_verified=True, share=None)


def test_totals_sync_adds_on_verification_and_removes_on_withdrawal(framework):
    other = OrganisationFactory(sector="rice")
    submitted_assessment(other, member(other, Membership.Role.OWNER), option=2)
    organisation = OrganisationFactory(sector="rice", verified_at=None)
    owner = member(organisation, Membership.Role.OWNER)
    submitted_assessment(organisation, owner, option=0, share=0)
    latest = submitted_assessment(organisation, owner, option=1, share=40)
    before = _totals()
    assert not latest.in_totals

    organisation.verified_at = timezone.now()
    organisation.save(update_fields=["verified_at"])
    assert organisation_totals_sync(organisation=organisation) is True
    latest.refresh_from_db()
    assert latest.in_totals
    assert Assessment.objects.filter(in_totals=True).count() == 2
    verified = _totals()
    assert verified != before
    assert {r.organisations for r in PillarTotal.objects.all()} == {2}
    # Idempotent: a second call changes nothing.
    assert organisation_totals_sync(organisation=organisation) is False
    assert _totals() == verified
    criterion_totals_rebuild()
    assert _totals() == verified

    organisation.verified_at = None
    organisation.save(update_fields=["verified_at"])
    assert organisation_totals_sync(organisation=organisation) is True
    assert organisation_totals_sync(organisation=organisation) is False
    latest.refresh_from_db()
    assert not latest.in_totals
    assert _totals() == before
    criterion_totals_rebuild()
    assert _totals() == before


def test_deleting_the_latest_lets_the_previous_count_by_the_rule(
    framework, organisation, owner
):
    from assessment.services.submissions import assessment_delete

    first = submitted_assessment(organisation, owner, answered=1)  # too few
    second = submitted_assessment(organisation, owner)
    assert second.in_totals
    assessment_delete(assessment=second, user=owner)
    first.refresh_from_db()
    assert first.is_latest and not first.in_totals
    assert not PillarTotal.objects.filter(organisations__gt=0).exists()
