"""Peers per pillar with the k >= 5 rule over counted submissions, the charts'
geometry and dates, and the PDF's peer figures and next steps (issue 15, item 3)."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessment.models import Assessment
from assessment.selectors import DEFAULT_FRAMEWORK_CODE, MIN_GROUP, peers_for
from assessment.services.answers import AnswerData, assessment_answers_save
from assessment.services.frameworks import framework_version_save
from assessment.services.submissions import assessment_start, assessment_submit
from organisations.models import Membership
from tests.factories import OrganisationFactory, member
from tests.factories.assessment import small_framework_data


@pytest.fixture
def small(db):
    """Two pillars; p2's only question may be "not applicable", which leaves
    p2 without a score, so p2 can have fewer peers than p1."""
    data = small_framework_data()
    data["code"] = DEFAULT_FRAMEWORK_CODE
    return framework_version_save(data=data, status="published")


def _submit(organisation, *, q3: bool = True, only_q3: bool = False) -> Assessment:
    """Q1 "Partly", Q2 50 %, Q3 "Yes" (or not applicable when ``q3`` is False).

    ``only_q3``: answer Q3 alone (a third of the questions, too few to count).
    """
    user = organisation.memberships.first()
    owner = user.user if user else member(organisation, Membership.Role.OWNER)
    draft = assessment_start(organisation=organisation, user=owner)
    q3_answer = (
        AnswerData("Q3", option=2) if q3 else AnswerData("Q3", not_applicable=True)
    )
    answers = (
        [q3_answer]
        if only_q3
        else [AnswerData("Q1", option=1), AnswerData("Q2", share=50.0), q3_answer]
    )
    assessment_answers_save(
        assessment=draft, user=owner, answers=answers, revision=draft.revision
    )
    return assessment_submit(assessment=draft, user=owner)


def _rice(**kwargs):
    return OrganisationFactory(sector="rice", **kwargs)


def _group(small):
    """The firm, six counted peers of which four scored p2, and four
    submissions that must count nowhere but would each lift p2 to five."""
    own = _submit(_rice())
    for _ in range(4):
        _submit(_rice())
    for _ in range(2):
        peer = _rice()
        _submit(peer)  # an earlier submission that scored p2: not the latest
        _submit(peer, q3=False)
    _submit(_rice(verified_at=None))  # unverified
    _submit(_rice(), only_q3=True)  # fewer than half the questions answered
    own.refresh_from_db()
    return own


def test_a_pillar_with_fewer_than_five_counted_peers_is_suppressed(small):
    own = _group(small)

    peers = peers_for(assessment=own)

    assert peers is not None and peers.count == 6
    # p1: Q1 50 (weight 1) and Q2 50 (weight 3) -> 50 for each of the six.
    assert peers.pillars["p1"].count == 6
    assert peers.pillars["p1"].average == pytest.approx(50.0)
    # p2: four counted latest submissions scored it. The unverified one, the
    # half-empty one and the two earlier submissions have a p2 score too: a
    # figure computed over any other set than counted() latest reaches five.
    assert peers.pillars["p2"].count == 4
    assert peers.pillars["p2"].average is None
    assert not peers.pillars["p2"].is_shown
    assert Assessment.objects.counted().filter(is_latest=True).count() == 7


def test_the_fifth_counted_peer_shows_the_pillar(small):
    own = _group(small)
    _submit(_rice())

    peers = peers_for(assessment=own)

    assert peers.count == 7
    assert peers.pillars["p2"].count == MIN_GROUP
    assert peers.pillars["p2"].average == pytest.approx(100.0)


def test_the_results_page_explains_a_suppressed_pillar(client, small):
    own = _group(small)
    client.force_login(own.organisation.memberships.first().user)

    page = client.get(
        reverse("assessment:results", kwargs={"public_id": own.public_id})
    ).content.decode()

    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', page, re.S))
    assert "50,0" in rows["Trụ cột 1"] and "(6 tổ chức)" in rows["Trụ cột 1"]
    assert "ẩn" in rows["Trụ cột 2"] and "tổ chức" not in rows["Trụ cột 2"]
    assert 'id="peer-note"' in page
    assert "ít nhất 5 tổ chức khác đã được xác minh" in page
    # Only the shown pillar gets a peer mark on the chart.
    assert page.count('class="bar-chart__peer"') == 1

    english = client.get(f"/en/assessment/{own.public_id}/results/").content.decode()
    assert "hidden" in english and "at least 5 other verified organisations" in english
    assert "(6 organisations)" in english


def test_the_pdf_report_has_the_peer_figures_and_next_steps(client, small):
    own = _group(small)
    client.force_login(own.organisation.memberships.first().user)

    response = client.get(
        reverse("assessment:report_pdf", kwargs={"public_id": own.public_id})
    )

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Đơn vị tương đồng: 50,0 (6 tổ chức)" in text
    assert (
        "Đơn vị tương đồng: ẩn, có ít hơn 5 tổ chức khác có điểm ở trụ cột này" in text
    )
    assert "Đơn vị tương đồng (6 tổ chức cùng ngành và quy mô)" in text
    # p1 (50, level 3) is the weak spot against 75 overall: its advice is the
    # next step, as on the results page.
    _before, next_steps = text.split("Bước tiếp theo")
    assert "Trụ cột 1 Gợi ý 3" in next_steps
    assert "Trụ cột 2" not in next_steps


def test_the_bar_chart_is_not_scaled_and_wraps_long_labels(
    client, framework, organisation, owner
):
    from tests.factories.assessment import submitted_assessment

    assessment = submitted_assessment(organisation, owner)
    client.force_login(owner)
    page = client.get(
        reverse("assessment:results", kwargs={"public_id": assessment.public_id})
    ).content.decode()

    svg = re.search(r'<svg width="100%"[^>]*class="bar-chart".*?</svg>', page, re.S)
    # No viewBox: the labels keep their 13 px CSS size at 360 px wide.
    assert svg and "viewBox" not in svg.group(0)
    # The sector module's 56-character name is on two lines.
    assert re.search(
        r"<tspan[^>]*>Phân hệ ngành: nông nghiệp, chế biến</tspan>"
        r"<tspan[^>]*>thực phẩm, thủy sản</tspan>",
        svg.group(0),
    )


def test_the_progress_chart_has_dated_axes_in_the_active_language(
    client, framework, organisation, owner
):
    from tests.factories.assessment import submitted_assessment

    first = submitted_assessment(organisation, owner, option=1)
    second = submitted_assessment(organisation, owner, option=3)
    zone = timezone.get_current_timezone()
    dates = [
        datetime(2026, 3, 5, 9, tzinfo=zone),
        datetime(2026, 11, 20, 9, tzinfo=zone),
    ]
    for assessment, when in zip((first, second), dates, strict=True):
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
    client.force_login(owner)

    vietnamese = client.get(
        reverse("assessment:results", kwargs={"public_id": second.public_id})
    ).content.decode()
    english = client.get(f"/en/assessment/{second.public_id}/results/").content.decode()

    for page, labels in (
        (vietnamese, ("05-03-2026", "20-11-2026")),
        (english, ("03/05/2026", "11/20/2026")),
    ):
        chart = re.search(r'class="progress-chart".*?</svg>', page, re.S).group(0)
        assert "viewBox" not in chart
        found = re.findall(r'class="progress-chart__date">([^<]+)<', chart)
        assert found == list(labels)
        assert chart.count('class="progress-chart__point"') == 2
        assert chart.count('class="progress-chart__line"') == 1


def test_many_submissions_label_three_dates_on_a_phone_five_wider(
    client, framework, organisation, owner
):
    from tests.factories.assessment import submitted_assessment

    start = timezone.now() - timedelta(days=400)
    for index in range(6):
        assessment = submitted_assessment(organisation, owner, option=index % 4)
        Assessment.objects.filter(pk=assessment.pk).update(
            submitted_at=start + timedelta(days=60 * index)
        )
    client.force_login(owner)
    page = client.get(
        reverse("assessment:results", kwargs={"public_id": assessment.public_id})
    ).content.decode()
    chart = re.search(r'class="progress-chart".*?</svg>', page, re.S).group(0)
    assert chart.count('class="progress-chart__point"') == 6
    # First, middle and last everywhere; two more from 40rem (CSS).
    narrow = re.findall(r'class="progress-chart__date">([^<]+)<', chart)
    wide = re.findall(
        r'class="progress-chart__date progress-chart__date--wide">', chart
    )
    assert len(narrow) == 3 and len(wide) == 2
