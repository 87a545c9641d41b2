"""The applications queue for province staff, and the new owner's checklist."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Locale

from brands.models import BrandPage
from organisations.access import admin_scope
from organisations.selectors import user_is_province_staff

from . import admin_views
from .checklist import brand_checklist


class ApplicationsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_province_staff(user=request.user)


@hooks.register("register_admin_urls")
def register_applications_urls():
    urls = [
        path("", admin_views.index, name="index"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/evidence/", admin_views.evidence, name="evidence"),
    ]
    return [
        path(
            "applications/",
            include((urls, "joining_applications"), namespace="joining_applications"),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ApplicationsMenuItem(
        _("Organisation applications"),
        reverse("joining_applications:index"),
        name="organisation-applications",
        icon_name="form",
        order=190,
    )


class ChecklistPanel(Component):
    """The owner's first steps on their own brand (logo to moderation)."""

    name = "brand_checklist"
    order = 40
    template_name = "joining/admin/checklist_panel.html"

    def __init__(self, brands):
        self.brands = brands

    def get_context_data(self, parent_context):
        return {"brands": self.brands}


@hooks.register("construct_homepage_panels")
def add_checklist_panel(request, panels):
    if admin_scope(user=request.user).unrestricted:
        return
    pages = BrandPage.objects.filter(
        organisation__memberships__user=request.user,
        organisation__verified_at__isnull=False,
        locale=Locale.get_default(),
    ).distinct()
    brands = []
    for page in pages:
        items = brand_checklist(page=page)
        if not all(item.done for item in items):
            brands.append((page, items))
    if brands:
        panels.insert(0, ChecklistPanel(brands))
