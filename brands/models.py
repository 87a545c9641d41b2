"""Brand microsites: the brand index, one brand page per organisation, its products.

What lives in page revisions: content (texts, images, story, certificates,
traceability). What does not: sellable facts (variants and prices here, stock
in the shop), so publishing an old revision never brings back an old price.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.page_cache import NAME, PAGE_NUMBER, SLUG, CachedServeMixin
from core.text import ascii_slug, fold

from .blocks import ProductStreamBlock, StoryStreamBlock
from .validators import (
    MAX_PRICE_VND,
    MAX_WEIGHT_GRAMS,
    validate_growing_area_code,
    validate_hex_colour,
    validate_packing_house_code,
)

OCOP_VALIDITY_MONTHS = 36


class ProductCategory(models.TextChoices):
    RICE = "rice", _("Rice and grains")
    FRUIT = "fruit", _("Fruit and vegetables")
    FISH = "fish", _("Fish and seafood")
    FISH_SAUCE = "fish_sauce", _("Fish sauce and fermented fish")
    DRIED = "dried", _("Dried fish and meat")
    PALM_SUGAR = "palm_sugar", _("Palm sugar and sweets")
    BEVERAGE = "beverage", _("Tea and beverages")
    HANDICRAFT = "handicraft", _("Silk, brocade and handicrafts")
    OTHER = "other", _("Other")


class CertificationKind(models.TextChoices):
    OCOP = "ocop", _("OCOP")
    VIETGAP = "vietgap", _("VietGAP")
    GLOBALGAP = "globalgap", _("GlobalG.A.P.")
    ORGANIC = "organic", _("Organic")
    HACCP = "haccp", _("HACCP")
    GI = "gi", _("Geographical indication")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


def _image_fk(verbose_name):
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Certification(Orderable):
    """A certificate shown on a brand or product page (content, so revisioned)."""

    kind = models.CharField(
        _("certificate"), max_length=20, choices=CertificationKind.choices
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"),
        null=True,
        blank=True,
        choices=[(3, "3★"), (4, "4★"), (5, "5★")],
        help_text=_("Only for OCOP certificates."),
    )
    number = models.CharField(_("certificate number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=160)
    issued_on = models.DateField(_("issue date"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "OCOP certificates are valid for 36 months; leave empty to compute."
        ),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("certificate document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("ocop_stars")]),
        FieldRowPanel([FieldPanel("number"), FieldPanel("issuer")]),
        FieldRowPanel([FieldPanel("issued_on"), FieldPanel("valid_until")]),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.kind == CertificationKind.OCOP:
            if not self.ocop_stars:
                errors["ocop_stars"] = _(
                    "Choose 3, 4 or 5 stars for an OCOP certificate."
                )
            if self.issued_on and self.valid_until is None:
                self.valid_until = add_months(self.issued_on, OCOP_VALIDITY_MONTHS)
            if (
                self.issued_on
                and self.valid_until
                and self.valid_until > add_months(self.issued_on, OCOP_VALIDITY_MONTHS)
            ):
                errors["valid_until"] = _(
                    "An OCOP certificate is valid for at most 36 months after its issue date."
                )
        elif self.ocop_stars:
            errors["ocop_stars"] = _("Stars apply to OCOP certificates only.")
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            errors["valid_until"] = _(
                "The expiry date cannot be before the issue date."
            )
        if self.issued_on and self.issued_on > timezone.localdate():
            errors["issued_on"] = _("The issue date cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if (
            self.kind == CertificationKind.OCOP
            and self.issued_on
            and self.valid_until is None
        ):
            self.valid_until = add_months(self.issued_on, OCOP_VALIDITY_MONTHS)
        super().save(*args, **kwargs)

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_until is None or self.valid_until >= day

    @property
    def is_expired(self) -> bool:
        return not self.is_valid_on(timezone.localdate())


class BrandIndexPage(CachedServeMixin, Page):
    """All brands of the province (one per language tree)."""

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

    def get_context(self, request, *args, **kwargs):
        from .views import brand_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(brand_index_context(page=self, request=request))
        return context


class CataloguePage(CachedServeMixin, Page):
    """Every product of every brand, with filters."""

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

    def get_context(self, request, *args, **kwargs):
        from .views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(page=self, request=request))
        return context


class BrandPage(CachedServeMixin, Page):
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
        from .views import brand_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(brand_page_context(page=self, request=request))
        return context


class BrandCertification(Certification):
    page = ParentalKey(
        BrandPage, on_delete=models.CASCADE, related_name="certifications"
    )

    class Meta(Certification.Meta):
        verbose_name = _("brand certificate")


class ProductPage(CachedServeMixin, Page):
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
        from .views import product_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(product_page_context(page=self, request=request))
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


class ProductCertification(Certification):
    page = ParentalKey(
        ProductPage, on_delete=models.CASCADE, related_name="certifications"
    )

    class Meta(Certification.Meta):
        verbose_name = _("product certificate")


class TraceabilityRecord(Orderable):
    """Where and when a product (or one batch of it) was grown and packed."""

    page = ParentalKey(
        ProductPage, on_delete=models.CASCADE, related_name="traceability_records"
    )
    lot_number = models.CharField(
        _("batch or lot"), max_length=40, blank=True, help_text=_("Empty: every batch.")
    )
    growing_area_code = models.CharField(
        _("growing-area code"),
        max_length=40,
        blank=True,
        validators=[validate_growing_area_code],
        help_text=_("Mã số vùng trồng, e.g. VN-AGLA-0012."),
    )
    packing_house_code = models.CharField(
        _("packing-house code"),
        max_length=40,
        blank=True,
        validators=[validate_packing_house_code],
    )
    harvested_on = models.DateField(
        _("harvest or production date"), null=True, blank=True
    )
    producer = models.CharField(_("farm or producer"), max_length=160, blank=True)
    area_hectares = models.DecimalField(
        _("area (ha)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100_000)],
    )

    panels = [
        FieldRowPanel([FieldPanel("lot_number"), FieldPanel("harvested_on")]),
        FieldRowPanel(
            [FieldPanel("growing_area_code"), FieldPanel("packing_house_code")]
        ),
        FieldRowPanel([FieldPanel("producer"), FieldPanel("area_hectares")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("traceability record")

    def clean(self) -> None:
        super().clean()
        # Codes are printed in capitals; accept what editors type in lower case.
        self.growing_area_code = self.growing_area_code.strip().upper()
        self.packing_house_code = self.packing_house_code.strip().upper()
        for field, validator in (
            ("growing_area_code", validate_growing_area_code),
            ("packing_house_code", validate_packing_house_code),
        ):
            try:
                validator(getattr(self, field))
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from error
        if self.harvested_on and self.harvested_on > timezone.localdate():
            raise ValidationError(
                {"harvested_on": _("The harvest date cannot be in the future.")}
            )


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
