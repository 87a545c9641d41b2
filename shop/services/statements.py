"""Importing a bank statement (CSV as internet banking exports it).

Catches the transfers whose bank-feed notification never came: every
credit row goes through the same ``transfers.bank_credit_record`` as a
notification, under the same (bank, reference) identity, so importing a
statement twice, or while the feed reports the same transfer, records and
pays it once.

Vietnamese banks' exports differ in details: a few lines about the account
before the header row, Vietnamese headers with or without accents, amounts
as ``1.250.000`` or ``1,250,000``, dates as ``25/03/2026``, a totals line at
the end. The whole file is read and checked first; if any row cannot be
read, nothing is imported and every problem is named by its line.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from shop import money
from shop.models import BankTransaction
from shop.payments import vietqr

from .transfers import BankCredit, bank_credit_record

# Header names per column, accents and case removed (see _header_key).
HEADERS: dict[str, tuple[str, ...]] = {
    "date": (
        "ngay giao dich",
        "ngay gd",
        "ngay",
        "ngay hach toan",
        "ngay hieu luc",
        "thoi gian",
        "thoi gian giao dich",
        "date",
        "transaction date",
        "posting date",
    ),
    "description": (
        "noi dung",
        "noi dung giao dich",
        "noi dung chi tiet",
        "dien giai",
        "mo ta",
        "chi tiet",
        "description",
        "details",
        "remarks",
    ),
    "credit": (
        "so tien ghi co",
        "ghi co",
        "so tien co",
        "phat sinh co",
        "co",
        "tien vao",
        "credit",
        "credit amount",
        "deposit",
    ),
    "reference": (
        "so tham chieu",
        "ma tham chieu",
        "ma giao dich",
        "so but toan",
        "so giao dich",
        "so chung tu",
        "so ct",
        "reference",
        "reference number",
        "ref no",
        "transaction id",
        "transaction number",
    ),
}
DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y",
    "%d-%m-%Y %H:%M:%S",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
)
MAX_BYTES = 10 * 1024 * 1024
MAX_REFERENCE_LENGTH = 120


class StatementUnreadable(ValueError):
    """The statement cannot be imported; ``problems`` name each line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StatementRow:
    line: int
    transacted_at: datetime
    description: str
    credit: int
    reference: str
    raw: dict[str, str]


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


def _header_key(text: str) -> str:
    plain = vietqr.purpose_ascii(text).lower()
    plain = re.sub(r"\(.*?\)", " ", plain)  # "Số tiền ghi có (VND)"
    plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return " ".join(plain.split())


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise StatementUnreadable(["The file is larger than 10 MB."])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Windows exports use the Vietnamese code page.
        return data.decode("cp1258", errors="strict")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _columns(row: list[str]) -> dict[str, int] | None:
    keys = [_header_key(cell) for cell in row]
    found: dict[str, int] = {}
    for column, names in HEADERS.items():
        for index, key in enumerate(keys):
            if key in names:
                found[column] = index
                break
    return found if len(found) == len(HEADERS) else None


def _date(text: str) -> datetime | None:
    value = " ".join(text.split())
    for layout in DATE_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value, layout))
        except ValueError:
            continue
    return None


def statement_read(data: bytes) -> list[StatementRow]:
    """The credit rows of a statement; raises ``StatementUnreadable``."""
    try:
        text = _decode(data)
    except UnicodeDecodeError as error:
        raise StatementUnreadable(
            ["The file is not text (UTF-8 or CP1258)."]
        ) from error
    try:
        lines = list(csv.reader(io.StringIO(text), _dialect(text)))
    except csv.Error as error:
        raise StatementUnreadable([f"Not a CSV file: {error}."]) from error
    columns = None
    start = 0
    for number, cells in enumerate(lines, start=1):
        columns = _columns(cells)
        if columns:
            start = number
            break
    if columns is None:
        raise StatementUnreadable(
            ["No header row with date, description, credit and reference columns."]
        )
    rows: list[StatementRow] = []
    problems: list[str] = []
    seen: dict[str, tuple[int, str]] = {}
    for number, cells in enumerate(lines[start:], start=start + 1):
        row = _row(number, cells, columns, problems)
        if row is None:
            continue
        key = f"{row.credit}|{row.description}"
        if row.reference in seen and seen[row.reference][1] != key:
            problems.append(
                f"Line {number}: reference {row.reference} is also on line "
                f"{seen[row.reference][0]} with other details."
            )
            continue
        seen.setdefault(row.reference, (number, key))
        rows.append(row)
    if problems:
        raise StatementUnreadable(problems)
    return rows


def _row(
    number: int, cells: list[str], columns: dict[str, int], problems: list[str]
) -> StatementRow | None:
    def cell(column: str) -> str:
        index = columns[column]
        return cells[index].strip() if index < len(cells) else ""

    if not any(c.strip() for c in cells):
        return None
    date_text, reference = cell("date"), cell("reference")
    transacted_at = _date(date_text)
    if transacted_at is None and not reference:
        # A totals or closing-balance line ("Tổng cộng"), not a transaction.
        return None
    try:
        credit = money.parse_vnd(cell("credit"))
    except money.MoneyError:
        problems.append(f"Line {number}: credit {cell('credit')!r} is not an amount.")
        return None
    if credit == 0:
        return None  # money going out, or nothing
    if transacted_at is None:
        problems.append(f"Line {number}: date {date_text!r} is not a date.")
        return None
    if not reference or len(reference) > MAX_REFERENCE_LENGTH:
        problems.append(f"Line {number}: the reference is missing or too long.")
        return None
    header_cells = {name: cell(name) for name in HEADERS}
    return StatementRow(
        line=number,
        transacted_at=transacted_at,
        description=cell("description")[:1000],
        credit=credit,
        reference=reference,
        raw=header_cells,
    )


def statement_import(data: bytes) -> ImportReport:
    """Record and match every credit row; raises ``StatementUnreadable`` (then
    nothing is imported)."""
    report = ImportReport()
    for row in statement_read(data):
        report.rows += 1
        result = bank_credit_record(
            credit=BankCredit(
                bank_reference=row.reference,
                amount=row.credit,
                content=row.description,
                transacted_at=row.transacted_at,
                source=BankTransaction.Source.STATEMENT,
                raw={"line": row.line, **row.raw},
            )
        )
        if result.created:
            report.created += 1
            report.outcomes[result.transaction.outcome] += 1
        else:
            report.duplicates += 1
    return report
