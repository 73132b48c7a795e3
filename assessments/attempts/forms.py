from decimal import Decimal

from django import forms

from assessments.models import TimeAccommodation
from assessments.scoring import ResponseError
from assessments.attempts.services import time_accommodation_problems
from modules.models import QuizPage
from training.ids import IdChoiceField


def answers_from_post(questions: list[dict], post) -> dict:
    """Raw answers from the attempt form (no JavaScript needed) for the questions shown (public
    data with their `number`, which problems name: the employee knows no id).

    Field names: q-<id> for one value (radio, text) or several (checkboxes); q-<id>-<item id>
    for an ordering item's position and a matching prompt's chosen answer.
    """
    answers = {}
    for question in questions:
        name = f"q-{question['id']}"
        kind = question["kind"]
        if kind == "multiple_choice":
            answers[question["id"]] = post.getlist(name)
        elif kind == "ordering":
            answers[question["id"]] = _order_from_positions(question, {i["id"]: post.get(f"{name}-{i['id']}", "") for i in question["items"]})
        elif kind == "matching":
            answers[question["id"]] = {p["id"]: post.get(f"{name}-{p['id']}", "") for p in question["prompts"]}
        else:
            answers[question["id"]] = post.get(name, "")
    return answers


def revisions_from_post(questions: list[dict], post) -> dict:
    """The answers' revisions from the attempt form: r-<id>, added and kept current by quiz.js.

    Without JavaScript there are none, and the server dates the answers itself (`_store`). Values
    are checked as whole numbers here; their range is checked by the service.
    """
    revisions = {}
    for question in questions:
        raw = post.get(f"r-{question['id']}")
        if raw is None:
            continue
        if not raw.isascii() or not raw.isdigit() or len(raw) > 30:
            raise ResponseError(f"Question {question['number']}: the revision “{raw[:20]}” is not a whole number.")
        revisions[question["id"]] = int(raw)
    return revisions


def _order_from_positions(question, positions: dict) -> list | None:
    if not any(value.strip() for value in positions.values()):
        return None
    count = len(positions)
    try:
        numbers = {item_id: int(value) for item_id, value in positions.items()}
    except ValueError:
        raise ResponseError(f"Question {question['number']}: give every item a position from 1 to {count}.") from None
    if sorted(numbers.values()) != list(range(1, count + 1)):
        raise ResponseError(f"Question {question['number']}: use each position from 1 to {count} exactly once.")
    return sorted(numbers, key=numbers.get)


class GradeForm(forms.Form):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Shown to the employee.")

    def __init__(self, *args, max_points: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "points": forms.DecimalField(
                min_value=Decimal(0), max_value=max_points, decimal_places=2, help_text=f"Between 0 and {max_points}."
            ),
            **self.fields,
        }


class TimeAccommodationForm(forms.Form):
    """Extra time for one person on one timed quiz or all of them. The bounds are checked by
    `time_accommodation_problems`, the service's own rule, and shown by the field at fault."""

    quiz = IdChoiceField(
        queryset=QuizPage.objects.none(), required=False, empty_label="All timed quizzes",
        error_messages={"invalid_choice": "Choose one of the timed quizzes listed, or all timed quizzes."},
    )
    factor = forms.DecimalField(
        required=False, decimal_places=2, label="Time × factor",
        help_text=f"For example 1.5 for half as much time again (more than 1, at most {TimeAccommodation.MAX_FACTOR}).",
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "1.05", "max": str(TimeAccommodation.MAX_FACTOR)}),
    )
    extra_minutes = forms.IntegerField(
        required=False, label="Extra minutes",
        help_text=f"Added after the factor (1 to {TimeAccommodation.MAX_EXTRA_MINUTES}).",
        widget=forms.NumberInput(attrs={"min": "1", "max": str(TimeAccommodation.MAX_EXTRA_MINUTES)}),
    )
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text="Kept with the record.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quiz"].queryset = QuizPage.objects.live().filter(time_limit_minutes__gt=0).order_by("path")
        self.fields["quiz"].label_from_instance = lambda quiz: f"{quiz.title} ({quiz.time_limit_minutes} min)"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        problems = time_accommodation_problems(
            quiz=data.get("quiz"), factor=data.get("factor"), extra_minutes=data.get("extra_minutes"), reason=data.get("reason", "")
        )
        for field, message in problems.items():
            self.add_error(field if field in self.fields else None, message)
        return data
