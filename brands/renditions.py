"""Which rendition slots the brand and product pages show, for the warm-up.

The slot table and the generic warm-up live in ``core.renditions``; only the
knowledge of what a brand or product page shows lives here.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.renditions import (
    image_renditions_warm,
    image_uses_add,
    image_uses_merge,
    stream_image_uses,
)

from .models import BrandPage, ProductPage


def page_image_uses(page) -> dict:
    """The images a brand or product page (and the listings of it) show, by slot."""
    uses: dict = {}
    page = page.specific
    if isinstance(page, BrandPage):
        image_uses_add(uses, page.logo, "brand_logo", "logo_ld", "logo_small")
        image_uses_add(uses, page.hero_image, "brand_hero", "og_image")
        if page.hero_image is None:
            image_uses_add(uses, page.logo, "og_image")
        stream_image_uses(page.story, uses)
    elif isinstance(page, ProductPage):
        gallery = list(page.gallery_images.select_related("image"))
        for position, item in enumerate(gallery):
            if position == 0:
                image_uses_add(
                    uses,
                    item.image,
                    "product_card",
                    "product_gallery_first",
                    "og_image",
                    "cart_thumb",
                    "product_ld",
                )
            else:
                image_uses_add(uses, item.image, "product_gallery", "product_ld")
        stream_image_uses(page.description, uses)
    return uses


def pages_renditions_warm(pages: Iterable) -> int:
    """Warm every image the given brand and product pages show."""
    uses: dict = {}
    for page in pages:
        image_uses_merge(uses, page_image_uses(page))
    return image_renditions_warm(uses)
