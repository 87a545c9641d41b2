"""The shop admin's spreadsheets: order lines (CSV/XLSX) and the statement (CSV).

Every cell a buyer or an editor typed goes through ``formula_neutralise`` so a
spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from core.spreadsheets import formula_neutralise

from .. import money
from ..models import OrderFulfilment, PayableEntry

EXPORT_HEADERS = [
    "order",
    "created",
    "brand",
    "payment",
    "fulfilment",
    "sku",
    "product",
    "variant",
    "quantity",
    "unit_price",
    "line_total",
    "recipient",
    "phone",
    "address",
    "notes",
]


def _export_rows(fulfilments: Iterable[OrderFulfilment]) -> Iterator[list[Any]]:
    for fulfilment in fulfilments:
        order = fulfilment.order
        for line in fulfilment.lines.all():
            yield [
                order.number,
                timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M"),
                fulfilment.brand_title,
                order.payment_status,
                fulfilment.status,
                line.sku,
                line.product_title,
                line.variant_name,
                line.quantity,
                line.unit_price,
                line.line_total,
                order.recipient_name,
                order.recipient_phone,
                order.address_text,
                order.notes,
            ]


def _csv_response(filename: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 Vietnamese only with a BOM
    return response, csv.writer(response)


def orders_export(
    *, fulfilments: QuerySet[OrderFulfilment], file_format: str
) -> HttpResponse:
    rows = _export_rows(fulfilments.prefetch_related("lines"))
    if file_format == "xlsx":
        # openpyxl is loaded only when somebody exports to XLSX.
        from openpyxl import Workbook  # noqa: PLC0415
        from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("orders")
        sheet.append(EXPORT_HEADERS)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=formula_neutralise(value))
                if isinstance(value, str):
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="orders.xlsx"'
        workbook.save(response)
        return response
    response, writer = _csv_response("orders.csv")
    writer.writerow(EXPORT_HEADERS)
    for row in rows:
        writer.writerow([formula_neutralise(value) for value in row])
    return response


def statement_export(
    *, entries: Iterable[PayableEntry], settlement: money.Settlement
) -> HttpResponse:
    response, writer = _csv_response("statement.csv")
    writer.writerow(["date", "order", "kind", "description", "amount"])
    for entry in entries:
        writer.writerow(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
                entry.order.number,
                entry.kind,
                formula_neutralise(entry.description),
                entry.amount,
            ]
        )
    # Both directions, then the net (what the "balance" row always was).
    writer.writerow(
        ["", "", "owed_to_organisation", "", settlement.owed_to_organisation]
    )
    writer.writerow(
        ["", "", "owed_by_organisation", "", settlement.owed_by_organisation]
    )
    writer.writerow(["", "", "balance", "", settlement.net])
    return response
