"""Results page, peers, progress, PDF and spreadsheets."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import Assessment
from assessment.reports import neutralise
from assessment.services.answers import AnswerData, assessment_answers_save
from assessment.services.submissions import assessment_start
from organisations.models import Membership
from tests.factories import member, onboarded_organisation
from tests.factories.assessment import submitted_assessment


def _results(assessment):
    return reverse("assessment:results", kwargs={"public_id": assessment.public_id})


def _peers(count, **kwargs):
    for _ in range(count):
        organisation = onboarded_organisation(**kwargs)
        submitted_assessment(
            organisation, member(organisation, Membership.Role.OWNER), option=1
        )


def test_results_show_level_chart_table_and_next_steps(
    client, framework, organisation, owner
):
    done = submitted_assessment(organisation, owner, option=1, share=10)
    client.force_login(owner)
    page = client.get(_results(done)).content.decode()
    assert done.level == 2
    assert "Bắt đầu" in page  # level name in Vietnamese
    assert "<svg" in page and "bar-chart__bar" in page
    assert "<table>" in page and "Trải nghiệm số cho khách hàng" in page
    assert "Bước tiếp theo" in page
    assert "20 triệu đồng" not in page  # small, not micro
    assert "50 triệu đồng" in page
    assert "không phải đánh giá chính thức" in page


def test_english_results(client, framework, organisation, owner):
    done = submitted_assessment(organisation, owner, option=3)
    client.force_login(owner)
    page = client.get(
        "/en"
        + _results(done)
        .replace("/danh-gia/", "/assessment/")
        .replace("/ket-qua/", "/results/")
    ).content.decode()
    assert done.level == 4
    assert "Customer digital experience" in page
    assert "Level 4: <strong>Advanced</strong>" in page


def test_peers_hidden_below_five_and_shown_from_five(
    client, framework, organisation, owner
):
    done = submitted_assessment(organisation, owner)
    _peers(4, sector="rice", employees=20)
    client.force_login(owner)
    assert "Chưa đủ tổ chức tương đồng" in client.get(_results(done)).content.decode()
    _peers(1, sector="rice", employees=30)
    # Another sector does not count.
    _peers(2, sector="fruit", employees=30)
    page = client.get(_results(done)).content.decode()
    assert "Điểm trung bình của 5 tổ chức khác" in page
    assert "bar-chart__peer" in page


def test_progress_shows_every_earlier_assessment_with_changes(
    client, framework, organisation, owner
):
    submitted_assessment(organisation, owner, option=1, share=10)
    second = submitted_assessment(organisation, owner, option=3, share=60)
    client.force_login(owner)
    page = client.get(_results(second)).content.decode()
    assert "progress-chart__line" in page
    assert page.count("+") >= 6  # every pillar improved
    assert (
        Assessment.objects.filter(organisation=organisation, is_latest=True).get()
        == second
    )


def test_pdf_report_has_vietnamese_text(client, framework, organisation, owner):
    done = submitted_assessment(organisation, owner)
    client.force_login(owner)
    response = client.get(
        reverse("assessment:report_pdf", kwargs={"public_id": done.public_id})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"DejaVu" in response.content
    assert response["Cache-Control"].startswith("max-age=0")


def test_assessment_cells_are_text_first():
    """The assessment's exports write every cell as text, so a negative number
    is defused too and None is an empty cell."""
    assert [neutralise(v) for v in (-2, None, "=1", "ok")] == ["'-2", "", "'=1", "ok"]


def test_csv_and_xlsx_neutralise_notes(client, framework, organisation, owner):
    draft = assessment_start(organisation=organisation, user=owner)
    assessment_answers_save(
        assessment=draft,
        user=owner,
        revision=0,
        answers=[AnswerData("C01", option=1, note='=HYPERLINK("http://x","y")')],
    )
    client.force_login(owner)
    csv_text = client.get(
        reverse("assessment:answers_csv", kwargs={"public_id": draft.public_id})
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert ",=HYPERLINK" not in csv_text
    xlsx = client.get(
        reverse("assessment:answers_xlsx", kwargs={"public_id": draft.public_id})
    ).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    notes = [row[5].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x","y")' in notes
    assert all(
        cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value
    )
