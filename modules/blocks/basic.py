"""General-purpose lesson blocks: heading, callout, image with caption, video."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level keeps the page outline correct for screen readers."""

    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", "Section"), ("h3", "Sub-section")], default="h2")

    class Meta:
        icon = "title"
        template = "modules/blocks/heading.html"
        description = "A section heading inside the lesson."
        preview_value = {"text": "Why loyalty beats satisfaction", "level": "h2"}


class CalloutBlock(blocks.StructBlock):
    """A highlighted box; "key takeaway" callouts are the facts an employee should remember."""

    kind = blocks.ChoiceBlock(
        choices=[("takeaway", "Key takeaway"), ("tip", "Tip"), ("example", "Example"), ("warning", "Watch out")],
        default="takeaway",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "pick"
        template = "modules/blocks/callout.html"
        description = "A highlighted key takeaway, tip, example or warning."
        preview_value = {
            "kind": "takeaway",
            "title": "Remember",
            "body": "<p>Satisfied is a C. Loyal is an A.</p>",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(max_length=250, help_text="Describe the picture for people who cannot see it.")
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "modules/blocks/image.html"
        description = "A picture with alternative text and an optional caption."


class VideoBlock(blocks.StructBlock):
    """An embedded video (YouTube, Vimeo, ... via oEmbed) with a transcript for accessibility."""

    video = EmbedBlock(help_text="The address of the video page, e.g. a YouTube link.")
    caption = blocks.CharBlock(required=False, max_length=250)
    transcript = blocks.TextBlock(required=False, help_text="Shown under the video for people who cannot play it.")

    class Meta:
        icon = "media"
        template = "modules/blocks/video.html"
        description = "An embedded video with an optional transcript."
