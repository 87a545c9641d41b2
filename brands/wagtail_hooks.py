"""Admin for product variants (prices, packs): scoped to the user's organisations.

Variants are not page content (no revisions), so they get their own viewset.
Who may edit which organisation's variants is decided in
``organisations.selectors.organisation_ids_user_may_edit``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy

from core.digits import ascii_int
from organisations.selectors import organisation_ids_user_may_edit

from .errors import ProductHasOrders
from .models import (
    BrandCertification,
    BrandPage,
    ProductCertification,
    ProductPage,
    ProductVariant,
)
from .services import pages_delete_check, variant_delete, variant_save


def _brand_paths(organisation_ids) -> list[str]:
    return list(
        BrandPage.objects.filter(organisation_id__in=organisation_ids).values_list(
            "path", flat=True
        )
    )


def editable_products(user):
    """Default-language product pages whose variants ``user`` may edit."""
    products = ProductPage.objects.filter(locale__language_code="vi")
    ids = organisation_ids_user_may_edit(user=user)
    if ids is None:
        return products
    paths = _brand_paths(ids)
    if not paths:
        return products.none()
    return products.filter(Q(*[Q(path__startswith=p) for p in paths], _connector=Q.OR))


class VariantPermissionPolicy(BasePermissionPolicy):
    """Members edit their own organisations' variants; staff edit all."""

    def user_has_permission(self, user, action):
        # Asked for every row of the listing (edit and delete links) and by
        # the admin menu: look the memberships up once per request's user.
        if not hasattr(user, "_variant_organisation_ids"):
            user._variant_organisation_ids = organisation_ids_user_may_edit(user=user)
        ids = user._variant_organisation_ids
        return ids is None or bool(ids)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def instances_user_has_any_permission_for(self, user, actions):
        return ProductVariant.objects.filter(product__in=editable_products(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return (
            self.instances_user_has_any_permission_for(user, actions)
            .filter(pk=instance.pk)
            .exists()
        )

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


class _ProductChoiceField(forms.ModelChoiceField):
    """Refuses non-numeric or out-of-range ids before they reach the database
    (SQLite raises OverflowError past 2**63, which Django does not catch)."""

    def to_python(self, value):
        if value not in self.empty_values and ascii_int(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class VariantAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "product" in self.fields and self.for_user is not None:
            old = self.fields["product"]
            field = self.fields["product"] = _ProductChoiceField(
                queryset=editable_products(self.for_user).order_by("path"),
                label=old.label,
                help_text=old.help_text,
                required=old.required,
            )
            # A plain select of the organisation's own products: the page
            # chooser widget crashed re-rendering a tampered, non-numeric id.
            field.widget = forms.Select(attrs={"class": "w-field__select"})
            field.widget.choices = field.choices


class _ScopedObjectMixin:
    """Another organisation's variant is 'not found', never shown."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        ):
            raise Http404
        return obj


class VariantIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"]
        ).select_related("product")


class VariantCreateView(CreateView):
    def save_instance(self):
        return variant_save(variant=self.form.save(commit=False))


class VariantEditView(_ScopedObjectMixin, EditView):
    def save_instance(self):
        return variant_save(variant=self.form.save(commit=False))


class VariantDeleteView(_ScopedObjectMixin, DeleteView):
    def delete_action(self):
        variant_delete(variant=self.object)

    def form_valid(self, form):
        # An ordered variant: say why and what to do instead, on the same
        # confirmation screen, rather than a server error from the database.
        try:
            return super().form_valid(form)
        except ProductHasOrders as error:
            messages.error(self.request, str(error.message))
            return self.render_to_response(self.get_context_data(), status=error.status)


class ProductVariantViewSet(ModelViewSet):
    model = ProductVariant
    icon = "tag"
    menu_label = _("Product variants")
    add_to_admin_menu = True
    menu_order = 210
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "sku",
        "name",
        "product",
        "price",
        # The raw boolean read "True" in the Vietnamese admin.
        Column(
            "is_active",
            label=_("on sale"),
            accessor=lambda variant: _("Yes") if variant.is_active else _("No"),
        ),
    ]
    list_filter = ["is_active"]
    search_fields = ["sku", "name", "name_en"]
    permission_policy = VariantPermissionPolicy(ProductVariant)
    index_view_class = VariantIndexView
    add_view_class = VariantCreateView
    edit_view_class = VariantEditView
    delete_view_class = VariantDeleteView
    edit_handler = ObjectList(
        [
            FieldPanel("product"),
            FieldRowPanel([FieldPanel("sku"), FieldPanel("is_active")]),
            FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
            FieldRowPanel([FieldPanel("price"), FieldPanel("compare_at_price")]),
            FieldRowPanel([FieldPanel("weight_grams"), FieldPanel("sort_order")]),
        ],
        base_form_class=VariantAdminForm,
    )


@hooks.register("register_admin_viewset")
def register_variant_viewset():
    return ProductVariantViewSet("product_variants")


@hooks.register("before_delete_page")
def refuse_deleting_ordered_pages(request, page):
    """Wagtail's page delete view: the confirmation says why, the POST refuses."""
    try:
        pages_delete_check(pages=[page])
    except ProductHasOrders as error:
        messages.error(request, str(error.message))
        if request.method == "POST":
            return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_ordered_pages(request, action_type, objects, action_class):
    """Wagtail's bulk delete of pages from the explorer listing."""
    if action_type != "delete" or not all(isinstance(o, Page) for o in objects):
        return None
    try:
        pages_delete_check(pages=objects)
    except ProductHasOrders as error:
        messages.error(request, str(error.message))
        return redirect(action_class.next_url)
    return None


class ExpiredCertificatesPanel(Component):
    """Dashboard warning: certificates past expiry are hidden from visitors."""

    name = "expired_certificates"
    order = 90
    template_name = "brands/admin/expired_certificates_panel.html"

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context=None):
        return {"rows": self.rows}


@hooks.register("construct_homepage_panels")
def add_expired_certificates_panel(request, panels):
    ids = organisation_ids_user_may_edit(user=request.user)
    today = timezone.localdate()
    rows = []
    for model in (BrandCertification, ProductCertification):
        expired = model.objects.filter(valid_until__lt=today).select_related("page")
        if ids is not None:
            paths = _brand_paths(ids)
            if not paths:
                continue
            expired = expired.filter(
                Q(*[Q(page__path__startswith=p) for p in paths], _connector=Q.OR)
            )
        rows.extend(expired.order_by("valid_until")[:20])
    if rows:
        panels.append(ExpiredCertificatesPanel(rows))


__all__ = ["Page", "ProductVariantViewSet", "editable_products"]
