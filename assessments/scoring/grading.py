"""Responses in, results out. Exact arithmetic with Fraction; no float anywhere near a pass mark.

Speed (`manage.py bench --only scoring`): Fraction's constructor and operators are the cost, so a
share is kept as two integers (right, out of) until the one Fraction of points is made, statuses
compare integers, totals add integers over a common denominator, numeric answers compare integer
ratios, and a spec parses its points once. Every figure is still an exact Fraction, equal to the
plain formula's (tests/assessments/test_scoring_equivalence.py checks on random responses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from math import lcm

from .questions import (
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    ScenarioJudgement,
    ShortText,
    SingleChoice,
    TrueFalse,
    Written,
    exact,
)

MAX_TEXT = 500
MAX_WRITTEN = 10_000
# What no database or page can hold: NUL (PostgreSQL refuses it in text and JSON) and lone UTF-16
# surrogates (JSON's "\ud800" decodes to one; a page or export that contains it cannot be encoded).
UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")

CORRECT, PARTIAL, INCORRECT, UNANSWERED, NEEDS_GRADING = "correct", "partial", "incorrect", "unanswered", "needs_grading"
ZERO = Fraction(0)


class ResponseError(ValueError):
    """A response that does not fit its question; the message says what is wrong. `question`, when
    known, is the id (as its sender knows it) of the question whose answer is wrong."""

    def __init__(self, message: str, *, question: str | None = None):
        super().__init__(message)
        self.question = question


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question_id: str
    points: Fraction
    max_points: Fraction
    status: str
    feedback: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AttemptResult:
    score: Fraction
    max_score: Fraction
    percentage: Fraction
    passed: bool | None  # None while written answers await a grade
    awaiting_grading: bool


def _ids(question, name):
    return [item.id for item in getattr(question, name)]


def clean_response(question: Question, raw):
    """Validate and normalise a raw (JSON or form) response. None means "not answered"."""
    if raw is None or raw == [] or raw == {} or (isinstance(raw, str) and not raw.strip()):
        return None
    match question:
        case SingleChoice() | ScenarioJudgement():
            ids = _ids(question, "choices" if isinstance(question, SingleChoice) else "options")
            if not isinstance(raw, str) or raw not in ids:
                raise ResponseError(f"Question {question.id}: “{str(raw)[:40]}” is not one of its choices.")
            return raw
        case MultipleChoice():
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
                raise ResponseError(f"Question {question.id}: expected a list of choice ids.")
            ids = set(_ids(question, "choices"))
            unknown = [v for v in raw if v not in ids]
            if unknown:
                raise ResponseError(f"Question {question.id}: “{unknown[0][:40]}” is not one of its choices.")
            return sorted(set(raw))
        case TrueFalse():
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.lower() in ("true", "false"):
                return raw.lower() == "true"
            raise ResponseError(f"Question {question.id}: answer true or false.")
        case Numeric():
            if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
                raise ResponseError(f"Question {question.id}: expected a number.")
            text = str(raw).strip().replace(",", "").replace(" ", "").lstrip("$€£").rstrip("%")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ResponseError(f"Question {question.id}: “{str(raw)[:40]}” is not a number.") from None
            if not number.is_finite() or len(text) > 30 or abs(number.adjusted()) > 15:
                raise ResponseError(f"Question {question.id}: “{str(raw)[:40]}” is not a usable number.")
            return str(number)
        case ShortText() | Written():
            limit = MAX_WRITTEN if isinstance(question, Written) else MAX_TEXT
            if not isinstance(raw, str):
                raise ResponseError(f"Question {question.id}: expected text.")
            if len(raw) > limit:
                raise ResponseError(f"Question {question.id}: the answer is longer than {limit} characters.")
            if UNSTORABLE_TEXT.search(raw):
                raise ResponseError(f"Question {question.id}: the answer contains a NUL or broken Unicode character.")
            return raw
        case Ordering():
            if (
                not isinstance(raw, list)
                or not all(isinstance(v, str) for v in raw)
                or sorted(raw) != sorted(_ids(question, "items"))
                or len(set(raw)) != len(raw)
            ):
                raise ResponseError(f"Question {question.id}: expected every item exactly once, in your order.")
            return raw
        case Matching():
            if not isinstance(raw, dict):
                raise ResponseError(f"Question {question.id}: expected a pairing of prompts to answers.")
            prompts = set(_ids(question, "pairs"))
            answers = {pair.answer_id for pair in question.pairs}
            cleaned = {}
            for prompt_id, answer_id in raw.items():
                if prompt_id not in prompts:
                    raise ResponseError(f"Question {question.id}: “{str(prompt_id)[:40]}” is not one of its prompts.")
                if answer_id in (None, ""):
                    continue
                if not isinstance(answer_id, str) or answer_id not in answers:
                    raise ResponseError(f"Question {question.id}: “{str(answer_id)[:40]}” is not one of its answers.")
                cleaned[prompt_id] = answer_id
            return cleaned or None
    raise ResponseError(f"Question {question.id}: unknown question type.")


def _normalise_text(text: str) -> str:
    # str.split() splits on exactly the characters re's \s matches in a str pattern (both use
    # Py_UNICODE_ISSPACE), so this equals re.sub(r"\s+", " ", text).strip().casefold(), faster.
    return " ".join(text.split()).casefold()


def _status(right: int, out_of: int) -> str:
    """The status of a share right/out_of (out_of > 0), on integers."""
    if right >= out_of:
        return CORRECT
    return PARTIAL if right > 0 else INCORRECT


def _points_status(points: Fraction, max_points: Fraction, without_points: str) -> str:
    """The status of points out of max_points; `without_points` when the question is worth none."""
    if not max_points:
        return without_points
    return _status(points.numerator * max_points.denominator, max_points.numerator * points.denominator)


def _result(question: Question, right: int, out_of: int, max_points: Fraction, feedback: list[str]) -> QuestionResult:
    """The share right/out_of of max_points: one Fraction, made only for partial credit."""
    if right >= out_of:
        points = max_points
    elif right <= 0:
        points = ZERO
    else:
        points = Fraction(right * max_points.numerator, out_of * max_points.denominator)
    return QuestionResult(question.id, points, max_points, _status(right, out_of), _with(feedback, question))


def grade(question: Question, response, *, manual_points: Fraction | None = None) -> QuestionResult:
    """Score one cleaned response. Written answers score `manual_points` once a manager has graded."""
    max_points = question.max_points
    feedback: list[str] = []
    if isinstance(question, Written):
        if response is None and manual_points is None:
            return QuestionResult(question.id, ZERO, max_points, UNANSWERED, _with(feedback, question))
        if manual_points is None:
            return QuestionResult(question.id, ZERO, max_points, NEEDS_GRADING, ())
        points = min(max(Fraction(manual_points), ZERO), max_points)
        status = _points_status(points, max_points, CORRECT)
        return QuestionResult(question.id, points, max_points, status, _with(feedback, question))
    if response is None:
        return QuestionResult(question.id, ZERO, max_points, UNANSWERED, _with(feedback, question))

    match question:
        case SingleChoice():
            chosen = next(c for c in question.choices if c.id == response)
            right, out_of = (1 if chosen.correct else 0), 1
            feedback += [chosen.feedback] if chosen.feedback else []
        case MultipleChoice():
            correct_ids = {c.id for c in question.choices if c.correct}
            picked = set(response)
            if question.all_or_nothing:
                right, out_of = (1 if picked == correct_ids else 0), 1
            else:  # (hits - misses) / right choices, floored at 0
                right = max(len(picked & correct_ids) - len(picked - correct_ids), 0) if correct_ids else 0
                out_of = len(correct_ids) or 1
            feedback += [c.feedback for c in question.choices if c.id in picked and c.feedback]
        case TrueFalse():
            right, out_of = (1 if response == question.answer else 0), 1
            chosen_feedback = question.feedback_true if response else question.feedback_false
            feedback += [chosen_feedback] if chosen_feedback else []
        case Numeric():  # |given - answer| <= tolerance, on the decimals' exact integer ratios
            given_n, given_d = Decimal(response).as_integer_ratio()
            answer_n, answer_d = Decimal(question.answer).as_integer_ratio()
            tolerance_n, tolerance_d = Decimal(question.tolerance).as_integer_ratio()
            distance_n = abs(given_n * answer_d - answer_n * given_d)
            right, out_of = (1 if distance_n * tolerance_d <= tolerance_n * given_d * answer_d else 0), 1
        case ShortText():
            accepted = {_normalise_text(a) for a in question.accepted}
            right, out_of = (1 if _normalise_text(response) in accepted else 0), 1
        case Ordering():
            right, out_of = _ordered_pairs([item.id for item in question.items], response)
        case Matching():
            right = sum(1 for pair in question.pairs if response.get(pair.id) == pair.answer_id)
            out_of = len(question.pairs) or 1
        case ScenarioJudgement():
            chosen = next(o for o in question.options if o.id == response)
            points = min(max(exact(chosen.points), ZERO), max_points)
            feedback += [chosen.feedback] if chosen.feedback else []
            status = _points_status(points, max_points, INCORRECT)
            return QuestionResult(question.id, points, max_points, status, _with(feedback, question))
        case _:
            raise ResponseError(f"Question {question.id}: unknown question type.")
    return _result(question, right, out_of, max_points, feedback)


def _with(feedback: list[str], question: Question) -> tuple[str, ...]:
    return tuple(feedback + [question.explanation] if question.explanation else feedback)


def _ordered_pairs(correct: list[str], given: list[str]) -> tuple[int, int]:
    """Item pairs whose relative order matches the correct order, out of all pairs."""
    if len(correct) < 2:
        return (1 if given == correct else 0), 1
    position = {item: index for index, item in enumerate(given)}
    places = [position[item] for item in correct]
    in_order = sum(1 for i, place in enumerate(places) for later in places[i + 1 :] if place < later)
    return in_order, len(places) * (len(places) - 1) // 2


def _total(values) -> Fraction:
    """The exact sum of Fractions, added as integers over a common denominator: one Fraction made."""
    numerator, denominator = 0, 1
    for value in values:
        n, d = value.as_integer_ratio()
        if d == denominator:
            numerator += n
        else:
            common = lcm(denominator, d)
            numerator, denominator = numerator * (common // denominator) + n * (common // d), common
    return Fraction(numerator, denominator)


def attempt_result(results: list[QuestionResult], *, pass_mark: int | Fraction) -> AttemptResult:
    """Total an attempt; `pass_mark` is a percentage, and reaching it exactly passes."""
    score = _total([r.points for r in results])
    max_score = _total([r.max_points for r in results])
    percentage = Fraction(score.numerator * 100 * max_score.denominator, score.denominator * max_score.numerator) if max_score else ZERO
    awaiting = NEEDS_GRADING in [r.status for r in results]
    passed = None if awaiting else percentage >= Fraction(pass_mark)
    return AttemptResult(score, max_score, percentage, passed, awaiting)


HIGHEST, LATEST, FIRST, AVERAGE = "highest", "latest", "first", "average"
POLICIES = (HIGHEST, LATEST, FIRST, AVERAGE)


def grade_over_attempts(policy: str, percentages: list[Fraction]) -> Fraction | None:
    """The quiz grade from finished attempts' percentages, oldest first; None when there are none."""
    if policy not in POLICIES:
        raise ValueError(f"Unknown grading policy “{policy}”; use one of {', '.join(POLICIES)}.")
    if not percentages:
        return None
    if policy == HIGHEST:
        return max(percentages)
    if policy == LATEST:
        return percentages[-1]
    if policy == FIRST:
        return percentages[0]
    return sum(percentages, Fraction(0)) / len(percentages)
