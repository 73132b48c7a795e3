"""Quiz question blocks. The StreamField block id is the question id.

Each block validates itself in clean() and turns its value into a scoring spec with to_spec();
the spec (assessments.scoring) is what attempts freeze and score. To add a question type, add a
spec in assessments/scoring, then a block here with to_spec(), and list it in QuizQuestionsBlock.
"""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from assessments import scoring


def _items_with_ids(list_value):
    """(id, value) for each ListBlock item; ids survive edits, so statistics can follow a choice."""
    bound = getattr(list_value, "bound_blocks", None)
    if bound is None:
        return [(str(i), v) for i, v in enumerate(list_value)]
    return [(child.id or str(i), child.value) for i, child in enumerate(bound)]


def _list_error(field: str, message: str) -> StructBlockValidationError:
    return StructBlockValidationError(
        block_errors={field: ListBlockValidationError(non_block_errors=[ValidationError(message)])}
    )


def _duplicates(texts) -> list[str]:
    seen, dupes = set(), []
    for text in texts:
        key = " ".join(str(text).split()).casefold()
        if key in seen:
            dupes.append(text)
        seen.add(key)
    return dupes


def _image_fields() -> dict:
    """The optional picture shown with a question's text, and its description (required with it)."""
    return {
        "image": ImageChooserBlock(required=False, help_text="Shown with the question, e.g. a photo or a chart."),
        "image_alt": blocks.CharBlock(
            required=False, max_length=250, label="Image description", help_text="What the picture shows, for people who cannot see it."
        ),
    }


def _described_image(value):
    if value.get("image") and not (value.get("image_alt") or "").strip():
        raise StructBlockValidationError(block_errors={"image_alt": ValidationError("Describe the image for people who cannot see it.")})
    return value


def _image_spec(value) -> dict:
    image = value.get("image")
    return {"image": str(image.pk), "image_alt": value["image_alt"].strip()} if image else {}


def _unique_choices(value):
    if dupes := _duplicates(c["text"] for c in value["choices"]):
        raise _list_error("choices", f"The choice “{dupes[0]}” appears twice.")
    return value


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(help_text="The question, as the employee reads it.")
    image, image_alt = _image_fields().values()
    points = blocks.DecimalBlock(default=Decimal(1), min_value=0, max_digits=6, decimal_places=2)
    explanation = blocks.TextBlock(required=False, help_text="Shown with the feedback after submission.")

    class Meta:
        template = "modules/blocks/question.html"

    def clean(self, value):
        return _described_image(super().clean(value))

    def common(self, value, question_id: str) -> dict:
        return {
            "id": question_id, "prompt": value["prompt"], "points": str(value["points"]), "explanation": value["explanation"] or "",
            **_image_spec(value),
        }


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.CharBlock(required=False, max_length=500, help_text="Shown when this choice was picked.")


class SingleChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)

    class Meta:
        icon = "radio-full"
        label = "Single choice"
        description = "One right answer among several choices."
        preview_value = {
            "prompt": "On a report card, what grade is a merely satisfied customer?",
            "points": Decimal(1),
            "choices": [{"text": "A", "correct": False}, {"text": "C", "correct": True}],
        }

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for c in value["choices"] if c["correct"])
        if correct != 1:
            raise _list_error("choices", f"Mark exactly one choice as correct (now {correct}).")
        return _unique_choices(value)

    def to_spec(self, value, question_id):
        choices = tuple(
            scoring.Choice(id=i, text=c["text"], correct=bool(c["correct"]), feedback=c["feedback"] or "") for i, c in _items_with_ids(value["choices"])
        )
        return scoring.SingleChoice(**self.common(value, question_id), choices=choices)


class MultipleChoiceQuestionBlock(SingleChoiceQuestionBlock):
    scoring_rule = blocks.ChoiceBlock(
        choices=[("partial", "Partial credit: right picks minus wrong picks, floored at 0"), ("all", "All or nothing")],
        default="partial",
    )

    class Meta:
        icon = "tick-inverse"
        label = "Multiple choice"
        description = "Several right answers; partial credit or all-or-nothing."
        preview_value = {
            "prompt": "Which of these does a loyal customer do?",
            "points": Decimal(2),
            "choices": [{"text": "Comes back", "correct": True}, {"text": "Shops around", "correct": False}],
        }

    def clean(self, value):
        value = QuestionBlock.clean(self, value)
        if not any(c["correct"] for c in value["choices"]):
            raise _list_error("choices", "Mark at least one choice as correct.")
        return _unique_choices(value)

    def to_spec(self, value, question_id):
        choices = super().to_spec(value, question_id).choices
        return scoring.MultipleChoice(
            **self.common(value, question_id), choices=choices, all_or_nothing=value["scoring_rule"] == "all"
        )


class TrueFalseQuestionBlock(QuestionBlock):
    answer = blocks.BooleanBlock(required=False, label="The statement is true")
    feedback_true = blocks.CharBlock(required=False, max_length=500, help_text="Shown to those who answered “true”.")
    feedback_false = blocks.CharBlock(required=False, max_length=500, help_text="Shown to those who answered “false”.")

    class Meta:
        icon = "tick"
        label = "True or false"
        description = "A statement the employee judges true or false."
        preview_value = {"prompt": "Points cards create loyalty on their own.", "points": Decimal(1), "answer": False}

    def to_spec(self, value, question_id):
        return scoring.TrueFalse(
            **self.common(value, question_id),
            answer=bool(value["answer"]),
            feedback_true=value["feedback_true"] or "",
            feedback_false=value["feedback_false"] or "",
        )


class NumericQuestionBlock(QuestionBlock):
    answer = blocks.DecimalBlock(max_digits=14, decimal_places=4)
    tolerance = blocks.DecimalBlock(default=Decimal(0), max_digits=14, decimal_places=4, help_text="Answers within ± this count as right.")
    unit = blocks.CharBlock(required=False, max_length=20, help_text="Shown beside the answer box, e.g. $ or years.")

    class Meta:
        icon = "order"
        label = "Numeric"
        description = "A number, right within a tolerance."
        preview_value = {"prompt": "What is a $50-a-week customer worth per year?", "points": Decimal(1), "answer": Decimal(2600), "unit": "$"}

    def clean(self, value):
        value = super().clean(value)
        if value["tolerance"] is not None and value["tolerance"] < 0:
            raise StructBlockValidationError(block_errors={"tolerance": ValidationError("The tolerance cannot be negative.")})
        return value

    def to_spec(self, value, question_id):
        return scoring.Numeric(
            **self.common(value, question_id), answer=str(value["answer"]), tolerance=str(value["tolerance"] or 0), unit=value["unit"] or ""
        )


class ShortTextQuestionBlock(QuestionBlock):
    accepted = blocks.ListBlock(blocks.CharBlock(max_length=200), min_num=1, help_text="Case and spacing are ignored.")

    class Meta:
        icon = "pilcrow"
        label = "Short text"
        description = "A word or phrase; any accepted answer counts, ignoring case and spaces."
        preview_value = {"prompt": "Name the model that asks what you have done lately for your loyal customers.", "points": Decimal(1), "accepted": ["partnership model"]}

    def clean(self, value):
        value = super().clean(value)
        if dupes := _duplicates(value["accepted"]):
            raise _list_error("accepted", f"The accepted answer “{dupes[0]}” appears twice.")
        return value

    def to_spec(self, value, question_id):
        return scoring.ShortText(**self.common(value, question_id), accepted=tuple(value["accepted"]))


class OrderingQuestionBlock(QuestionBlock):
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=2, help_text="In the correct order; employees see them shuffled.")

    class Meta:
        icon = "list-ol"
        label = "Ordering"
        description = "Put items in order; partial credit for each pair in the right order."
        preview_value = {"prompt": "Put the steps in order.", "points": Decimal(1), "items": ["Goal", "Behaviours", "Program"]}

    def clean(self, value):
        value = super().clean(value)
        if dupes := _duplicates(value["items"]):
            raise _list_error("items", f"The item “{dupes[0]}” appears twice.")
        return value

    def to_spec(self, value, question_id):
        items = tuple(scoring.Item(id=i, text=text) for i, text in _items_with_ids(value["items"]))
        return scoring.Ordering(**self.common(value, question_id), items=items)


class PairBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=300)
    answer = blocks.CharBlock(max_length=300)


class MatchingQuestionBlock(QuestionBlock):
    pairs = blocks.ListBlock(PairBlock(), min_num=2, help_text="Each prompt with its right answer; answers are shuffled.")

    class Meta:
        icon = "link"
        label = "Matching"
        description = "Match each prompt to its answer; partial credit per pair."
        preview_value = {"prompt": "Match the figures.", "points": Decimal(2), "pairs": [{"prompt": "Satisfied, per year", "answer": "$200"}, {"prompt": "Loyal, per year", "answer": "$2,600"}]}

    def clean(self, value):
        value = super().clean(value)
        for field in ("prompt", "answer"):
            if dupes := _duplicates(p[field] for p in value["pairs"]):
                raise _list_error("pairs", f"The {field} “{dupes[0]}” appears twice.")
        return value

    def to_spec(self, value, question_id):
        pairs = tuple(
            scoring.Pair(id=i, prompt=p["prompt"], answer_id=f"a{i}", answer=p["answer"]) for i, p in _items_with_ids(value["pairs"])
        )
        return scoring.Matching(**self.common(value, question_id), pairs=pairs)


class ScenarioOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300, help_text="What the employee would do.")
    points = blocks.DecimalBlock(default=Decimal(0), min_value=0, max_digits=6, decimal_places=2)
    feedback = blocks.CharBlock(required=False, max_length=500)


class ScenarioQuestionBlock(blocks.StructBlock):
    situation = blocks.TextBlock(help_text="The customer situation.")
    image, image_alt = _image_fields().values()
    prompt = blocks.TextBlock(default="What do you do?")
    options = blocks.ListBlock(ScenarioOptionBlock(), min_num=2)
    explanation = blocks.TextBlock(required=False)

    class Meta:
        icon = "help"
        label = "Scenario judgement"
        template = "modules/blocks/question.html"
        description = "A customer situation; each response earns its own points and feedback."
        preview_value = {
            "situation": "A regular's order is wrong.",
            "prompt": "What do you do?",
            "options": [{"text": "Fix it at once and apologise", "points": Decimal(2)}, {"text": "Blame the kitchen", "points": Decimal(0)}],
        }

    def clean(self, value):
        value = _described_image(super().clean(value))
        if not any(o["points"] and o["points"] > 0 for o in value["options"]):
            raise _list_error("options", "Give at least one response more than 0 points.")
        if dupes := _duplicates(o["text"] for o in value["options"]):
            raise _list_error("options", f"The response “{dupes[0]}” appears twice.")
        return value

    def to_spec(self, value, question_id):
        options = tuple(
            scoring.Option(id=i, text=o["text"], points=str(o["points"] or 0), feedback=o["feedback"] or "") for i, o in _items_with_ids(value["options"])
        )
        return scoring.ScenarioJudgement(
            id=question_id, prompt=value["prompt"], explanation=value["explanation"] or "", situation=value["situation"], options=options,
            **_image_spec(value),
        )


class WrittenQuestionBlock(QuestionBlock):
    guidance = blocks.TextBlock(required=False, help_text="For the manager who grades: what a good answer contains.")

    class Meta:
        icon = "edit"
        label = "Written answer"
        description = "A free answer that the employee's manager grades."
        preview_value = {"prompt": "Describe a Random Act of Worth you could do this month.", "points": Decimal(3)}

    def to_spec(self, value, question_id):
        return scoring.Written(**self.common(value, question_id), guidance=value["guidance"] or "")


class QuizQuestionsBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    numeric = NumericQuestionBlock()
    short_text = ShortTextQuestionBlock()
    ordering = OrderingQuestionBlock()
    matching = MatchingQuestionBlock()
    scenario = ScenarioQuestionBlock()
    written = WrittenQuestionBlock()


# Specs parsed in this process, by the question bank's stored JSON: parsing a bank through its
# blocks (about 2 ms for the final assessment's 37 questions) is most of an attempt's start, and a
# bank only changes when it is published again. Specs are frozen, so they can be shared.
_parsed_banks: dict[str, tuple] = {}
PARSED_BANKS_KEPT = 64


def question_specs(stream_value) -> list[scoring.Question]:
    """The scoring specs of a quiz's questions, in editor order; the block id is the question id."""
    bank = json.dumps(list(stream_value.raw_data), default=str)
    specs = _parsed_banks.get(bank)
    if specs is None:
        specs = tuple(child.block.to_spec(child.value, child.id) for child in stream_value)
        if len(_parsed_banks) >= PARSED_BANKS_KEPT:
            _parsed_banks.clear()
        _parsed_banks[bank] = specs
    return list(specs)
