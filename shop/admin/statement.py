"""The payables statement: an organisation's ledger over a period, with its
balance and a CSV, on the same scoped listing as the other shop screens."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import HttpResponse
from django.utils import timezone

from organisations.models import Organisation
from organisations.selectors import organisations_for_user, user_is_province_staff

from .. import money
from ..forms import StatementForm
from ..models import PayableEntry
from .exports import statement_export
from .views import ScopedListing


class StatementView(ScopedListing):
    """An organisation's payables over a period, with its balance (and CSV)."""

    template_name = "shop/admin/statement.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if user_is_province_staff(user=request.user):
            organisations = Organisation.objects.order_by("legal_name")
        else:
            organisations = organisations_for_user(user=request.user)
            organisations = organisations.order_by("legal_name")
        today = timezone.localdate()
        self.form = StatementForm(
            request.GET or None,
            organisations=organisations,
            initial={"start": today.replace(day=1), "end": today},
        )

    def order_queryset(self, queryset):
        return queryset.select_related("order").order_by("created_at", "pk")

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        zone = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(data["start"], time.min), zone)
        end = timezone.make_aware(datetime.combine(data["end"], time.max), zone)
        return queryset.filter(
            organisation=data["organisation"], created_at__range=(start, end)
        )

    def get(self, request, *args, **kwargs) -> HttpResponse:
        if not (self.form.is_bound and self.form.is_valid()):
            return self.render_to_response(self._context(entries=None, totals={}))
        entries = self.get_queryset()
        totals = {
            row["kind"]: row["total"]
            for row in entries.values("kind").annotate(total=Sum("amount")).order_by()
        }
        settlement = money.settlement(
            (kind == PayableEntry.Kind.COD_FEE, total) for kind, total in totals.items()
        )
        totals["balance"] = settlement.net
        if request.GET.get("export") == "csv":
            return statement_export(entries=entries, settlement=settlement)
        return self.render_to_response(
            self._context(entries=entries, totals=totals, settlement=settlement)
        )

    def _context(
        self,
        *,
        entries: QuerySet[Any] | None,
        totals: dict[str, int],
        settlement: money.Settlement | None = None,
    ) -> dict[str, Any]:
        # IndexView's own context (header, breadcrumbs) wants an object list.
        self.object_list = entries if entries is not None else self.model.objects.none()
        context = self.get_context_data()
        context.update(
            form=self.form,
            entries=entries,
            totals=totals,
            settlement=settlement,
            querystring=self.request.GET.urlencode(),
        )
        return context
