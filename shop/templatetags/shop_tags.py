"""Template helpers of the shop: prices in the page's language, the cart badge,
the hold limits."""

from __future__ import annotations

from django import template

from core.language import request_language
from shop import limits, money
from shop.models import Availability

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """``150.000 ₫`` (vi) / ``₫150,000`` (en); empty for a missing amount."""
    if amount in (None, ""):
        return ""
    return money.format_vnd(int(amount), request_language())


@register.filter
def availability(variants) -> str:
    """The best level among active variants: one in stock makes the product so."""
    levels = {
        variant.stock.availability
        for variant in variants
        if variant.is_active and hasattr(variant, "stock")
    }
    for level in (Availability.IN_STOCK, Availability.LOW):
        if level in levels:
            return level
    return Availability.OUT


@register.inclusion_tag("shop/components/cart_badge.html")
def cart_badge(count: int = 0):
    """The header's cart link; ``count`` 0 on cached pages, which site-me.js
    fills from /_/me.json."""
    return {"count": count}


@register.inclusion_tag("shop/components/hold_limits.html", takes_context=True)
def hold_limits_note(context):
    """What one unpaid order may hold and for how long, for this buyer."""
    request = context.get("request")
    user = getattr(request, "user", None)
    is_guest = not (user is not None and user.is_authenticated)
    return {"policy": limits.hold_policy(is_guest=is_guest)}
