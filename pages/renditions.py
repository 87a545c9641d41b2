"""Warm the image renditions of every live page (brands' and the site's own)."""

from __future__ import annotations

from brands.models import BrandPage, ProductPage
from brands.renditions import page_image_uses
from core.renditions import image_renditions_warm, image_uses_merge, stream_image_uses

from .models import HomePage, StandardPage


def site_renditions_warm() -> int:
    """Create the missing renditions of every image a live page shows; return
    how many. Idempotent: a second run finds them all and creates none."""
    uses: dict = {}
    for page in BrandPage.objects.live().select_related("logo", "hero_image"):
        image_uses_merge(uses, page_image_uses(page))
    for page in ProductPage.objects.live():
        image_uses_merge(uses, page_image_uses(page))
    for home in HomePage.objects.live().select_related("hero_image"):
        if home.hero_image is not None:
            image_uses_merge(uses, {home.hero_image: {"home_hero"}})
        stream_image_uses(home.body, uses)
    for page in StandardPage.objects.live():
        stream_image_uses(page.body, uses)
    return image_renditions_warm(uses)
