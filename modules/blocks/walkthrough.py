"""Connection-point walkthrough: the customer's encounter, stop by stop, through the five senses."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

SENSES = [("see", "See"), ("hear", "Hear"), ("feel", "Feel"), ("smell", "Smell"), ("taste", "Taste")]
SENSE_LABELS = dict(SENSES)


class StopValue(blocks.StructValue):
    def sense_labels(self) -> list[str]:
        return [SENSE_LABELS[s] for s in self.get("senses") or [] if s in SENSE_LABELS]


class ConnectionPointStopBlock(blocks.StructBlock):
    touchpoint = blocks.CharBlock(max_length=120, help_text="Where the customer meets the business, e.g. 'Car park'.")
    senses = blocks.MultipleChoiceBlock(
        choices=SENSES, required=False, help_text="What the customer can see, hear, feel, smell or taste here."
    )
    satisfied = blocks.TextBlock(label="A merely satisfied customer gets")
    loyal = blocks.TextBlock(label="What would make a loyal customer")
    action = blocks.TextBlock(label="What the employee does here")

    class Meta:
        icon = "site"
        value_class = StopValue

    def clean(self, value):
        value = super().clean(value)
        if not value.get("senses"):
            raise StructBlockValidationError(
                block_errors={
                    "senses": ValidationError(
                        f"Stop “{value.get('touchpoint')}” reaches no sense: tick at least one of "
                        "see, hear, feel, smell or taste."
                    )
                }
            )
        return value


class ConnectionPointWalkthroughBlock(blocks.StructBlock):
    """An ordered walk through the customer's encounter.

    Renders as a numbered list that reads well without JavaScript; lesson.js turns it into a
    step-by-step walk with Previous/Next buttons. Add fields to ConnectionPointStopBlock to extend
    what each stop records; the template shows every field of StopValue.
    """

    title = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(required=False)
    stops = blocks.ListBlock(ConnectionPointStopBlock())

    class Meta:
        icon = "list-ol"
        template = "modules/blocks/connection_point_walkthrough.html"
        description = "Walk the customer's encounter stop by stop: senses, satisfied vs loyal, the employee's action."
        preview_value = {
            "title": "A visit to the café",
            "intro": "Walk in as a customer would.",
            "stops": [
                {
                    "touchpoint": "Front door",
                    "senses": ["see", "smell"],
                    "satisfied": "A clean entrance.",
                    "loyal": "Fresh coffee smell and a greeting by name.",
                    "action": "Look up, smile and greet within five seconds.",
                }
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        if len(value["stops"]) < 2:
            raise StructBlockValidationError(
                block_errors={
                    "stops": ListBlockValidationError(
                        non_block_errors=[ValidationError("A walkthrough needs at least two stops to walk through.")]
                    )
                }
            )
        return value
