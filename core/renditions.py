"""The image renditions each slot of the public pages shows, in one place.

Templates draw slots with ``{% picture_slot image "slot" ... %}`` (picture_tags),
Python code (Open Graph, JSON-LD, cart) asks ``slot_spec``, and the warm-up
creates the same renditions ahead of the first visitor: Wagtail would otherwise
create every AVIF/WebP/JPEG width during that visitor's request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wagtail.images.models import AbstractImage, Filter

# Slot -> filter specs as the picture tag takes them (space-separated segments,
# braces expanded into one rendition each). Changing a spec here changes the
# page and the warm-up together.
RENDITION_SLOTS: dict[str, str] = {
    "product_card": "format-{avif,webp,jpeg} fill-{320x240,640x480}",
    "product_gallery_first": (
        "format-{avif,webp,jpeg} fill-{360x270-c50,720x540-c50,1080x810-c50}"
    ),
    "product_gallery": "format-{avif,webp,jpeg} fill-{360x270-c50,720x540-c50}",
    "brand_hero": "format-{avif,webp,jpeg} fill-{480x260,960x420,1600x600-c75}",
    "brand_logo": "format-{avif,webp,jpeg} fill-{96x96,192x192}",
    "home_hero": "format-{avif,webp,jpeg} fill-{480x300,960x500,1600x700}",
    "story_image": "format-{avif,webp,jpeg} width-{400,800,1200}",
    "story_gallery": "format-{avif,webp,jpeg} fill-{320x240-c50,640x480-c50}",
    # Single renditions used from Python (one spec, pipe-separated).
    "og_image": "fill-1200x630|format-jpeg",
    "logo_ld": "fill-300x300|format-png",
    "product_ld": "fill-1200x900|format-jpeg",
    "logo_small": "fill-96x96|format-webp",
    "cart_thumb": "fill-160x160|format-webp",
}


def slot_segments(slot: str) -> list[str]:
    """The slot's spec as the picture tag's list of segments (KeyError if unknown)."""
    spec = RENDITION_SLOTS[slot]
    return spec.split("|") if "|" in spec else spec.split()


def slot_specs(slot: str) -> list[str]:
    """Every rendition spec the slot shows, braces expanded."""
    return Filter.expand_spec(slot_segments(slot))


def slot_spec(slot: str) -> str:
    """The one spec of a single-rendition slot (Open Graph, JSON-LD, cart)."""
    specs = slot_specs(slot)
    if len(specs) != 1:
        raise ValueError(f"slot {slot!r} has {len(specs)} renditions, not one")
    return specs[0]


def image_renditions_warm(images: Mapping[AbstractImage | None, Iterable[str]]) -> int:
    """Create the missing renditions of each image's slots; return how many.

    ``images`` maps an image to the slots it appears in. One query finds the
    renditions that exist, so a second run creates nothing and costs little;
    an image with any missing goes through Wagtail's ``get_renditions``,
    which creates only those (keyed by the image's current focal point).
    """
    wanted = {
        image: list(dict.fromkeys(s for slot in slots for s in slot_specs(slot)))
        for image, slots in images.items()
        if image is not None
    }
    if not wanted:
        return 0
    Rendition = next(iter(wanted)).get_rendition_model()
    # Wagtail keys a rendition on its spec and the focal point it was cut
    # for: after a focal point moves, the old crops do not count.
    existing: set[tuple[int, str, str]] = set(
        Rendition.objects.filter(
            image_id__in=[image.pk for image in wanted]
        ).values_list("image_id", "filter_spec", "focal_point_key")
    )
    created = 0
    for image, specs in wanted.items():
        missing = [
            spec
            for spec in specs
            if (image.pk, spec, Filter(spec=spec).get_cache_key(image)) not in existing
        ]
        if missing:
            image.get_renditions(*missing)
            created += len(missing)
    return created


def image_uses_add(uses: dict, image, *slots: str) -> None:
    """Note in ``uses`` (image -> slots) that ``image`` shows in ``slots``."""
    if image is not None:
        uses.setdefault(image, set()).update(slots)


def stream_image_uses(stream, uses: dict) -> None:
    """Images of a story/body StreamField (image and gallery blocks)."""
    for block in stream or []:
        if block.block_type == "image":
            image_uses_add(uses, block.value.get("image"), "story_image")
        elif block.block_type == "gallery":
            for item in block.value.get("images") or []:
                image_uses_add(uses, item.get("image"), "story_gallery")


def image_uses_merge(uses: dict, more: dict) -> None:
    """Add the image -> slots map ``more`` into ``uses``."""
    for image, slots in more.items():
        uses.setdefault(image, set()).update(slots)
