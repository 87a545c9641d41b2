"""Surrogate keys of the page cache: what a page shows, what a change purges.

A brand or a product is named by its translation key, which its pages in
every language share: a price, a stock count or a brand's look shows in both
languages. A page itself is "page-<id>". Listings are named once each: the
home page, the brand index and the catalogue, which list (and filter by)
every brand and product, so any brand or product change purges them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from ..models import BrandPage, ProductPage, ProductVariant

HOME = "home"
BRAND_INDEX = "brands"
CATALOGUE = "catalogue"
LISTINGS = (HOME, BRAND_INDEX, CATALOGUE)
# Price and stock show on product cards, which the brand index does not show.
PRODUCT_LISTINGS = (HOME, CATALOGUE)


def page_key(page_id: int) -> str:
    return f"page-{page_id}"


def brand_key(translation_key: uuid.UUID) -> str:
    return f"brand-{translation_key.hex}"


def product_key(translation_key: uuid.UUID) -> str:
    return f"product-{translation_key.hex}"


def cache_keys_shown(*, brands: Iterable[Page] = (), products: Iterable[Page] = ()):
    """The keys of the brands and products a page shows."""
    return [
        *(brand_key(brand.translation_key) for brand in brands),
        *(product_key(product.translation_key) for product in products),
    ]


def cache_keys_of_variants(variant_ids: Iterable[int]) -> list[str]:
    """What a price or availability change of ``variant_ids`` purges."""
    keys = (
        ProductVariant.objects.filter(pk__in=list(variant_ids))
        .values_list("product__translation_key", flat=True)
        .distinct()
    )
    found = [product_key(key) for key in keys]
    return [*found, *PRODUCT_LISTINGS] if found else []


def cache_keys_of_page(page: Page) -> list[str] | None:
    """What a publish or unpublish of ``page`` purges; None for everything.

    A brand's or a product's pages and the listings; any other page (the
    home page, a standard page) may be in every page's menu or footer.
    """
    specific = page.specific_deferred
    if isinstance(specific, ProductPage):
        brand_keys = BrandPage.objects.filter(
            path=specific.path[: -Page.steplen]
        ).values_list("translation_key", flat=True)
        return [
            page_key(page.pk),
            product_key(specific.translation_key),
            *(brand_key(key) for key in brand_keys),
            *LISTINGS,
        ]
    if isinstance(specific, BrandPage):
        return [page_key(page.pk), brand_key(specific.translation_key), *LISTINGS]
    return None


def cache_keys_of_image(image) -> list[str] | None:
    """What a changed picture purges: the pages showing it (and the listings
    showing a brand's or product's cards); None for everything.

    Gallery rows and StreamField blocks are indexed under their page; an
    image referenced elsewhere (a site setting, a snippet) may show on any
    page.
    """
    references = ReferenceIndex.get_references_to(image)
    page_type = ContentType.objects.get_for_model(Page)
    if references.exclude(base_content_type=page_type).exists():
        return None
    page_ids = {
        int(pk)
        for pk in references.filter(base_content_type=page_type).values_list(
            "object_id", flat=True
        )
    }
    keys: list[str] = []
    for page in Page.objects.filter(pk__in=page_ids).specific(defer=True):
        # A brand's picture also shows on its cards; elsewhere only the page.
        keys.extend(cache_keys_of_page(page) or [page_key(page.pk)])
    return keys
