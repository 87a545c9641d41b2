"""StreamField blocks for site-wide pages. No raw HTML: editors are not fully trusted."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

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
        template = "components/streamfield/blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"), max_length=1000)
    attribution = blocks.CharBlock(
        label=_("Attribution"), required=False, max_length=120
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "components/streamfield/blocks/quote_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=120,
        form_classname="title",
        icon="title",
        template="components/streamfield/blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    quote = QuoteBlock()
