"""Public listings: pages in the visitor's language, cards, featured items."""

from __future__ import annotations

from django.conf import settings
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Length, Replace, Substr
from django.utils import timezone
from wagtail.models import Locale

from core.text import fold

from ..models import (
    BrandCertification,
    BrandPage,
    ProductCertification,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
)


def _active_and_default_locales(language: str) -> tuple[Locale | None, Locale]:
    default = Locale.get_default()
    active = Locale.objects.filter(language_code=language).first()
    return active, default


def localized_live(*, model, language: str):
    """Live public pages of ``model`` in ``language``, falling back to Vietnamese.

    A page without a live translation is listed in its default-language
    version, so English visitors never miss a product that exists.
    """
    active, default = _active_and_default_locales(language)
    pages = model.objects.live().public()
    if active is None or active.pk == default.pk:
        return pages.filter(locale=default)
    translated = model.objects.live().filter(locale=active).values("translation_key")
    return pages.filter(
        Q(locale=active) | (Q(locale=default) & ~Q(translation_key__in=translated))
    )


# More words than this only narrows a search that already found nothing.
MAX_SEARCH_TERMS = 8


def search_text_matching(*, pages, query: str):
    """``pages`` whose folded ``search_text`` holds every word of ``query``;
    accents and case ignored on both sides ("nuoc mam" finds "Nước mắm").

    A word also matches the text with its spaces taken out, since phone
    keyboards and hurried buyers run Vietnamese syllables together:
    "nướcmắm" finds "Nước mắm". Plain REPLACE and LIKE, the same on SQLite
    and PostgreSQL.
    """
    terms = fold(query).split()[:MAX_SEARCH_TERMS]
    if not terms:
        return pages
    pages = pages.annotate(
        search_compact=Replace(
            F("search_text"), Value(" "), Value(""), output_field=TextField()
        )
    )
    for term in terms:
        pages = pages.filter(
            Q(search_text__contains=term) | Q(search_compact__contains=term)
        )
    return pages


def _min_price_subquery():
    return Subquery(
        ProductVariant.objects.filter(
            product__translation_key=OuterRef("translation_key"), is_active=True
        )
        .order_by("price")
        .values("price")[:1]
    )


def stock_tracking_enabled() -> bool:
    """True once the shop's StockRecord (reverse ``stock`` relation) exists."""
    return any(
        getattr(rel, "related_name", None) == "stock"
        for rel in ProductVariant._meta.related_objects
    )


def _in_stock_exists():
    variants = ProductVariant.objects.filter(
        product__translation_key=OuterRef("translation_key"), is_active=True
    )
    if stock_tracking_enabled():
        variants = variants.filter(
            stock__quantity_on_hand__gt=F("stock__quantity_reserved")
        )
    return Exists(variants)


def valid_certificate_q():
    """Certificates without an expiry date, or not expired yet (expired OCOP
    stars and the like are hidden from visitors)."""
    return Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate())


def _valid_certifications(model):
    return model.objects.filter(valid_certificate_q()).order_by("sort_order", "id")


def parent_path(*, path):
    """The tree path of a page's parent, for a ``path`` expression (F or OuterRef)."""
    return Substr(path, 1, Length(path) - ProductPage.steplen)


def product_cards_queryset(*, language: str):
    """Products with what a card needs, in a constant number of queries."""
    brand_path = parent_path(path=OuterRef("path"))
    return (
        localized_live(model=ProductPage, language=language)
        .annotate(
            min_price=_min_price_subquery(),
            is_in_stock=_in_stock_exists(),
            brand_title=Subquery(
                BrandPage.objects.filter(path=brand_path).values("title")[:1]
            ),
        )
        .select_related("locale")
        .prefetch_related(
            Prefetch(
                "gallery_images",
                queryset=ProductGalleryImage.objects.select_related("image")
                .prefetch_related("image__renditions")
                .order_by("sort_order", "id"),
            ),
            Prefetch(
                "certifications",
                queryset=_valid_certifications(ProductCertification),
                to_attr="valid_certifications",
            ),
        )
    )


def brand_cards_queryset(*, language: str):
    return (
        localized_live(model=BrandPage, language=language)
        .select_related("organisation__commune", "logo", "locale")
        .prefetch_related(
            "logo__renditions",
            Prefetch(
                "certifications",
                queryset=_valid_certifications(BrandCertification),
                to_attr="valid_certifications",
            ),
        )
    )


def featured_brands(*, language: str, limit: int = 6) -> list[BrandPage]:
    return list(brand_cards_queryset(language=language).order_by("path")[:limit])


def featured_products(*, language: str, limit: int = 8) -> list[ProductPage]:
    ocop = ProductCertification.objects.filter(
        page__translation_key=OuterRef("translation_key"), kind="ocop"
    )
    return list(
        product_cards_queryset(language=language)
        .annotate(has_ocop=Exists(ocop))
        .order_by("-has_ocop", "path")[:limit]
    )


def variants_for_product(*, page: ProductPage) -> list[ProductVariant]:
    """Active variants of a product (shared by its translations), cheapest first."""
    variants = ProductVariant.objects.filter(
        product__translation_key=page.translation_key,
        product__locale__language_code=settings.LANGUAGE_CODE,
        is_active=True,
    )
    if stock_tracking_enabled():
        variants = variants.select_related("stock")
    return list(variants.order_by("sort_order", "price", "id"))
