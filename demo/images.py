"""Generated demo pictures (Pillow): gradient, shapes and folded text.

Pictures are drawn, not shipped, so the repository holds no binary media;
the same key always draws the same picture, and one image row exists per key.
"""

from __future__ import annotations

import io
import math
from functools import cache

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from core.text import fold
from organisations.models import Organisation

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@cache
def _font(size: int):
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _hex(colour: str) -> tuple[int, int, int]:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return red, green, blue


def image_ensure(
    *,
    organisation: Organisation,
    key: str,
    colour: str,
    accent: str,
    text: str,
    size: tuple[int, int],
    kind: str,
    angle: int = 0,
    created: list,
):
    """The image titled ``demo:<key>``, drawn and stored in the organisation's
    collection if missing (then also appended to ``created``)."""
    Image = get_image_model()
    title = f"demo:{key}"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    width, height = size
    base, light = _hex(colour), _hex(accent)
    gradient = PILImage.linear_gradient("L").resize((width, height))
    picture = PILImage.composite(
        PILImage.new("RGB", size, base),
        PILImage.new("RGB", size, tuple(min(255, c + 60) for c in base)),
        gradient.rotate(angle % 360, expand=False),
    )
    draw = ImageDraw.Draw(picture)
    cx = width // 2 + int(width * 0.2 * math.cos(math.radians(angle)))
    cy = height // 2
    radius = min(width, height) // 3
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=light)
    draw.ellipse(
        (cx - radius // 2, cy - radius // 2, cx + radius // 2, cy + radius // 2),
        fill=tuple(255 - c // 3 for c in light),
    )
    # The bundled font has no Vietnamese marks everywhere; print folded text.
    label = (
        fold(text).upper()
        if kind != "logo"
        else "".join(word[0] for word in fold(text).split()[:3]).upper()
    )
    font = _font(min(width, height) // (4 if kind == "logo" else 12))
    box = draw.textbbox((0, 0), label, font=font)
    draw.text(
        ((width - (box[2] - box[0])) // 2, height - (box[3] - box[1]) - height // 10),
        label[:40],
        font=font,
        fill=(255, 255, 255),
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=72, optimize=True)
    image = Image(
        title=title,
        file=ImageFile(buffer, name=f"{key}.jpg"),
        collection=organisation.collection,
        focal_point_x=cx,
        focal_point_y=cy,
        focal_point_width=radius * 2,
        focal_point_height=radius * 2,
    )
    image.save()
    created.append(image)
    return image
