"""Shop entries in the Wagtail admin: orders, stock, statements, low-stock panel.

The screens are the viewsets of ``shop.admin.viewsets``; this module only
registers them, their menu items and the home panel.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from .admin.policy import request_user_sees_shop_admin
from .admin.views import low_stock
from .admin.viewsets import shop_viewsets


class ShopMenuItem(MenuItem):
    def is_shown(self, request):
        return request_user_sees_shop_admin(request.user)


@hooks.register("register_admin_viewset")
def register_shop_viewsets():
    return shop_viewsets()


@hooks.register("register_admin_menu_item")
def register_orders_menu_item():
    return ShopMenuItem(
        _("Orders"), reverse("shop_orders:index"), icon_name="list-ul", order=250
    )


@hooks.register("register_admin_menu_item")
def register_stock_menu_item():
    return ShopMenuItem(
        _("Stock"), reverse("shop_stock:index"), icon_name="tasks", order=251
    )


@hooks.register("register_admin_menu_item")
def register_statement_menu_item():
    return ShopMenuItem(
        _("Payables"),
        reverse("shop_statement:index"),
        icon_name="doc-full",
        order=252,
    )


@hooks.register("register_admin_menu_item")
def register_shipping_menu_item():
    return ShopMenuItem(
        _("Shipping and payments"),
        reverse("shop_shipping:index"),
        icon_name="site",
        order=253,
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
    if not request_user_sees_shop_admin(request.user):
        return
    records = low_stock(user=request.user)
    if records:
        panels.append(LowStockPanel(records))
