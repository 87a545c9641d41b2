"""The demo brands of demo/data/brands.yaml as typed records.

Keyword-only dataclasses: a misspelt or missing field in the data file fails
loudly here instead of seeding a half-empty page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from .data import load


@dataclass(frozen=True, kw_only=True)
class DemoVariant:
    sku: str
    name: str
    name_en: str
    price: int
    weight_grams: int
    compare_at_price: int | None = None


@dataclass(frozen=True, kw_only=True)
class DemoProduct:
    slug: str
    title: str
    title_en: str
    category: str
    short: str
    short_en: str
    variants: tuple[DemoVariant, ...]
    ocop_stars: int | None = None
    growing_area_code: str = ""
    net_quantity: str = ""
    shelf_life: str = ""
    shelf_life_en: str = ""


@dataclass(frozen=True, kw_only=True)
class DemoBrand:
    slug: str
    tagline: str
    tagline_en: str
    story: str
    story_en: str
    colour: str
    accent: str
    latitude: str
    longitude: str
    products: tuple[DemoProduct, ...]
    certificates: tuple[str, ...] = field(default=())


@cache
def demo_brands() -> tuple[DemoBrand, ...]:
    """The demo brands, one per organisation of organisations.yaml (by slug)."""
    brands = []
    for row in load("brands")["brands"]:
        products = tuple(
            DemoProduct(
                **{
                    **product,
                    "variants": tuple(DemoVariant(**v) for v in product["variants"]),
                }
            )
            for product in row["products"]
        )
        brands.append(
            DemoBrand(
                **{
                    **row,
                    "products": products,
                    "certificates": tuple(row["certificates"]),
                }
            )
        )
    return tuple(brands)
