"""Site-wide pages: the home page, standard pages (about, terms...) and site settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from brands.selectors import cache_keys_shown
from core.language import request_language
from core.page_cache import CachedServeMixin
from organisations.page_copy import ScopedCopyForm
from organisations.page_forms import ScopedPageForm

from . import seo
from .blocks import BaseStreamBlock
from .selectors import home_page_context


class HomePage(CachedServeMixin, Page):
    """Anonymous visits are cached; featured products purge it like brand pages."""

    # Refuses other houses' images, documents and pages (organisations.page_forms).
    base_form_class = ScopedPageForm
    copy_form_class = ScopedCopyForm

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=500, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessment_title = models.CharField(
        _("assessment call-out title"), max_length=120, blank=True
    )
    assessment_text = models.TextField(
        _("assessment call-out text"), max_length=500, blank=True
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
            ],
            heading=_("Hero"),
        ),
        MultiFieldPanel(
            [FieldPanel("assessment_title"), FieldPanel("assessment_text")],
            heading=_("Digital readiness call-out"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(page=self))
        # Both cached on the request: the header and footer read them too.
        site = Site.find_for_request(request)
        home_url = self.get_full_url(request=request) or ""
        context.update(
            canonical_url=home_url,
            description=self.search_description or self.hero_text,
            json_ld=seo.home_ld(
                site_name=(site.site_name if site else "") or self.title,
                home_url=home_url,
                language=self.locale.language_code,
                settings=SiteSettings.for_request(request) if site else None,
            ),
        )
        return context

    def page_cache_keys(self, context):
        keys = cache_keys_shown(
            brands=context.get("featured_brands", ()),
            products=context.get("featured_products", ()),
        )
        return [*super().page_cache_keys(context), "home", *keys]


class StandardPage(Page):
    # Refuses other houses' images, documents and pages (organisations.page_forms).
    base_form_class = ScopedPageForm
    copy_form_class = ScopedCopyForm

    introduction = models.TextField(_("introduction"), max_length=500, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Header and footer content of a site; text fields come in both languages."""

    tagline_vi = models.CharField(_("tagline (Vietnamese)"), max_length=160, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=160, blank=True)
    footer_text_vi = models.TextField(
        _("footer text (Vietnamese)"), max_length=600, blank=True
    )
    footer_text_en = models.TextField(
        _("footer text (English)"), max_length=600, blank=True
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    zalo_url = models.URLField(_("Zalo official account"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("tagline_vi"), FieldPanel("tagline_en")], heading=_("Header")
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_text_vi"),
                FieldPanel("footer_text_en"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("address"),
                FieldPanel("facebook_url"),
                FieldPanel("zalo_url"),
            ],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    @property
    def tagline(self) -> str:
        return self.tagline_en if request_language() == "en" else self.tagline_vi

    @property
    def footer_text(self) -> str:
        return (
            self.footer_text_en if request_language() == "en" else self.footer_text_vi
        )
