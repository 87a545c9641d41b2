"""Shop entries in the Wagtail admin: orders, stock, statements, low-stock panel."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_views
from .permissions import user_sees_shop_admin


def _request_sees_shop_admin(request) -> bool:
    """``user_sees_shop_admin`` once per request: the three menu items and the
    home panel ask on every admin page, and each answer costs queries."""
    shown = getattr(request, "_shop_admin_shown", None)
    if shown is None:
        shown = request._shop_admin_shown = user_sees_shop_admin(user=request.user)
    return shown


class ShopMenuItem(MenuItem):
    def is_shown(self, request):
        return _request_sees_shop_admin(request)


admin_urlpatterns = [
    path("orders/", admin_views.order_list, name="orders"),
    path("orders/view/", admin_views.order_detail, name="order_detail"),
    path("stock/", admin_views.stock_list, name="stock"),
    path("statement/", admin_views.statement, name="statement"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "shop/", include((admin_urlpatterns, "shop_admin"), namespace="shop_admin")
        )
    ]


@hooks.register("register_admin_menu_item")
def register_orders_menu_item():
    return ShopMenuItem(
        _("Orders"), reverse("shop_admin:orders"), icon_name="list-ul", order=250
    )


@hooks.register("register_admin_menu_item")
def register_stock_menu_item():
    return ShopMenuItem(
        _("Stock"), reverse("shop_admin:stock"), icon_name="tasks", order=251
    )


@hooks.register("register_admin_menu_item")
def register_statement_menu_item():
    return ShopMenuItem(
        _("Payables"), reverse("shop_admin:statement"), icon_name="doc-full", order=252
    )


class LowStockPanel(Component):
    name = "shop_low_stock"
    order = 90
    template_name = "shop/admin/low_stock_panel.html"

    def __init__(self, records):
        self.records = records

    def get_context_data(self, parent_context=None):
        return {"records": self.records}


@hooks.register("construct_homepage_panels")
def add_low_stock_panel(request, panels):
    if not _request_sees_shop_admin(request):
        return
    records = admin_views.low_stock(user=request.user)
    if records:
        panels.append(LowStockPanel(records))
