"""Spreadsheet formula injection (OWASP "CSV injection").

A cell starting with = + - @ tab, CR or NUL runs as a formula in Excel or
LibreOffice; a leading apostrophe makes it text. Every CSV and XLSX export
writes its text cells through ``formula_neutralise``.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def formula_neutralise(value):
    """``value`` with a leading apostrophe if it is text that starts like a
    formula; anything else (numbers, dates, None) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
