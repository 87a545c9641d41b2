"""Province staff manage organisations and communes in the Wagtail admin.

Model permissions decide access: only the province staff group (and
superusers) hold them, so organisations' own editors never see this menu.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import CreateView, DeleteView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page

from core.digits import refuse_foreign_digits

from .access import admin_scope, brand_pages_for_user
from .errors import OrganisationError
from .models import Commune, Organisation
from .page_copy import refuse_unknown_parent
from .services import organisation_mark_verified, organisation_onboard
from .views import members, owned_verified_organisations


class OrganisationCreateView(CreateView):
    """Province staff typing an organisation in have verified it themselves.

    It is verified by them and usable at once: its group and collection
    exist. A tax code a verified organisation already holds is a form error
    (a dispute for staff), with nothing saved.
    """

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except OrganisationError as error:
            form.instance.pk = None
            form.instance.verified_at = None
            form.add_error(None, str(error.message))
            self.produced_error_code = error.code
            self.produced_error_message = str(error.message)
            response = self.form_invalid(form)
            response.status_code = error.status
            return response

    def save_instance(self):
        instance = super().save_instance()
        instance = organisation_mark_verified(
            organisation=instance, by=self.request.user
        )
        organisation_onboard(organisation=instance)
        return instance


class OrganisationDeleteView(DeleteView):
    """Refuse, with a reason, to delete an organisation that still has records.

    Brand pages, orders, payables and assessments point at the organisation
    with PROTECT: money records must outlive it, and assessments must be
    deleted through their owner's action (which keeps the province totals
    right). Wagtail's reference index does not know those models, so the
    ProtectedError would otherwise surface as a server error.
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError as error:
            kinds = sorted(
                {str(obj._meta.verbose_name_plural) for obj in error.protected_objects}
            )
            messages.error(
                self.request,
                _(
                    "This organisation cannot be deleted while it still has: %(kinds)s. "
                    "Its brand pages must be deleted, its assessments deleted by its owner, "
                    "and orders and payables are kept for the accounts."
                )
                % {"kinds": ", ".join(kinds)},
            )
            return self.render_to_response(self.get_context_data(), status=409)


class OrganisationAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Free text, but its digits follow the site's one rule (core.digits).
        self.fields["phone"].validators.append(refuse_foreign_digits)


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    add_view_class = OrganisationCreateView
    delete_view_class = OrganisationDeleteView
    icon = "group"
    menu_label = _("Organisations")
    add_to_admin_menu = False
    list_display = ["legal_name", "kind", "tax_code", "commune", "sector", "size_class"]
    list_filter = ["kind", "sector", "size_class"]
    search_fields = ["legal_name", "trading_name", "tax_code"]
    ordering = ["legal_name"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("legal_name"),
                    FieldPanel("trading_name"),
                    FieldPanel("tax_code"),
                    FieldRowPanel([FieldPanel("sector"), FieldPanel("founded_year")]),
                ],
                heading=_("Identity"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("employees"),
                    FieldRowPanel(
                        [FieldPanel("annual_revenue"), FieldPanel("total_capital")]
                    ),
                ],
                heading=_("Size (Decree 80/2021)"),
                help_text=_(
                    "The size class (micro, small, medium, large) is derived from these "
                    "figures when you save."
                ),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("commune"),
                    FieldPanel("address"),
                    FieldPanel("contact_name"),
                    FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                    FieldPanel("website"),
                ],
                heading=_("Address and contact"),
            ),
        ],
        base_form_class=OrganisationAdminForm,
    )


class CommuneViewSet(ModelViewSet):
    model = Commune
    icon = "site"
    menu_label = _("Communes and wards")
    add_to_admin_menu = False
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    form_fields = ["name", "kind"]


class OrganisationsGroup(ViewSetGroup):
    menu_label = _("Organisations")
    menu_icon = "group"
    menu_order = 200
    items = (OrganisationViewSet("organisations"), CommuneViewSet("communes"))


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationsGroup()


# --- Editors stay in their own house ------------------------------------------
# Route-level refusals live in admin_guard.AdminScopeMiddleware; the hooks
# below scope what listings, choosers and menus *show*. Both ask
# organisations.access, the one place that knows an admin user's scope.


# Wagtail's copy view reads the posted parent id before validating the form.
hooks.register("before_copy_page", refuse_unknown_parent)


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    return admin_scope(user=request.user).choosable_pages(pages)


@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    return admin_scope(user=request.user).visible_pages(pages)


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images, limited to the user's own collections."""

    def get_queryset(self):
        return admin_scope(user=self.request.user).owned_collection_members(
            super().get_queryset()
        )


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents, limited to the user's own collections."""

    def get_queryset(self):
        return admin_scope(user=self.request.user).owned_collection_members(
            super().get_queryset()
        )


# Runs after wagtail.images/wagtail.documents register their endpoints
# (order 0), replacing them with the scoped versions.
@hooks.register("construct_admin_api", order=100)
def scope_admin_api(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


# Global areas organisation members never need; Wagtail hides most of them
# already for lack of permissions, this keeps it so if a grant slips in.
STAFF_ONLY_MENU_ITEMS = frozenset(
    {
        "snippets",
        "settings",
        "reports",
        "users",
        "groups",
        "workflows",
        "workflow-tasks",
        "redirects",
        "sites",
        "locales",
        "collections",
        "organisations",
    }
)


@hooks.register("construct_main_menu")
def hide_staff_menu_items(request, menu_items):
    if admin_scope(user=request.user).unrestricted:
        return
    menu_items[:] = [
        item for item in menu_items if item.name not in STAFF_ONLY_MENU_ITEMS
    ]


class OwnBrandPanel(Component):
    """Dashboard shortcuts to the member's own brand pages, in each language."""

    name = "own_brand"
    order = 50
    template_name = "organisations/admin/own_brand_panel.html"

    def __init__(self, pages, can_publish):
        self.pages = pages
        self.can_publish = can_publish

    def get_context_data(self, parent_context):
        return {"pages": self.pages, "can_publish": self.can_publish}


@hooks.register("construct_homepage_panels")
def add_own_brand_panel(request, panels):
    scope = admin_scope(user=request.user)
    if scope.unrestricted:
        return
    pages = [page.specific for page in brand_pages_for_user(user=request.user)]
    if pages:
        can_publish = any(
            page.permissions_for_user(request.user).can_publish() for page in pages
        )
        panels.insert(0, OwnBrandPanel(pages, can_publish))


# After wagtail.admin's own hook (order 0) has added its PagesSummaryItem.
@hooks.register("construct_homepage_summary_items", order=100)
def scope_summary_items(request, items):
    # Wagtail's page count covers the whole tree for a member whose brand
    # exists in two languages (their common ancestor is the root); count
    # only the member's own pages instead.
    scope = admin_scope(user=request.user)
    if scope.unrestricted:
        return
    for index, item in enumerate(items):
        if isinstance(item, PagesSummaryItem):
            items[index] = OwnPagesSummaryItem(request)


class OwnPagesSummaryItem(PagesSummaryItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        own = admin_scope(user=self.request.user).owned_pages(Page.objects.all())
        context["total_pages"] = own.count()
        roots = list(brand_pages_for_user(user=self.request.user)[:1])
        context["root_page"] = roots[0] if roots else None
        return context


class MembersMenuItem(MenuItem):
    def is_shown(self, request):
        return owned_verified_organisations(request.user).exists()


@hooks.register("register_admin_urls")
def register_members_urls():
    members_urls = [path("", members, name="index")]
    return [
        path(
            "organisation/members/",
            include(
                (members_urls, "organisation_members"), namespace="organisation_members"
            ),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_members_menu_item():
    return MembersMenuItem(
        _("Members"),
        reverse("organisation_members:index"),
        icon_name="group",
        order=260,
    )
