"""Read API of the shop for other apps (the province dashboard)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear

from .models import PAID_STATUSES, Order, OrderFulfilment, PaymentMethod


@dataclass(frozen=True)
class PeriodRevenue:
    period: str
    paid_orders: int
    revenue: int  # whole VND, net of refunds


def paid_orders_by_period(*, period: str = "quarter") -> list[PeriodRevenue]:
    """Paid orders and net revenue per month, quarter or year (by payment date)."""
    trunc = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}[period]
    # A partly paid cash-on-delivery order counts only its collected parts.
    uncollected = (
        OrderFulfilment.objects.filter(
            order=OuterRef("pk"),
            order__payment_method=PaymentMethod.COD,
            cash_collected_at__isnull=True,
        )
        .values("order")
        .annotate(amount=Sum(F("subtotal") + F("shipping_fee")))
        .values("amount")
    )
    rows = (
        Order.objects.filter(payment_status__in=PAID_STATUSES, paid_at__isnull=False)
        .annotate(
            bucket=trunc("paid_at"),
            uncollected=Coalesce(Subquery(uncollected), Value(0)),
        )
        .values("bucket")
        .annotate(
            paid_orders=Count("pk"),
            revenue=Sum(F("total") - F("amount_refunded") - F("uncollected")),
        )
        .order_by("bucket")
    )
    result = []
    for row in rows:
        bucket = row["bucket"]
        if period == "month":
            label = f"{bucket.year}-{bucket.month:02d}"
        elif period == "quarter":
            label = f"{bucket.year}-Q{(bucket.month - 1) // 3 + 1}"
        else:
            label = str(bucket.year)
        result.append(
            PeriodRevenue(
                period=label,
                paid_orders=row["paid_orders"],
                revenue=int(row["revenue"] or 0),
            )
        )
    return result
