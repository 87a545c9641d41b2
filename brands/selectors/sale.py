"""What the shop needs to price, display and sell variants."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from wagtail.models import Locale

from core.page_tree import hidden_subtree_paths, is_visible_path
from core.renditions import slot_spec

from ..models import BrandPage, ProductGalleryImage, ProductPage, ProductVariant


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
    # Variant active AND product page live and public all the way up (no
    # unpublished or view-restricted brand or section above it).
    is_purchasable: bool
    organisation_id: int
    brand_title: str
    brand_url: str


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
    when the variant is switched off or its product page is not visible: not
    live, or under an unpublished or view-restricted page (``core.page_tree``).
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
    hidden = hidden_subtree_paths()
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
            is_purchasable=bool(
                variant.is_active
                and product.live
                and is_visible_path(path=product.path, hidden=hidden)
            ),
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
