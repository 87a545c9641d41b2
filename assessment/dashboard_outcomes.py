"""Outcomes on this site beside the assessment figures: brands online, products,
paid orders and revenue per period.

The ONE module of the assessment app allowed to read brands and shop (an
import-linter contract names it), and only through their selectors. While a
selector does not exist yet the figure is simply shown as not available.

Expected read API (keyword-only, no arguments needed):
- ``brands.selectors.site_outcomes() -> Mapping`` with ``brands_online`` and
  ``products_live`` (ints); until it exists, the counts of
  ``brands.selectors.brand_cards_queryset`` / ``product_cards_queryset``;
- ``shop.selectors.paid_orders_by_period(period="quarter") -> Iterable`` of rows
  with ``period`` (str, e.g. "2026-Q3"), ``paid_orders`` (int) and ``revenue``
  (int, whole VND).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import ModuleType

from django.conf import settings

import brands.selectors
import shop.selectors

# Module attributes, so that a figure whose selector is missing (or answers an
# odd shape) degrades to "not shown" rather than breaking the dashboard.
brands_selectors: ModuleType | None = brands.selectors
shop_selectors: ModuleType | None = shop.selectors

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodOutcome:
    period: str
    paid_orders: int
    revenue: int


@dataclass(frozen=True)
class Outcomes:
    brands_online: int | None = None
    products_live: int | None = None
    periods: tuple[PeriodOutcome, ...] = field(default_factory=tuple)
    shop_available: bool = False


def _selector(module, name: str):
    return getattr(module, name, None) if module is not None else None


def outcomes() -> Outcomes:
    brands_online = products_live = None
    periods: tuple[PeriodOutcome, ...] = ()
    site_outcomes = _selector(brands_selectors, "site_outcomes")
    brand_cards = _selector(brands_selectors, "brand_cards_queryset")
    product_cards = _selector(brands_selectors, "product_cards_queryset")
    if site_outcomes is None and brand_cards and product_cards:
        # The public listings' querysets: what a visitor sees online now.
        language = settings.LANGUAGE_CODE
        brands_online = brand_cards(language=language).count()
        products_live = product_cards(language=language).count()
    if site_outcomes is not None:
        try:
            data = site_outcomes()
            brands_online = int(data["brands_online"])
            products_live = int(data["products_live"])
        except (KeyError, TypeError, ValueError):
            logger.warning(
                "brands.selectors.site_outcomes returned an unexpected shape"
            )
    paid_orders = _selector(shop_selectors, "paid_orders_by_period")
    if paid_orders is not None:
        try:
            periods = tuple(
                PeriodOutcome(
                    str(_get(row, "period")),
                    int(_get(row, "paid_orders")),
                    int(_get(row, "revenue")),
                )
                for row in paid_orders(period="quarter")
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.warning("shop.selectors.paid_orders_by_period: unexpected shape")
            periods = ()
    return Outcomes(
        brands_online=brands_online,
        products_live=products_live,
        periods=periods,
        shop_available=paid_orders is not None,
    )


def _get(row, key: str):
    return row[key] if isinstance(row, dict) else getattr(row, key)
