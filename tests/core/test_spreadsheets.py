"""Spreadsheet formula injection: text that starts like a formula becomes text."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.spreadsheets import formula_neutralise


def test_formula_injection_is_neutralised():
    assert [
        formula_neutralise(v)
        for v in ("=1+1", "+x", "-2", "@SUM", "\tx", "\rx", "\0x", "ok")
    ] == [
        "'=1+1",
        "'+x",
        "'-2",
        "'@SUM",
        "'\tx",
        "'\rx",
        "'\0x",
        "ok",
    ]


def test_values_that_are_not_text_are_left_alone():
    """XLSX exports keep numbers and dates as such (a negative is no formula)."""
    day = datetime.date(2026, 1, 2)
    assert [formula_neutralise(v) for v in (-2, Decimal("-1.5"), day, None)] == [
        -2,
        Decimal("-1.5"),
        day,
        None,
    ]
