"""StreamField blocks for site-wide pages. No raw HTML: editors are not fully trusted.

The image and quote blocks are core's, shared with the brand stories, so a
site page and a brand story render and validate them alike.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.blocks import RICH_TEXT_FEATURES, CaptionedImageBlock, QuoteBlock


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
