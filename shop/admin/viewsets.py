"""Routes of the shop admin: one ``ModelViewSet`` per model, public UUIDs in
the path (``shop/orders/<fulfilment public id>/``, ``shop/stock/<variant
public id>/``), never a sequential id.

Only the views listed here exist (no add, edit, delete, history or usage):
orders and payables are written by the shop's services, not by forms on the
rows. The viewsets register no Django model permissions, admin URL finder or
reference index: ``ShopPermissionPolicy`` decides from memberships.
"""

from __future__ import annotations

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import OrderFulfilment, PayableEntry, ShippingPolicy, StockRecord
from ..permissions import (
    fulfilments_visible_to,
    payables_visible_to,
    shipping_policies_visible_to,
    stock_visible_to,
)
from . import views
from .policy import ShopPermissionPolicy
from .statement import StatementView

_NO_ROUTES = dict.fromkeys(
    (
        "add_url_name",
        "edit_url_name",
        "delete_url_name",
        "history_url_name",
        "usage_url_name",
        "index_results_url_name",
    )
)


class _ShopViewSet(ModelViewSet):
    add_to_admin_menu = False  # wagtail_hooks adds the three menu items
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        # Wagtail's views link to the routes a full ModelViewSet has; these
        # viewsets leave most of them out.
        return super().get_common_view_kwargs(**dict(_NO_ROUTES, **kwargs))

    def register_admin_url_finder(self):
        """No edit view to link rows to."""

    def register_permissions(self):
        """No model permissions: membership decides (ShopPermissionPolicy)."""


class OrderViewSet(_ShopViewSet):
    model = OrderFulfilment
    icon = "list-ul"
    permission_policy = ShopPermissionPolicy(
        OrderFulfilment, visible=fulfilments_visible_to
    )
    index_view_class = views.OrderIndexView
    inspect_view_class = views.OrderDetailView
    inspect_view_enabled = True

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("<uuid:pk>/", self.inspect_view, name="inspect"),
        ]


class StockViewSet(_ShopViewSet):
    model = StockRecord
    icon = "tasks"
    permission_policy = ShopPermissionPolicy(StockRecord, visible=stock_visible_to)
    index_view_class = views.StockIndexView

    def get_urlpatterns(self):
        update = self.construct_view(views.StockUpdateView)
        return [
            path("", self.index_view, name="index"),
            path("<uuid:pk>/", update, name="update"),
        ]


class PayableViewSet(_ShopViewSet):
    model = PayableEntry
    icon = "doc-full"
    permission_policy = ShopPermissionPolicy(PayableEntry, visible=payables_visible_to)
    index_view_class = StatementView

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index")]


class ShippingViewSet(_ShopViewSet):
    model = ShippingPolicy
    icon = "site"
    permission_policy = ShopPermissionPolicy(
        ShippingPolicy, visible=shipping_policies_visible_to
    )
    index_view_class = views.ShippingIndexView

    def get_urlpatterns(self):
        update = self.construct_view(views.ShippingUpdateView)
        return [
            path("", self.index_view, name="index"),
            path("<uuid:pk>/", update, name="update"),
        ]


def shop_viewsets() -> list[ModelViewSet]:
    return [
        OrderViewSet("shop_orders", url_prefix="shop/orders"),
        StockViewSet("shop_stock", url_prefix="shop/stock"),
        PayableViewSet("shop_statement", url_prefix="shop/statement"),
        ShippingViewSet("shop_shipping", url_prefix="shop/shipping"),
    ]
