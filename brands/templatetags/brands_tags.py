"""Template helpers of brand and product pages."""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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
    return variant.display_name(get_language() or "vi")


@register.filter
def first_image(product):
    """First gallery image of a product whose gallery_images were prefetched."""
    items = list(product.gallery_images.all())
    return items[0].image if items else None


@register.simple_tag
def brand_themes_url() -> str:
    from django.urls import reverse

    from brands.cache import cache_generation

    return f"{reverse('brands:themes_css')}?v={cache_generation()}"


@register.tag
def picture_slot(parser, token):
    """``{% picture_slot image "product_card" sizes="..." alt="" %}``: Wagtail's
    ``{% picture %}`` with the slot's specs from ``brands.renditions`` (the list
    the warm-up creates), so a template cannot drift from the warmed renditions."""
    from wagtail.images.templatetags.wagtailimages_tags import PictureNode

    from brands.renditions import slot_segments

    tag_name, *bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{tag_name} needs an image and a slot")
    image, slot, *attr_bits = bits
    try:
        segments = slot_segments(slot.strip("\"'"))
    except KeyError as error:
        raise template.TemplateSyntaxError(f"unknown image slot {slot}") from error
    attrs = {}
    for bit in attr_bits:
        name, sep, value = bit.partition("=")
        if not sep:
            raise template.TemplateSyntaxError(f"{tag_name}: expected name=value")
        attrs[name] = parser.compile_filter(value)
    return PictureNode(parser.compile_filter(image), segments, attrs=attrs)
