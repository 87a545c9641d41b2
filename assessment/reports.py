"""Downloads: the PDF report and the answers as CSV or XLSX.

Every cell is written as text through ``core.spreadsheets.formula_neutralise``
(cells that start like a formula get a leading apostrophe).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urljoin

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from openpyxl import Workbook

from core.spreadsheets import formula_neutralise

from .results import PillarView, ResultView, answer_rows, next_step_pillars
from .selectors import MIN_GROUP

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def neutralise(value) -> str:
    """``value`` as spreadsheet text: None is empty, formulas are defused."""
    return formula_neutralise("" if value is None else str(value))


def _header() -> list[str]:
    return [_("Pillar"), _("Code"), _("Question"), _("Answer"), _("Score"), _("Note")]


def _rows(assessment, language: str) -> list[list[str]]:
    return [
        [
            neutralise(row.pillar),
            neutralise(row.code),
            neutralise(row.question),
            neutralise(row.answer),
            "" if row.score is None else f"{row.score:.1f}",
            neutralise(row.note),
        ]
        for row in answer_rows(assessment=assessment, language=language)
    ]


def answers_csv(assessment, language: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header())
    writer.writerows(_rows(assessment, language))
    # A BOM lets Excel open the Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rows_xlsx(header: list[str], rows: list[list], title: str) -> bytes:
    """An XLSX with every cell written as a string (never a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in [header, *rows]:
        sheet.append([neutralise(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def answers_xlsx(assessment, language: str) -> bytes:
    return rows_xlsx(_header(), _rows(assessment, language), _("Answers"))


class _Report(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(
            0,
            8,
            _(
                "Modeled on Vietnam's DBI index; not the official assessment. Page %(page)s"
            )
            % {"page": self.page_no()},
            align="C",
        )


def _para(pdf: FPDF, height: float, text: str) -> None:
    # Back to the left margin after each paragraph (fpdf2 defaults to the right);
    # ragged right: justified lines opened wide gaps in short paragraphs.
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", align="L")


def _number(value: float | None) -> str:
    # The results page's filter: "59,4" in Vietnamese, "59.4" in English, and
    # rounded the same way (number_format would truncate).
    return floatformat(value, 1)


# Height of a pillar's title and bar: they move to the next page together.
_PILLAR_BLOCK = 16


def _pillar_peers(view: ResultView, pillar: PillarView) -> str:
    """The pillar's peer figure as on the results page, or why it is hidden."""
    if not view.peers:
        return ""
    if pillar.peer_suppressed:
        return _(
            "Peers: hidden, fewer than %(minimum)s other organisations have a "
            "score for this pillar."
        ) % {"minimum": MIN_GROUP}
    return ngettext(
        "Peers: %(score)s (%(count)s organisation)",
        "Peers: %(score)s (%(count)s organisations)",
        pillar.peer_count,
    ) % {"score": _number(pillar.peer_score), "count": pillar.peer_count}


def _next_steps(pdf: FPDF, view: ResultView, links_base: str | None) -> None:
    """The results page's next steps: each pillar's advice and where to act."""
    pdf.set_font("DejaVu", "B", 11)
    _para(pdf, 6, _("Next steps"))
    for pillar in next_step_pillars(view):
        pdf.set_font("DejaVu", "B", 10)
        _para(pdf, 5, pillar.title)
        pdf.set_font("DejaVu", "", 9)
        if pillar.recommendation:
            _para(pdf, 4.5, pillar.recommendation)
        if links_base is not None:
            for label, url in pillar.actions:
                _para(pdf, 4.5, f"• {label}: {urljoin(links_base, url)}")
        pdf.ln(1)
    pdf.ln(2)


def report_pdf(view: ResultView, *, links_base: str | None = None) -> bytes:
    """A printable report: level, per-pillar scores with bars and peers, next steps.

    ``links_base`` (the site's address) adds the next steps' links; the
    results page shows them to members only, and so does the report.
    """
    assessment = view.assessment
    pdf = _Report(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    _para(pdf, 8, _("Digital readiness self-assessment"))
    pdf.set_font("DejaVu", "", 11)
    submitted = timezone.localtime(assessment.submitted_at)
    _para(
        pdf,
        6,
        f"{assessment.organisation.display_name} · {submitted:%d/%m/%Y} · "
        f"{view.framework.code} {view.framework.version}",
    )
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 13)
    _para(
        pdf,
        7,
        _("Overall: %(score)s/100, level %(level)s – %(name)s")
        % {
            "score": _number(view.overall),
            "level": view.band.level,
            "name": view.band.name.get(view.language),
        },
    )
    pdf.set_font("DejaVu", "", 10)
    _para(pdf, 5, view.band.description.get(view.language))
    pdf.ln(3)
    for pillar in view.pillars:
        # Rectangles do not trigger fpdf's automatic page break, so a bar near
        # the bottom would be drawn over the footer, apart from its title.
        if pdf.get_y() + _PILLAR_BLOCK > pdf.page_break_trigger:
            pdf.add_page()
        pdf.set_font("DejaVu", "B", 10)
        score = "–" if pillar.score is None else _number(pillar.score)
        _para(pdf, 5, f"{pillar.title}: {score} ({pillar.level_name})")
        y = pdf.get_y() + 1
        # Start under the text, which multi_cell indents by its cell margin.
        x = pdf.l_margin + pdf.c_margin
        pdf.set_fill_color(230, 234, 231)
        pdf.rect(x, y, 100, 4, style="F")
        pdf.set_fill_color(11, 110, 79)
        if pillar.score:
            pdf.rect(x, y, pillar.score, 4, style="F")
        if pillar.peer_score is not None:
            # The peers' average as a dark mark across the bar, as on the page.
            pdf.set_fill_color(31, 41, 36)
            pdf.rect(x + pillar.peer_score - 0.4, y - 0.8, 0.8, 5.6, style="F")
        pdf.set_y(y + 6)
        pdf.set_font("DejaVu", "", 9)
        peers = _pillar_peers(view, pillar)
        if peers:
            _para(pdf, 4.5, peers)
        if pillar.recommendation:
            _para(pdf, 4.5, pillar.recommendation)
        pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    if view.peers:
        _para(
            pdf,
            6,
            _("Peers (%(count)s organisations of the same sector and size): %(score)s")
            % {"count": view.peers.count, "score": _number(view.peers.overall)},
        )
    else:
        _para(pdf, 6, _("Peers"))
        pdf.set_font("DejaVu", "", 9)
        _para(
            pdf,
            4.5,
            _(
                "Not enough similar organisations have taken the assessment yet: "
                "peers are shown from 5 organisations of the same sector and size "
                "class."
            ),
        )
    pdf.ln(2)
    _next_steps(pdf, view, links_base)
    pdf.set_font("DejaVu", "B", 11)
    _para(pdf, 6, _("Support you can claim"))
    pdf.set_font("DejaVu", "", 9)
    _para(pdf, 4.5, view.support)
    return bytes(pdf.output())
