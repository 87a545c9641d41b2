"""``{% picture_slot %}``: Wagtail's ``{% picture %}`` for a named rendition slot."""

from __future__ import annotations

from django import template
from wagtail.images.templatetags.wagtailimages_tags import PictureNode

from core.renditions import slot_segments

register = template.Library()


@register.tag
def picture_slot(parser, token):
    """``{% picture_slot image "product_card" sizes="..." alt="" %}``: Wagtail's
    ``{% picture %}`` with the slot's specs from ``core.renditions`` (the list
    the warm-up creates), so a template cannot drift from the warmed renditions."""
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
