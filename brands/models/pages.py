"""The brand index, the product catalogue and one brand page per organisation.

What lives in page revisions: content (texts, images, story, certificates).
What does not: sellable facts (variants and prices, ``catalogue.ProductVariant``;
stock in the shop), so publishing an old revision never brings back an old price.

Page contexts are built here, in ``get_context``, from ``brands.selectors``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.language import request_language
from core.page_cache import CachedServeMixin
from core.page_query import NAME, PAGE_NUMBER, SLUG
from core.page_tree import LiveAncestryRouteMixin
from core.text import ascii_slug, fold
from organisations.page_copy import ScopedCopyForm
from organisations.page_forms import ScopedPageForm

from .. import seo
from ..blocks import StoryStreamBlock
from ..forms import BrandFilterForm, CatalogueFilterForm, valid_filters
from ..validators import validate_hex_colour
from .context import brand_selectors, query_without_page

CATALOGUE_PAGE_SIZE = 24
BRAND_PAGE_SIZE = 24


def _image_fk(verbose_name):
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class BrandIndexPage(LiveAncestryRouteMixin, CachedServeMixin, Page):
    """All brands of the province (one per language tree)."""

    # Refuses other houses' images, documents and pages (organisations.page_forms).
    base_form_class = ScopedPageForm
    copy_form_class = ScopedCopyForm

    introduction = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["brands.BrandPage"]
    max_count_per_parent = 1
    # BrandFilterForm's fields and the paginator (see core.page_cache).
    page_cache_params = {
        "category": SLUG,
        "certification": SLUG,
        "commune": NAME,
        "sort": SLUG,
        "page": PAGE_NUMBER,
    }

    class Meta:
        verbose_name = _("brand index")

    def page_cache_keys(self, context):
        keys = brand_selectors().cache_keys_shown(brands=context.get("brands", ()))
        return [*super().page_cache_keys(context), "brands", *keys]

    def get_context(self, request, *args, **kwargs):
        selectors = brand_selectors()
        context = super().get_context(request, *args, **kwargs)
        form = BrandFilterForm(request.GET or None, communes=selectors.brand_communes())
        filters = valid_filters(form)
        brands = selectors.brand_cards_filtered(
            language=request_language(),
            category=filters.get("category", ""),
            certification=filters.get("certification", ""),
            commune=filters.get("commune", ""),
            sort=filters.get("sort", ""),
        )
        page_obj = Paginator(brands, BRAND_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            filter_form=form,
            brands=list(page_obj.object_list),
            page_obj=page_obj,
            query_string=query_without_page(request),
            breadcrumbs=seo.breadcrumbs(page=self, request=request),
        )
        return context


class CataloguePage(CachedServeMixin, Page):
    """Every product of every brand, with filters."""

    # Refuses other houses' images, documents and pages (organisations.page_forms).
    base_form_class = ScopedPageForm
    copy_form_class = ScopedCopyForm

    introduction = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    # CatalogueFilterForm's fields and the paginator (see core.page_cache).
    # Free text (q) and prices have unbounded values: rendered, never stored.
    page_cache_params = {
        "category": SLUG,
        "brand": SLUG,
        "certification": SLUG,
        "in_stock": "on",
        "sort": SLUG,
        "page": PAGE_NUMBER,
    }

    class Meta:
        verbose_name = _("product catalogue")

    def page_cache_keys(self, context):
        keys = brand_selectors().cache_keys_shown(products=context.get("products", ()))
        return [*super().page_cache_keys(context), "catalogue", *keys]

    def get_context(self, request, *args, **kwargs):
        selectors = brand_selectors()
        context = super().get_context(request, *args, **kwargs)
        language = request_language()
        form = CatalogueFilterForm(
            request.GET or None,
            brands=selectors.catalogue_brand_choices(language=language),
        )
        filters = valid_filters(form)
        products = selectors.product_cards_filtered(
            language=language,
            query=filters.get("q", ""),
            category=filters.get("category", ""),
            brand_slug=filters.get("brand", ""),
            min_price=filters.get("min_price"),
            max_price=filters.get("max_price"),
            certification=filters.get("certification", ""),
            in_stock_only=filters.get("in_stock", False),
            sort=filters.get("sort", ""),
        )
        page_obj = Paginator(products, CATALOGUE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(
            filter_form=form,
            products=list(page_obj.object_list),
            page_obj=page_obj,
            query_string=query_without_page(request),
            breadcrumbs=seo.breadcrumbs(page=self, request=request),
        )
        return context


class BrandPage(LiveAncestryRouteMixin, CachedServeMixin, Page):
    # Refuses other houses' images, documents and pages (organisations.page_forms).
    base_form_class = ScopedPageForm
    copy_form_class = ScopedCopyForm

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="brand_pages",
    )
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    logo = _image_fk(_("logo"))
    hero_image = _image_fk(_("hero image"))
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1b5e20",
        validators=[validate_hex_colour],
        help_text=_("Main colour of the brand's pages, e.g. #1b5e20."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#f9a825",
        validators=[validate_hex_colour],
    )
    story = StreamField(StoryStreamBlock(), verbose_name=_("story"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website_url = models.URLField(_("website"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    zalo_url = models.URLField(_("Zalo"), blank=True)
    shopee_url = models.URLField(_("Shopee"), blank=True)
    lazada_url = models.URLField(_("Lazada"), blank=True)
    tiktok_shop_url = models.URLField(_("TikTok Shop"), blank=True)
    # Folded copy of the searchable text, kept by save() (see core.text.fold).
    search_text = models.TextField(editable=False, blank=True, default="")

    content_panels = [
        *Page.content_panels,
        # Only province staff may move a brand to another organisation; for
        # members the field is left out of the form (guard, organisations.access).
        FieldPanel("organisation", permission="organisations.change_organisation"),
        FieldPanel("tagline"),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("hero_image"),
                FieldRowPanel(
                    [FieldPanel("brand_colour"), FieldPanel("accent_colour")]
                ),
            ],
            heading=_("Look"),
        ),
        FieldPanel("story"),
        MultiFieldPanel(
            [
                HelpPanel(
                    content=_(
                        "Expired certificates are hidden from visitors; renew them here."
                    )
                ),
                InlinePanel("certifications", label=_("Certificate")),
            ],
            heading=_("Certificates"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("address"),
                FieldPanel("website_url"),
                FieldPanel("facebook_url"),
                FieldPanel("zalo_url"),
                FieldPanel("shopee_url"),
                FieldPanel("lazada_url"),
                FieldPanel("tiktok_shop_url"),
            ],
            heading=_("Contact and shops"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("tagline"),
        index.SearchField("search_text"),
        index.FilterField("organisation"),
    ]

    parent_page_types = ["brands.BrandIndexPage"]
    subpage_types = ["brands.ProductPage"]

    class Meta:
        verbose_name = _("brand")

    def page_cache_keys(self, context):
        keys = brand_selectors().cache_keys_shown(
            brands=[self], products=context.get("products", ())
        )
        return [*super().page_cache_keys(context), *keys]

    def full_clean(self, *args, **kwargs):
        # Wagtail would slugify the title itself and drop "đ"; do it readably.
        if not self.slug and self.title:
            self.slug = ascii_slug(self.title)
        super().full_clean(*args, **kwargs)

    def clean(self) -> None:
        # Before super().clean(), so Wagtail checks the final slug is unique.
        self.slug = ascii_slug(self.slug) or self.slug
        super().clean()
        if self.organisation_id and self.locale_id:
            others = BrandPage.objects.filter(
                organisation_id=self.organisation_id, locale_id=self.locale_id
            ).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {"organisation": _("This organisation already has a brand page.")}
                )

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.title, self.tagline, self.address]))
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        selectors = brand_selectors()
        context = super().get_context(request, *args, **kwargs)
        breadcrumbs = seo.breadcrumbs(page=self, request=request)
        context.update(
            products=selectors.brand_products(page=self, language=request_language()),
            certifications=selectors.certifications_valid(page=self),
            breadcrumbs=breadcrumbs,
            og_image=seo.og_image(image=self.hero_image or self.logo, request=request),
            json_ld=[
                seo.organization_ld(page=self, request=request),
                seo.breadcrumb_ld(trail=breadcrumbs),
            ],
        )
        return context
