"""Read API of brands. The ONLY brands module the shop may import.

Every function runs a constant number of queries whatever the number of items.
Titles and URLs come in the requested language, falling back to Vietnamese
(the default locale, which owns the variants) when no translation is live.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from core.renditions import slot_spec
from core.text import fold

from .models import BrandPage, ProductPage, ProductVariant


@dataclass(frozen=True)
class VariantForSale:
    variant_id: int
    public_id: uuid.UUID
    sku: str
    variant_name: str
    product_title: str
    product_url: str
    image_url: str | None
    unit_price: int
    compare_at_price: int | None
    weight_grams: int
    is_purchasable: bool  # variant active AND product page live
    organisation_id: int
    brand_title: str
    brand_url: str


@dataclass(frozen=True)
class BrandSummary:
    organisation_id: int
    title: str
    url: str
    logo_url: str | None
    brand_color: str


def _locale_id(language: str) -> int | None:
    return (
        Locale.objects.filter(language_code=language)
        .values_list("id", flat=True)
        .first()
    )


def _translations(model, *, keys: set, language: str) -> dict:
    """Live pages of ``model`` in ``language`` keyed by translation_key (one query)."""
    locale_id = _locale_id(language)
    if locale_id is None or not keys:
        return {}
    pages = model.objects.live().filter(translation_key__in=keys, locale_id=locale_id)
    return {page.translation_key: page for page in pages}


def _page_url(page, language: str) -> str:
    # Page.url would resolve the Site per call; the relative URL from the
    # cached site root paths is enough for links inside this site.
    with translation.override(language):
        return page.get_url() or ""


def _first_image_urls(product_ids: Iterable[int]) -> dict[int, str]:
    """URL of a small rendition of each product's first gallery photo."""
    from .models import ProductGalleryImage

    first: dict[int, object] = {}
    rows = (
        ProductGalleryImage.objects.filter(page_id__in=list(product_ids))
        .select_related("image")
        .prefetch_related("image__renditions")
        .order_by("page_id", "sort_order", "id")
    )
    for row in rows:
        first.setdefault(row.page_id, row.image)
    return {
        page_id: image.get_rendition(slot_spec("cart_thumb")).url
        for page_id, image in first.items()
    }


def variants_for_sale(
    *, public_ids: Iterable[uuid.UUID], language: str
) -> dict[uuid.UUID, VariantForSale]:
    """What the shop needs to price and display the given variants.

    Unknown ids are simply absent from the result. ``is_purchasable`` is False
    when the variant is switched off or its product page is not live.
    """
    ids = {uuid.UUID(str(public_id)) for public_id in public_ids}
    if not ids:
        return {}
    variants = list(
        ProductVariant.objects.filter(public_id__in=ids).select_related(
            "product", "product__locale"
        )
    )
    if not variants:
        return {}
    products = {v.product_id: v.product for v in variants}
    parent_paths = {p.path[: -p.steplen] for p in products.values()}
    brands = {
        b.path: b
        for b in BrandPage.objects.filter(path__in=parent_paths).select_related(
            "locale"
        )
    }
    translated_products = _translations(
        ProductPage,
        keys={p.translation_key for p in products.values()},
        language=language,
    )
    translated_brands = _translations(
        BrandPage,
        keys={b.translation_key for b in brands.values()},
        language=language,
    )
    images = _first_image_urls(products)
    result: dict[uuid.UUID, VariantForSale] = {}
    for variant in variants:
        product = variant.product
        brand = brands.get(product.path[: -product.steplen])
        shown_product = translated_products.get(product.translation_key, product)
        shown_brand = (
            translated_brands.get(brand.translation_key, brand) if brand else None
        )
        result[variant.public_id] = VariantForSale(
            variant_id=variant.pk,
            public_id=variant.public_id,
            sku=variant.sku,
            variant_name=variant.display_name(language),
            product_title=shown_product.title,
            product_url=_page_url(shown_product, language),
            image_url=images.get(product.pk),
            unit_price=variant.price,
            compare_at_price=variant.compare_at_price,
            weight_grams=variant.weight_grams,
            is_purchasable=bool(variant.is_active and product.live),
            organisation_id=brand.organisation_id if brand else 0,
            brand_title=shown_brand.title if shown_brand else "",
            brand_url=_page_url(shown_brand, language) if shown_brand else "",
        )
    return result


def variant_for_sale(*, public_id: uuid.UUID, language: str) -> VariantForSale | None:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return variants_for_sale(public_ids=[key], language=language).get(key)


def brand_for_organisation(
    *, organisation_id: int, language: str
) -> BrandSummary | None:
    """The organisation's live brand page in ``language`` (else Vietnamese)."""
    pages = list(
        BrandPage.objects.live()
        .filter(organisation_id=organisation_id)
        .select_related("locale", "logo")
    )
    if not pages:
        return None
    by_language = {page.locale.language_code: page for page in pages}
    page = by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)
    page = page or pages[0]
    logo_url = None
    if page.logo is not None:
        logo_url = page.logo.get_rendition(slot_spec("logo_small")).url
    return BrandSummary(
        organisation_id=organisation_id,
        title=page.title,
        url=_page_url(page, page.locale.language_code),
        logo_url=logo_url,
        brand_color=page.brand_colour,
    )


# --- Public listings and pages (used by brands' own page contexts) ---------------


def _active_and_default_locales(language: str) -> tuple[Locale | None, Locale]:
    default = Locale.get_default()
    active = Locale.objects.filter(language_code=language).first()
    return active, default


def localized_live(model, *, language: str):
    """Live public pages of ``model`` in ``language``, falling back to Vietnamese.

    A page without a live translation is listed in its default-language
    version, so English visitors never miss a product that exists.
    """
    from django.db.models import Q

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


def search_text_matching(pages, query: str):
    """``pages`` whose folded ``search_text`` holds every word of ``query``;
    accents and case ignored on both sides ("nuoc mam" finds "Nước mắm")."""
    for term in fold(query).split()[:MAX_SEARCH_TERMS]:
        pages = pages.filter(search_text__contains=term)
    return pages


def _min_price_subquery():
    from django.db.models import OuterRef, Subquery

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
    from django.db.models import Exists, F, OuterRef

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
    from django.db.models import Q
    from django.utils import timezone

    return Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate())


def _valid_certifications(model):
    return model.objects.filter(valid_certificate_q()).order_by("sort_order", "id")


def parent_path(path):
    """The tree path of a page's parent, for a ``path`` expression (F or OuterRef)."""
    from django.db.models.functions import Length, Substr

    return Substr(path, 1, Length(path) - ProductPage.steplen)


def product_cards_queryset(*, language: str):
    """Products with what a card needs, in a constant number of queries."""
    from django.db.models import OuterRef, Prefetch, Subquery

    from .models import ProductCertification, ProductGalleryImage

    brand_path = parent_path(OuterRef("path"))
    return (
        localized_live(ProductPage, language=language)
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
    from django.db.models import Prefetch

    from .models import BrandCertification

    return (
        localized_live(BrandPage, language=language)
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
    from django.db.models import Exists, OuterRef

    from .models import ProductCertification

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
