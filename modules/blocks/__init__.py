"""StreamField blocks for lessons. LessonBodyBlock lists every block a lesson may use."""

from wagtail import blocks

from .basic import CalloutBlock, HeadingBlock, ImageBlock, VideoBlock
from .calculator import LifetimeValueCalculatorBlock
from .scenario import ProblemScenarioBlock
from .walkthrough import ConnectionPointWalkthroughBlock


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = blocks.RichTextBlock(
        icon="doc-full", features=["h3", "bold", "italic", "link", "ol", "ul", "blockquote"], template="modules/blocks/text.html"
    )
    image = ImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    walkthrough = ConnectionPointWalkthroughBlock()
    scenario = ProblemScenarioBlock()
    calculator = LifetimeValueCalculatorBlock()


__all__ = [
    "CalloutBlock",
    "ConnectionPointWalkthroughBlock",
    "HeadingBlock",
    "ImageBlock",
    "LessonBodyBlock",
    "LifetimeValueCalculatorBlock",
    "ProblemScenarioBlock",
    "VideoBlock",
]
