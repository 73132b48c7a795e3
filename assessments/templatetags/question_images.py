"""{% question_image question %}: the picture a question was asked with (attempt, result and grading
pages; `small=True` for the review-before-submit list). Questions carry a Wagtail image id and its description (scoring.Question.image, image_alt),
frozen into the attempt, so an attempt keeps the image it was taken with even after the quiz is
edited. An image since deleted from the library leaves its description in place of the picture.
"""

from django import template
from wagtail.images import get_image_model

register = template.Library()

RENDITION = "max-800x500"  # wide enough for a chart, small enough for a phone
THUMBNAIL = "max-240x150"  # a reminder of the picture beside a list of questions


@register.inclusion_tag("assessments/includes/question_image.html")
def question_image(question, small=False):
    """`question` is a spec or its public data (a dict); renders nothing without an image."""
    get = question.get if isinstance(question, dict) else lambda name, default="": getattr(question, name, default)
    image_id, alt = get("image", ""), get("image_alt", "")
    if not image_id:
        return {"shown": False}
    image = get_image_model().objects.filter(pk=image_id).first() if str(image_id).isdigit() else None
    rendition = image.get_rendition(THUMBNAIL if small else RENDITION) if image else None
    return {"shown": True, "rendition": rendition, "alt": alt}
