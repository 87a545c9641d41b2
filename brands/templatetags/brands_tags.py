"""Template helpers of brand and product pages."""

from __future__ import annotations

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.language import request_language
from core.page_cache import cache_generation

register = template.Library()

# JSON inside <script> must not close the tag or open a comment.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data) -> str:
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308
    )


@register.filter
def variant_name(variant) -> str:
    return variant.display_name(request_language())


@register.filter
def first_image(product):
    """First gallery image of a product whose gallery_images were prefetched."""
    items = list(product.gallery_images.all())
    return items[0].image if items else None


@register.simple_tag
def brand_themes_url() -> str:
    return f"{reverse('brands:themes_css')}?v={cache_generation()}"
