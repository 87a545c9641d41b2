"""Order screens in the Wagtail admin, scoped by ``shop.permissions``.

Plain admin views rather than a ModelViewSet: Wagtail's model permissions are
model-wide, while each organisation must see only its own order lines.
"""

from __future__ import annotations

import csv
import uuid
from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import formula_neutralise
from organisations.models import Organisation
from organisations.selectors import organisations_for_user, user_is_province_staff

from .errors import ShopError
from .forms import FulfilmentForm, RefundForm, StatementForm
from .models import PAID_STATUSES, FulfilmentStatus, PaymentStatus, StockRecord
from .permissions import (
    AnyUser,
    fulfilments_visible_to,
    payables_visible_to,
    stock_visible_to,
    user_may_refund,
    user_sees_shop_admin,
)
from .services import fulfilment as fulfilment_services
from .services import refunds as refund_services
from .services import stock as stock_services


def _guard(request):
    if not user_sees_shop_admin(user=request.user):
        raise PermissionDenied


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


def _export_rows(fulfilments):
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
                f"{order.street}, {order.commune}, {order.province}",
                order.notes,
            ]


def _export(fulfilments, file_format: str):
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 Vietnamese only with a BOM
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADERS)
    for row in rows:
        writer.writerow([formula_neutralise(value) for value in row])
    return response


def order_list(request):
    _guard(request)
    fulfilments = fulfilments_visible_to(user=request.user).order_by(
        "-order__created_at", "pk"
    )
    status = request.GET.get("status", "")
    payment = request.GET.get("payment", "")
    query = request.GET.get("q", "").strip()[:40]
    if status in FulfilmentStatus.values:
        fulfilments = fulfilments.filter(status=status)
    if payment in PaymentStatus.values:
        fulfilments = fulfilments.filter(order__payment_status=payment)
    elif payment != "all":
        payment = ""
        fulfilments = fulfilments.filter(order__payment_status__in=PAID_STATUSES)
    if query:
        fulfilments = fulfilments.filter(order__number__icontains=query)
    if request.GET.get("export") in ("csv", "xlsx"):
        return _export(fulfilments, request.GET["export"])
    return render(
        request,
        "shop/admin/order_list.html",
        {
            "fulfilments": fulfilments[:200],
            "statuses": FulfilmentStatus.choices,
            "payments": PaymentStatus.choices,
            "status": status,
            "payment": payment,
            "query": query,
            "querystring": request.GET.urlencode(),
        },
    )


def order_detail(request):
    """One organisation's part of an order (``?order=<uuid>``, no id in the path,
    so the admin route guard delegates scoping to ``shop.permissions``)."""
    _guard(request)
    try:
        public_id = uuid.UUID(request.GET.get("order", ""))
    except ValueError as error:
        raise Http404 from error
    fulfilment = (
        fulfilments_visible_to(user=request.user).filter(public_id=public_id).first()
    )
    if fulfilment is None:
        raise Http404
    may_refund = (
        user_may_refund(user=request.user, fulfilment=fulfilment)
        and fulfilment.order.is_paid
    )
    fulfilment_form = FulfilmentForm(
        initial={
            "status": fulfilment.status,
            "carrier": fulfilment.carrier,
            "tracking_number": fulfilment.tracking_number,
        }
    )
    refund_form = RefundForm(initial={"amount": fulfilment.refundable})
    if request.method == "POST" and request.POST.get("action") == "fulfilment":
        fulfilment_form = FulfilmentForm(request.POST)
        if fulfilment_form.is_valid():
            try:
                fulfilment_services.fulfilment_update(
                    fulfilment=fulfilment, **fulfilment_form.cleaned_data
                )
            except ShopError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Delivery status saved."))
                return redirect(
                    f"{reverse('shop_admin:order_detail')}?order={public_id}"
                )
    elif request.method == "POST" and request.POST.get("action") == "refund":
        if not may_refund:
            raise PermissionDenied
        refund_form = RefundForm(request.POST)
        if refund_form.is_valid():
            try:
                refund_services.refund_request(
                    fulfilment=fulfilment,
                    amount=refund_form.cleaned_data["amount"],
                    reason=refund_form.cleaned_data["reason"],
                    user=request.user,
                )
            except ShopError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Refund sent to Stripe."))
                return redirect(
                    f"{reverse('shop_admin:order_detail')}?order={public_id}"
                )
    return render(
        request,
        "shop/admin/order_detail.html",
        {
            "fulfilment": fulfilment,
            "order": fulfilment.order,
            "lines": fulfilment.lines.all(),
            "refunds": fulfilment.refunds.all(),
            "fulfilment_form": fulfilment_form,
            "refund_form": refund_form,
            "may_refund": may_refund,
        },
    )


def statement(request):
    _guard(request)
    if user_is_province_staff(user=request.user):
        organisations = Organisation.objects.order_by("legal_name")
    else:
        organisations = organisations_for_user(user=request.user).order_by("legal_name")
    today = timezone.localdate()
    form = StatementForm(
        request.GET or None,
        organisations=organisations,
        initial={"start": today.replace(day=1), "end": today},
    )
    entries = None
    totals = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        zone = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(data["start"], time.min), zone)
        end = timezone.make_aware(datetime.combine(data["end"], time.max), zone)
        entries = (
            payables_visible_to(user=request.user)
            .filter(organisation=data["organisation"], created_at__range=(start, end))
            .select_related("order")
            .order_by("created_at", "pk")
        )
        totals = {
            row["kind"]: row["total"]
            for row in entries.values("kind").annotate(total=Sum("amount")).order_by()
        }
        totals["balance"] = sum(totals.values())
        if request.GET.get("export") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="statement.csv"'
            response.write("\ufeff")
            writer = csv.writer(response)
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
            writer.writerow(["", "", "balance", "", totals["balance"]])
            return response
    return render(
        request,
        "shop/admin/statement.html",
        {
            "form": form,
            "entries": entries,
            "totals": totals,
            "querystring": request.GET.urlencode(),
        },
    )


def low_stock(*, user: AnyUser, limit: int = 20) -> list[StockRecord]:
    """The user's variants at or below their low-stock threshold, fewest first."""
    return list(
        stock_visible_to(user=user)
        .filter(quantity_on_hand__lte=F("quantity_reserved") + F("low_stock_threshold"))
        .order_by("quantity_on_hand")[:limit]
    )


def stock_list(request):
    _guard(request)
    records = stock_visible_to(user=request.user).order_by("variant__sku")
    if request.method == "POST":
        record = records.filter(pk=request.POST.get("record", "0") or 0).first()
        if record is None:
            raise Http404
        try:
            stock_services.stock_set_on_hand(
                record=record, raw_quantity=request.POST.get("quantity_on_hand")
            )
        except ShopError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Stock saved."))
        return redirect("shop_admin:stock")
    return render(request, "shop/admin/stock.html", {"records": records})
