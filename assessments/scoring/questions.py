"""Question specs: frozen, JSON-serialisable descriptions of what was asked and what is right.

A spec carries the answer key, so specs stay on the server. `public_data()` is the only view of a
question that may reach the browser before the attempt is submitted.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from fractions import Fraction
from functools import cached_property


def exact(text: str) -> Fraction:
    """A decimal string ("2", "0.5") as an exact Fraction. Whole numbers skip Fraction's string
    parser (a regular expression, the slowest step of scoring): Fraction(int("2")) == Fraction("2")."""
    if text.isascii() and text.isdigit():
        return Fraction(int(text))
    return Fraction(text)


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Option:
    """A response to a scenario judgement: some are better than others."""

    id: str
    text: str
    points: str = "0"  # decimal string; exact arithmetic via Fraction
    feedback: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    text: str


@dataclass(frozen=True)
class Pair:
    id: str
    prompt: str
    answer_id: str
    answer: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    points: str = "1"
    explanation: str = ""
    image: str = ""  # a Wagtail image's id, shown with the question text (the attempt keeps the one it was taken with)
    image_alt: str = ""  # required with an image: what the picture shows, for those who cannot see it
    kind = "question"

    @cached_property  # specs are frozen, so parsed once per spec; dataclasses.replace() makes a new one
    def max_points(self) -> Fraction:
        return exact(self.points)

    def public_data(self) -> dict:
        """What the employee may see while answering: never the key, points of choices or feedback."""
        data = {"id": self.id, "kind": self.kind, "prompt": self.prompt, "points": self.points}
        if self.image:
            data |= {"image": self.image, "image_alt": self.image_alt}
        return data

    def to_data(self) -> dict:
        """JSON-ready data (lists, not tuples), a new copy each time (an attempt's start shuffles
        it); question_from_data() rebuilds the spec."""
        return json.loads(self._data_json)

    @cached_property  # dataclasses' asdict() copies deeply and slowly: once per spec, then json.loads
    def _data_json(self) -> str:
        return json.dumps({"kind": self.kind, **_plain(asdict(self))})


@dataclass(frozen=True)
class SingleChoice(Question):
    choices: tuple[Choice, ...] = ()
    kind = "single_choice"

    def public_data(self):
        return {**super().public_data(), "choices": [{"id": c.id, "text": c.text} for c in self.choices]}


@dataclass(frozen=True)
class MultipleChoice(Question):
    """Partial credit: (right picks - wrong picks) / right choices, floored at 0; or all-or-nothing."""

    choices: tuple[Choice, ...] = ()
    all_or_nothing: bool = False
    kind = "multiple_choice"

    def public_data(self):
        return {**super().public_data(), "choices": [{"id": c.id, "text": c.text} for c in self.choices]}


@dataclass(frozen=True)
class TrueFalse(Question):
    answer: bool = True
    feedback_true: str = ""
    feedback_false: str = ""
    kind = "true_false"


@dataclass(frozen=True)
class Numeric(Question):
    answer: str = "0"
    tolerance: str = "0"
    unit: str = ""
    kind = "numeric"

    def public_data(self):
        return {**super().public_data(), "unit": self.unit}


@dataclass(frozen=True)
class ShortText(Question):
    accepted: tuple[str, ...] = ()
    kind = "short_text"


@dataclass(frozen=True)
class Ordering(Question):
    """Items in their correct order; `shown` is the order the employee first sees them in."""

    items: tuple[Item, ...] = ()
    shown: tuple[str, ...] = ()
    kind = "ordering"

    def public_data(self):
        by_id = {item.id: item.text for item in self.items}
        order = self.shown or tuple(by_id)
        return {**super().public_data(), "items": [{"id": i, "text": by_id[i]} for i in order]}


@dataclass(frozen=True)
class Matching(Question):
    """Each prompt has one right answer; answers are offered in `shown` order."""

    pairs: tuple[Pair, ...] = ()
    shown: tuple[str, ...] = ()
    kind = "matching"

    def public_data(self):
        answers = {pair.answer_id: pair.answer for pair in self.pairs}
        order = self.shown or tuple(answers)
        return {
            **super().public_data(),
            "prompts": [{"id": pair.id, "text": pair.prompt} for pair in self.pairs],
            "answers": [{"id": a, "text": answers[a]} for a in order],
        }


@dataclass(frozen=True)
class ScenarioJudgement(Question):
    situation: str = ""
    options: tuple[Option, ...] = ()
    kind = "scenario"

    @cached_property
    def max_points(self) -> Fraction:
        return max([exact(o.points) for o in self.options] + [Fraction(0)])

    def public_data(self):
        best = self.max_points
        return {
            **super().public_data(),
            "points": f"{best.numerator / best.denominator:g}",
            "situation": self.situation,
            "options": [{"id": o.id, "text": o.text} for o in self.options],
        }


@dataclass(frozen=True)
class Written(Question):
    """No automatic score: a manager grades it."""

    guidance: str = ""  # for the grader only
    kind = "written"


KINDS: dict[str, type[Question]] = {
    cls.kind: cls
    for cls in (SingleChoice, MultipleChoice, TrueFalse, Numeric, ShortText, Ordering, Matching, ScenarioJudgement, Written)
}
_NESTED = {"choices": Choice, "options": Option, "items": Item, "pairs": Pair}


def question_from_data(data: dict) -> Question:
    """Rebuild a spec from `Question.to_data()` output (as stored in an attempt's snapshot)."""
    cls = KINDS[data["kind"]]
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in _NESTED:
            value = tuple(_NESTED[f.name](**item) for item in value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


__all__ = [
    "Choice", "Item", "KINDS", "Matching", "MultipleChoice", "Numeric", "Option", "Ordering", "Pair",
    "Question", "ScenarioJudgement", "ShortText", "SingleChoice", "TrueFalse", "Written", "question_from_data",
]
