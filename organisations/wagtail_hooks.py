"""Province staff manage organisations and communes in the Wagtail admin.

Model permissions decide access: only the province staff group (and
superusers) hold them, so organisations' own editors never see this menu.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Commune, Organisation
from .services import organisation_onboard


class OrganisationCreateView(CreateView):
    def save_instance(self):
        # A new organisation is usable at once: its group and collection exist.
        instance = super().save_instance()
        organisation_onboard(organisation=instance)
        return instance


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    add_view_class = OrganisationCreateView
    icon = "group"
    menu_label = _("Organisations")
    add_to_admin_menu = False
    list_display = ["legal_name", "kind", "tax_code", "commune", "sector", "size_class"]
    list_filter = ["kind", "sector", "size_class"]
    search_fields = ["legal_name", "trading_name", "tax_code"]
    ordering = ["legal_name"]
    inspect_view_enabled = True
    panels = [
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
    ]


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
