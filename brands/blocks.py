"""Story blocks of brand and product pages. No raw HTML: editors are not fully trusted."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock

from core.blocks import RICH_TEXT_FEATURES, CaptionedImageBlock, QuoteBlock

_BLOCKS = "components/streamfield/blocks"


class GalleryBlock(blocks.StructBlock):
    images = blocks.ListBlock(
        CaptionedImageBlock(), min_num=1, max_num=24, label=_("Images")
    )

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = f"{_BLOCKS}/gallery_block.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("Video link"),
        help_text=_("A YouTube or Vimeo address."),
        max_width=960,
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Video")
        template = f"{_BLOCKS}/video_block.html"


class MilestoneBlock(blocks.StructBlock):
    year = blocks.IntegerBlock(label=_("Year"), min_value=1800, max_value=2100)
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=600)


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    milestones = blocks.ListBlock(
        MilestoneBlock(), min_num=1, max_num=40, label=_("Milestones")
    )

    class Meta:
        icon = "date"
        label = _("Timeline")
        template = f"{_BLOCKS}/timeline_block.html"


class LocationBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Place name"), max_length=120)
    latitude = blocks.DecimalBlock(
        label=_("Latitude"), min_value=-90, max_value=90, decimal_places=6
    )
    longitude = blocks.DecimalBlock(
        label=_("Longitude"), min_value=-180, max_value=180, decimal_places=6
    )
    address = blocks.CharBlock(label=_("Address"), required=False, max_length=255)

    class Meta:
        icon = "site"
        label = _("Location map")
        template = f"{_BLOCKS}/location_block.html"


class StoryStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=120,
        form_classname="title",
        icon="title",
        template=f"{_BLOCKS}/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    timeline = TimelineBlock()
    location = LocationBlock()


class ProductStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=120,
        form_classname="title",
        icon="title",
        template=f"{_BLOCKS}/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    video = VideoBlock()
    quote = QuoteBlock()
