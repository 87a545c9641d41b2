"""StreamField blocks shared by the site's pages and the brand stories.

No raw HTML: editors are not fully trusted. Migrations record these blocks as
``wagtail.blocks.StructBlock`` with their children, not by this module's path,
so moving them here changed no migration.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

BLOCK_TEMPLATES = "components/streamfield/blocks"

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_("Describe the picture for people who cannot see it."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = f"{BLOCK_TEMPLATES}/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"), max_length=1000)
    attribution = blocks.CharBlock(
        label=_("Attribution"), required=False, max_length=120
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = f"{BLOCK_TEMPLATES}/quote_block.html"
