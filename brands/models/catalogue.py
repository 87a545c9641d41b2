"""Products: the product page, its photos, and its sellable variants.

Variants are not revisioned: prices are live data, so publishing an old
revision of a product page never brings back an old price.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.language import request_language
from core.page_cache import CachedServeMixin
from core.text import ascii_slug, fold
from organisations.page_copy import ScopedCopyForm
from organisations.page_forms import ScopedPageForm

from .. import seo
from ..blocks import ProductStreamBlock
from ..choices import ProductCategory
from ..validators import MAX_PRICE_VND, MAX_WEIGHT_GRAMS
from .context import brand_selectors


class ProductPage(CachedServeMixin, Page):
    # Refuses other houses' images, documents and pages (organisations.page_forms).
    base_form_class = ScopedPageForm
    copy_form_class = ScopedCopyForm

    category = models.CharField(
        _("category"), max_length=20, choices=ProductCategory.choices
    )
    short_description = models.TextField(
        _("short description"), max_length=300, blank=True
    )
    description = StreamField(
        ProductStreamBlock(), verbose_name=_("description"), blank=True
    )
    net_quantity = models.CharField(
        _("weight or volume"),
        max_length=60,
        blank=True,
        help_text=_("As printed on the pack, e.g. 500 ml or 5 kg."),
    )
    ingredients = models.TextField(_("ingredients"), max_length=1000, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=120, blank=True)
    storage = models.CharField(_("storage"), max_length=255, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    content_panels = [
        *Page.content_panels,
        FieldPanel("category"),
        FieldPanel("short_description"),
        InlinePanel("gallery_images", label=_("Photo"), max_num=24),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("net_quantity"),
                FieldPanel("ingredients"),
                FieldPanel("shelf_life"),
                FieldPanel("storage"),
            ],
            heading=_("Specifications"),
        ),
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
        InlinePanel("traceability_records", label=_("Traceability record"), max_num=50),
        HelpPanel(
            content=_(
                "Prices and pack sizes are edited under “Product variants” in the "
                "menu; they are not part of the page history."
            )
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_description"),
        index.SearchField("search_text"),
        index.FilterField("category"),
    ]

    parent_page_types = ["brands.BrandPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("product")

    def page_cache_keys(self, context):
        brand = context.get("brand")
        keys = brand_selectors().cache_keys_shown(
            brands=[brand] if brand is not None else [], products=[self]
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

    def save(self, *args, **kwargs):
        self.search_text = fold(
            " ".join([self.title, self.short_description, self.ingredients])
        )
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        selectors = brand_selectors()
        context = super().get_context(request, *args, **kwargs)
        brand = selectors.product_brand(page=self)
        gallery = selectors.product_gallery(page=self)
        certifications = selectors.certifications_valid(page=self)
        variants = selectors.variants_for_product(page=self)
        breadcrumbs = seo.breadcrumbs(page=self, request=request)
        context.update(
            brand=brand,
            gallery=gallery,
            certifications=certifications,
            brand_certifications=selectors.certifications_valid(page=brand),
            traceability=selectors.product_traceability(page=self),
            variants=variants,
            language=request_language(),
            breadcrumbs=breadcrumbs,
            qr_url=reverse("brands:product_qr_svg", args=[self.translation_key]),
            og_image=seo.og_image(
                image=gallery[0].image if gallery else None, request=request
            ),
            json_ld=[
                seo.product_ld(
                    page=self,
                    brand=brand,
                    gallery=gallery,
                    variants=variants,
                    availability=selectors.variants_availability(variants=variants),
                    certifications=certifications,
                    request=request,
                    language=request_language(),
                ),
                seo.breadcrumb_ld(trail=breadcrumbs),
            ],
        )
        return context


class ProductGalleryImage(Orderable):
    page = ParentalKey(
        ProductPage, on_delete=models.CASCADE, related_name="gallery_images"
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the picture for people who cannot see it."),
    )

    panels = [FieldPanel("image"), FieldPanel("alt_text")]

    class Meta(Orderable.Meta):
        verbose_name = _("product photo")


class ProductVariant(models.Model):
    """A sellable pack of a product. Not revisioned: prices are live data.

    Points at the product page in the default language; its translations share
    the variants through ``translation_key``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    product = models.ForeignKey(
        "brands.ProductPage",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="variants",
    )
    sku = models.CharField(
        _("SKU"),
        max_length=64,
        unique=True,
        help_text=_("Your own stock code, unique across the site."),
    )
    name = models.CharField(_("name (Vietnamese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    price = models.PositiveBigIntegerField(
        _("price (VND)"),
        validators=[MinValueValidator(1_000), MaxValueValidator(MAX_PRICE_VND)],
    )
    compare_at_price = models.PositiveBigIntegerField(
        _("compare-at price (VND)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PRICE_VND)],
        help_text=_("The former price, shown struck through; must be above the price."),
    )
    weight_grams = models.PositiveIntegerField(
        _("shipping weight (g)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT_GRAMS)],
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product variant")
        verbose_name_plural = _("product variants")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(compare_at_price__isnull=True)
                | models.Q(compare_at_price__gt=models.F("price")),
                name="brands_variant_compare_at_above_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} · {self.name}"

    def clean(self) -> None:
        super().clean()
        self.sku = (self.sku or "").strip().upper()
        if (
            self.compare_at_price is not None
            and self.price is not None
            and self.compare_at_price <= self.price
        ):
            raise ValidationError(
                {
                    "compare_at_price": _(
                        "The compare-at price must be higher than the price."
                    )
                }
            )
        if self.product_id:
            product = Page.objects.filter(pk=self.product_id).select_related("locale")
            product = product.first()
            if product is not None and not product.locale.is_default:
                raise ValidationError(
                    {"product": _("Choose the Vietnamese version of the product.")}
                )

    def display_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name
