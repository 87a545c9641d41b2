"""Statement import: CSV as Vietnamese internet banking exports it, through the
same matcher as the bank feed; importing twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shop.models import BankTransaction, Order, PayableEntry, PaymentStatus
from shop.services.statements import (
    StatementUnreadable,
    statement_import,
    statement_read,
)
from shop.services.transfers import REASON_UNDERPAID, REASON_UNKNOWN_REFERENCE
from tests.factories import shop as shop_factories

from .bankfeed_helpers import notification, place_vietqr, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def rice(db):
    return shop_factories.variant(price=1_250_000, on_hand=5)


def _vcb(rows: list[str], *, delimiter: str = ",") -> bytes:
    head = [
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM",
        "SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT",
        "Số tài khoản: 0123456789",
        "",
        delimiter.join(
            [
                "STT",
                "Ngày giao dịch",
                "Số tham chiếu",
                "Số tiền ghi nợ",
                "Số tiền ghi có (VND)",
                "Nội dung chi tiết",
            ]
        ),
    ]
    tail = [delimiter.join(["", "Tổng cộng", "", "100.000", "9.999.999", ""])]
    return ("\n".join(head + rows + tail) + "\n").encode("utf-8-sig")


def test_a_statement_pays_the_transfer_whose_notification_never_came(
    bank_settings, rice
):
    order = place_vietqr({rice: 1})
    assert order.total == 1_250_000
    data = _vcb(
        [
            f'1,07/12/2026 10:15:02,FT26341A1,,"1.250.000","MBVCB.1.{order.transfer_reference}.CT"',
            '2,07/12/2026,FT26341A2,"100.000",,"Phi dich vu"',
            '3,07/12/2026,FT26341A3,,"5.000","khong co ma"',
        ]
    )
    report = statement_import(data)
    assert (report.rows, report.created, report.duplicates) == (2, 2, 0)
    assert report.outcomes == {"paid": 1, "review": 1}
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    paid = BankTransaction.objects.get(outcome="paid")
    assert (paid.source, paid.amount, paid.order_id) == (
        "statement",
        1_250_000,
        order.pk,
    )
    assert paid.transacted_at is not None
    assert BankTransaction.objects.get(outcome="review").reason == (
        REASON_UNKNOWN_REFERENCE
    )

    # The same statement again: nothing changes.
    again = statement_import(data)
    assert (again.rows, again.created, again.duplicates) == (2, 0, 2)
    assert BankTransaction.objects.count() == 2
    assert PayableEntry.objects.filter(order=order, kind="sale").count() == 1


def test_a_transfer_the_feed_reported_is_not_imported_again(bank_settings, rice):
    order = place_vietqr({rice: 1})
    send(
        notification(
            amount=order.total, content=order.transfer_reference, reference="FT9"
        )
    )
    data = _vcb([f'1,07/12/2026,FT9,,"1.250.000","{order.transfer_reference}"'])
    report = statement_import(data)
    assert (report.created, report.duplicates) == (0, 1)
    assert BankTransaction.objects.get().source == "notification"
    assert not Order.objects.get(pk=order.pk).needs_review


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1.250.000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1250000", 1_250_000),
        ("1.250.000,00", 1_250_000),
        ("1,250,000.00", 1_250_000),
        ("1.250.000 VND", 1_250_000),
    ],
)
def test_amount_formats_banks_print(amount, expected):
    rows = statement_read(_vcb([f'1,07/12/2026,FT1,,"{amount}","x"']))
    assert [row.credit for row in rows] == [expected]
    assert type(rows[0].credit) is int


def test_semicolons_and_english_headers_are_read():
    data = (
        b"Date;Description;Credit;Debit;Reference\n"
        b"2026-12-07;AGCDEFGH payment;250.000;;FT77\n"
    )
    [row] = statement_read(data)
    assert (row.reference, row.credit, row.description) == (
        "FT77",
        250_000,
        "AGCDEFGH payment",
    )


def test_headers_without_accents_are_read():
    data = (
        b"Ngay giao dich,Dien giai,So tien ghi co,So but toan\n"
        b'07/12/2026,AGCDEFGH,"50.000",FT78\n'
    )
    assert [row.reference for row in statement_read(data)] == ["FT78"]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ('1,hom qua,FT1,,"1.000","x"', "date"),
        ('1,07/12/2026,FT1,,"1.25","x"', "credit"),
        ('1,07/12/2026,FT1,,"-1.000","x"', "credit"),
        ('1,07/12/2026,,,"1.000","x"', "reference"),
    ],
)
def test_a_bad_row_imports_nothing_and_names_its_line(
    bank_settings, rice, row, problem
):
    order = place_vietqr({rice: 1})
    good = f'1,07/12/2026,FT2,,"1.250.000","{order.transfer_reference}"'
    with pytest.raises(StatementUnreadable) as error:
        statement_import(_vcb([good, row]))
    assert any(problem in p and "Line 7" in p for p in error.value.problems)
    assert BankTransaction.objects.count() == 0
    assert Order.objects.get(pk=order.pk).payment_status == PaymentStatus.PENDING


def test_one_reference_with_two_different_rows_is_refused():
    with pytest.raises(StatementUnreadable) as error:
        statement_read(
            _vcb(['1,07/12/2026,FT1,,"1.000","a"', '2,07/12/2026,FT1,,"2.000","b"'])
        )
    assert "also on line 6" in error.value.problems[0]


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\xff\xfe garbage \x81", b"a,b,c\n1,2,3\n", "Ngày,Nội dung\n".encode()],
)
def test_files_that_are_not_statements_are_refused(data):
    with pytest.raises(StatementUnreadable):
        statement_read(data)


def test_the_command_imports_and_reports(bank_settings, rice, tmp_path):
    order = place_vietqr({rice: 1})
    path = tmp_path / "sao-ke.csv"
    path.write_bytes(
        _vcb([f'1,07/12/2026,FT5,,"1.000.000","{order.transfer_reference}"'])
    )
    out = StringIO()
    call_command("shop_import_statement", str(path), stdout=out)
    assert out.getvalue().strip() == "rows=1 new=1 duplicates=0 review=1"
    assert BankTransaction.objects.get().reason == REASON_UNDERPAID
    out = StringIO()
    call_command("shop_import_statement", str(path), stdout=out)
    assert out.getvalue().strip() == "rows=1 new=0 duplicates=1"


def test_the_command_refuses_a_bad_file_clearly(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_vcb(['1,07/12/2026,FT1,,"1,5","x"']))
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("shop_import_statement", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("shop_import_statement", str(tmp_path / "missing.csv"))
