"""One list of rendition slots for templates ({% picture_slot %}) and warm-up."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError

from core.renditions import RENDITION_SLOTS, slot_specs
from tests.factories.brands import image


def _specs(img) -> set[str]:
    return set(img.renditions.values_list("filter_spec", flat=True))


def test_slots_expand_like_the_picture_tag():
    assert slot_specs("product_card") == [
        "format-avif|fill-320x240",
        "format-avif|fill-640x480",
        "format-webp|fill-320x240",
        "format-webp|fill-640x480",
        "format-jpeg|fill-320x240",
        "format-jpeg|fill-640x480",
    ]
    assert slot_specs("og_image") == ["fill-1200x630|format-jpeg"]
    assert all(slot_specs(slot) for slot in RENDITION_SLOTS)


def test_picture_slot_tag_draws_the_slot_renditions(db):
    photo = image("card", size=(800, 600))
    html = Template(
        '{% load picture_tags %}{% picture_slot photo "product_card" alt="" %}'
    ).render(Context({"photo": photo}))
    assert html.count("<source") == 2  # AVIF and WebP; JPEG is the <img>
    assert "640w" in html
    assert _specs(photo) == set(slot_specs("product_card"))


def test_picture_slot_tag_refuses_an_unknown_slot():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load picture_tags %}{% picture_slot photo "nope" %}')
