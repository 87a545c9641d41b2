"""Read API of the shop for other apps (the province dashboard)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from .models import PAID_STATUSES, Order


@dataclass(frozen=True)
class PeriodRevenue:
    period: str
    paid_orders: int
    revenue: int  # whole VND, net of refunds


def paid_orders_by_period(*, period: str = "quarter") -> list[PeriodRevenue]:
    """Paid orders and net revenue per month, quarter or year (by payment date)."""
    trunc = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}[period]
    rows = (
        Order.objects.filter(payment_status__in=PAID_STATUSES, paid_at__isnull=False)
        .annotate(bucket=trunc("paid_at"))
        .values("bucket")
        .annotate(
            paid_orders=Count("pk"), revenue=Sum(F("total") - F("amount_refunded"))
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
