"""The results page's charts: bars per pillar and progress over time, as
geometry for inline SVG (pure functions of a ``ResultView``)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from .results import ResultView

# The charts are drawn in CSS pixels (no viewBox): text keeps its CSS font
# size at every width, where a scaled-down viewBox shrank the labels below
# 12 px on a 360 px phone. Horizontal positions are percentages of the width.
BAR_LINE = 16  # px per label line
BAR_HEIGHT = 14
BAR_GAP = 14
# Label lines wrap at this many characters: about 270 px at 13 px, inside a
# 360 px phone's chart.
LABEL_WIDTH = 38
# Share of the width the bar track takes; the score is written after it.
TRACK = 84.0


@dataclass(frozen=True)
class Bar:
    lines: tuple[str, ...]
    score: float
    y: int
    bar_y: int
    width: float  # percent of the chart's width
    peer_x: float | None  # percent, None when no peer figure is shown


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    height: int
    track: float = TRACK
    value_x: float = TRACK + 2


def bars(view: ResultView) -> BarChart:
    """Geometry of the per-pillar bar chart (inline SVG, no JavaScript)."""
    result = []
    y = 0
    for pillar in view.pillars:
        score = pillar.score or 0.0
        lines = tuple(textwrap.wrap(pillar.title, LABEL_WIDTH)) or ("",)
        # Room under the last line for the dots below Vietnamese letters.
        bar_y = y + len(lines) * BAR_LINE + 6
        result.append(
            Bar(
                lines=lines,
                score=score,
                y=y,
                bar_y=bar_y,
                width=round(score * TRACK / 100, 2),
                peer_x=round(pillar.peer_score * TRACK / 100, 2)
                if pillar.peer_score is not None
                else None,
            )
        )
        y = bar_y + BAR_HEIGHT + BAR_GAP
    return BarChart(bars=tuple(result), height=y)


# The progress chart's plot area: percent of the width, pixels of the height.
PLOT_LEFT = 12.0
PLOT_RIGHT = 96.0
PLOT_TOP = 10
PLOT_HEIGHT = 160
# More date labels than this overlap on a phone, or on a wider screen (CSS
# shows the wide set from 40rem); the table lists every date.
MAX_DATE_LABELS = 3
MAX_DATE_LABELS_WIDE = 5


@dataclass(frozen=True)
class ChartPoint:
    x: float  # percent
    y: float  # px
    date: str
    score: float
    # The x axis names this point's date on a phone (all of them up to
    # MAX_DATE_LABELS, else that many spread out), or only on wider screens.
    is_labelled: bool
    is_labelled_wide: bool
    anchor: str  # text-anchor of the date label


@dataclass(frozen=True)
class Tick:
    score: int
    y: float  # px
    label_y: float  # px: the label's baseline, centred on the line


@dataclass(frozen=True)
class ProgressChart:
    points: tuple[ChartPoint, ...]
    segments: tuple[tuple[ChartPoint, ChartPoint], ...]
    ticks: tuple[Tick, ...]
    left: float = PLOT_LEFT
    right: float = PLOT_RIGHT
    tick_x: float = PLOT_LEFT - 2
    top: int = PLOT_TOP
    axis_y: int = PLOT_TOP + PLOT_HEIGHT
    tick_end: int = PLOT_TOP + PLOT_HEIGHT + 5
    date_y: int = PLOT_TOP + PLOT_HEIGHT + 24
    height: int = PLOT_TOP + PLOT_HEIGHT + 34


def _spread(count: int, most: int) -> set[int]:
    """Indices of at most ``most`` of ``count`` points, evenly spread, first
    and last included."""
    shown = min(count, most)
    return {round(i * (count - 1) / (shown - 1)) for i in range(shown)}


def _plot_y(score: float) -> float:
    return round(PLOT_TOP + PLOT_HEIGHT - score * PLOT_HEIGHT / 100, 1)


def progress_chart(view: ResultView) -> ProgressChart | None:
    """The overall score of every submission over its date (None below two).

    Dates are in the active language's short format, as the table beside it.
    """
    history = view.history
    if len(history) < 2:
        return None
    count = len(history)
    labelled = _spread(count, MAX_DATE_LABELS)
    labelled_wide = _spread(count, MAX_DATE_LABELS_WIDE)
    points = []
    for index, point in enumerate(history):
        score = point.assessment.overall_score or 0.0
        submitted = point.assessment.submitted_at
        points.append(
            ChartPoint(
                x=round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * index / (count - 1), 2),
                y=_plot_y(score),
                date=date_format(timezone.localtime(submitted), "SHORT_DATE_FORMAT")
                if submitted
                else "",
                score=score,
                is_labelled=index in labelled,
                is_labelled_wide=index in labelled_wide,
                anchor="start"
                if index == 0
                else "end"
                if index == count - 1
                else "middle",
            )
        )
    return ProgressChart(
        points=tuple(points),
        segments=tuple(zip(points, points[1:], strict=False)),
        ticks=tuple(
            Tick(score=score, y=_plot_y(score), label_y=_plot_y(score) + 5)
            for score in (0, 50, 100)
        ),
    )
