"""The shop's admin screens: Wagtail's generic views, scoped by ``ShopPermissionPolicy``.

Each view looks rows up only among ``instances_user_has_permission_for``, so
another organisation's UUID is a plain 404, exactly like an unknown one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..errors import InvalidOrderStatus, ShopError
from ..forms import CodStepForm, FulfilmentForm, RefundForm, ShippingPolicyForm
from ..models import (
    PAID_STATUSES,
    FulfilmentStatus,
    PaymentMethod,
    PaymentStatus,
    ShippingPolicy,
    StockRecord,
)
from ..permissions import (
    AnyUser,
    stock_visible_to,
    user_may_change_shipping,
    user_may_set_cod_limit,
)
from ..services import cod as cod_services
from ..services import fulfilment as fulfilment_services
from ..services import refunds as refund_services
from ..services import shipping as shipping_services
from ..services import stock as stock_services
from .exports import orders_export
from .policy import REFUND


class ScopedListing(IndexView):
    """A listing of the user's own rows, rendered by the shop's own template."""

    paginate_by = None  # the templates show at most 200 rows, as before

    def get_base_queryset(self) -> QuerySet[Any]:
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        )

    def render_to_response(self, context, **response_kwargs):
        # Wagtail's own spreadsheet export is not used: ours write order
        # lines and neutralise formulas (shop.admin.exports).
        return super(IndexView, self).render_to_response(context, **response_kwargs)


class OrderIndexView(ScopedListing):
    template_name = "shop/admin/order_list.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.status = request.GET.get("status", "")
        self.payment = request.GET.get("payment", "")
        self.query = request.GET.get("q", "").strip()[:40]
        if self.payment not in PaymentStatus.values and self.payment != "all":
            self.payment = ""

    def order_queryset(self, queryset):
        return queryset.order_by("-order__created_at", "pk")

    def filter_queryset(self, queryset):
        if self.status in FulfilmentStatus.values:
            queryset = queryset.filter(status=self.status)
        if self.payment in PaymentStatus.values:
            queryset = queryset.filter(order__payment_status=self.payment)
        elif self.payment != "all":
            # A cash-on-delivery order is the brand's to confirm and ship
            # before anything is paid, so the default listing shows it too.
            queryset = queryset.filter(
                Q(order__payment_status__in=PAID_STATUSES)
                | Q(
                    order__payment_method=PaymentMethod.COD,
                    order__payment_status__in=cod_services.LIVE_ORDER_STATUSES,
                )
            )
        if self.query:
            queryset = queryset.filter(order__number__icontains=self.query)
        return queryset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") in ("csv", "xlsx"):
            return orders_export(
                fulfilments=self.get_queryset(), file_format=request.GET["export"]
            )
        return super().get(request, *args, **kwargs)

    def get_inspect_url(self, instance):
        return reverse(self.inspect_url_name, args=(instance.public_id,))

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context.update(
            fulfilments=context["object_list"][:200],
            statuses=FulfilmentStatus.choices,
            payments=PaymentStatus.choices,
            status=self.status,
            payment=self.payment,
            query=self.query,
            querystring=self.request.GET.urlencode(),
        )
        return context


def _scoped_object(view: Any, **lookup: Any) -> Model:
    """The user's own row matching ``lookup``; anyone else's is not found."""
    if not view.user_has_any_permission(["view"]):
        raise PermissionDenied
    found = (
        view.permission_policy.instances_user_has_permission_for(
            view.request.user, "view"
        )
        .filter(**lookup)
        .first()
    )
    if found is None:
        raise Http404
    return found


class OrderDetailView(InspectView):
    """One organisation's part of an order, with its delivery and refund forms."""

    template_name = "shop/admin/order_detail.html"

    def get_fields(self):
        return []  # the template lays the order out itself

    def get_object(self, queryset=None):
        return _scoped_object(self, public_id=self.pk)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        fulfilment = self.object
        self.may_refund = (
            self.permission_policy.user_has_permission_for_instance(
                request.user, REFUND, fulfilment
            )
            and fulfilment.order.is_paid
            # Cash was paid to the brand's courier: nothing to refund online.
            and fulfilment.order.payment_method != PaymentMethod.COD
        )
        self.fulfilment_form = FulfilmentForm(
            initial={
                "status": fulfilment.status,
                "carrier": fulfilment.carrier,
                "tracking_number": fulfilment.tracking_number,
            }
        )
        self.refund_form = RefundForm(initial={"amount": fulfilment.refundable})
        self.is_cod = fulfilment.order.payment_method == PaymentMethod.COD
        self.may_record_cod = self.is_cod and cod_services.user_may_record_cod(
            user=request.user, fulfilment=fulfilment
        )
        self.cod_form = CodStepForm(
            initial={
                "carrier": fulfilment.carrier,
                "tracking_number": fulfilment.tracking_number,
            }
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "cod":
            return self._cod_step()
        if action == "fulfilment" and self._save_fulfilment():
            messages.success(request, _("Delivery status saved."))
            return redirect(request.path)
        if action == "refund" and self._refund():
            messages.success(request, _("Refund sent to Stripe."))
            return redirect(request.path)
        return self.get(request, *args, **kwargs)

    def _save_fulfilment(self) -> bool:
        self.fulfilment_form = FulfilmentForm(self.request.POST)
        if not self.fulfilment_form.is_valid():
            return False
        try:
            fulfilment_services.fulfilment_update(
                fulfilment=self.object, **self.fulfilment_form.cleaned_data
            )
        except ShopError as error:
            messages.error(self.request, str(error.message))
            return False
        return True

    def _cod_step(self):
        """One cash-on-delivery step; a repeated one (double POST) is a no-op
        that lands on the same page."""
        if not self.is_cod:
            messages.error(self.request, str(InvalidOrderStatus.default_message))
            return self._rendered(status=409)
        if not self.may_record_cod:
            raise PermissionDenied
        self.cod_form = CodStepForm(self.request.POST)
        if not self.cod_form.is_valid():
            messages.error(self.request, str(InvalidOrderStatus.default_message))
            return self._rendered(status=400)
        data = self.cod_form.cleaned_data
        try:
            result = cod_services.cod_part_step(
                fulfilment=self.object,
                step=data["step"],
                user=self.request.user,
                carrier=data["carrier"],
                tracking_number=data["tracking_number"],
            )
        except ShopError as error:
            messages.error(self.request, str(error.message))
            return self._rendered(status=error.status)
        if result.changed:
            messages.success(self.request, _("Delivery status saved."))
        return redirect(self.request.path)

    def _rendered(self, *, status: int):
        self.object.refresh_from_db()
        response = self.get(self.request)
        response.status_code = status
        return response

    def _refund(self) -> bool:
        if not self.may_refund:
            raise PermissionDenied
        self.refund_form = RefundForm(self.request.POST)
        if not self.refund_form.is_valid():
            return False
        try:
            refund_services.refund_request(
                fulfilment=self.object,
                amount=self.refund_form.cleaned_data["amount"],
                reason=self.refund_form.cleaned_data["reason"],
                user=self.request.user,
            )
        except ShopError as error:
            messages.error(self.request, str(error.message))
            return False
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fulfilment = self.object
        context.update(
            fulfilment=fulfilment,
            order=fulfilment.order,
            lines=fulfilment.lines.all(),
            refunds=fulfilment.refunds.all(),
            review_entries=fulfilment.order.review_entries.all(),
            fulfilment_form=self.fulfilment_form,
            refund_form=self.refund_form,
            may_refund=self.may_refund,
            is_cod=self.is_cod,
            may_record_cod=self.may_record_cod,
            cod_form=self.cod_form,
            cod_steps=cod_services.cod_steps_for(fulfilment=fulfilment)
            if self.may_record_cod
            else [],
        )
        return context


class StockIndexView(ScopedListing):
    template_name = "shop/admin/stock.html"

    def order_queryset(self, queryset):
        return queryset.order_by("variant__sku")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["records"] = context["object_list"]
        return context


class StockUpdateView(PermissionCheckedMixin, View):
    """Sets one variant's units on hand (``<variant public id>/``); the form
    is inline in the stock listing, so a GET just goes back there."""

    any_permission_required = ["change"]
    index_url_name: str | None = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = _scoped_object(self, variant__public_id=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect(self.index_url_name)

    def post(self, request, *args, **kwargs):
        try:
            stock_services.stock_set_on_hand(
                record=self.object, raw_quantity=request.POST.get("quantity_on_hand")
            )
        except ShopError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Stock saved."))
        return redirect(self.index_url_name)


def low_stock(*, user: AnyUser, limit: int = 20) -> list[StockRecord]:
    """The user's variants at or below their low-stock threshold, fewest first."""
    return list(
        stock_visible_to(user=user)
        .filter(quantity_on_hand__lte=F("quantity_reserved") + F("low_stock_threshold"))
        .order_by("quantity_on_hand")[:limit]
    )


class ShippingIndexView(ScopedListing):
    """The brands' shipping terms the user may see; one row per organisation."""

    template_name = "shop/admin/shipping_list.html"

    def order_queryset(self, queryset):
        return queryset.order_by("organisation__legal_name")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["policies"] = context["object_list"]
        return context


class ShippingUpdateView(PermissionCheckedMixin, View):
    """A brand's shipping fee, free-shipping threshold and accepted payments
    (``<organisation public id>/``); owners and staff save, staff alone set
    the cash-on-delivery limit; anyone else's brand is not found."""

    any_permission_required = ["change"]
    index_url_name: str | None = None
    template_name = "shop/admin/shipping_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = _scoped_object(self, organisation__public_id=kwargs["pk"])
        if not user_may_change_shipping(user=request.user, policy=self.object):
            raise Http404
        self.may_set_cod_limit = user_may_set_cod_limit(user=request.user)

    def _render(self, form, status=200):
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "policy": self.object,
                "index_url": reverse(self.index_url_name),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self._render(
            ShippingPolicyForm(
                instance=self.object, may_set_cod_limit=self.may_set_cod_limit
            )
        )

    def post(self, request, *args, **kwargs):
        # The form edits a copy: a refused post must not touch self.object.
        form = ShippingPolicyForm(
            request.POST,
            instance=ShippingPolicy.objects.get(pk=self.object.pk),
            may_set_cod_limit=self.may_set_cod_limit,
        )
        if not form.is_valid():
            return self._render(form, status=400)
        shipping_services.shipping_policy_update(
            policy=self.object,
            values=form.cleaned_data,
            may_set_cod_limit=self.may_set_cod_limit,
        )
        messages.success(request, _("Shipping and payment terms saved."))
        return redirect(self.index_url_name)
