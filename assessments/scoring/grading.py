"""Responses in, results out. Exact arithmetic with Fraction; no float anywhere near a pass mark."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

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
)

MAX_TEXT = 500
MAX_WRITTEN = 10_000
# What no database or page can hold: NUL (PostgreSQL refuses it in text and JSON) and lone UTF-16
# surrogates (JSON's "\ud800" decodes to one; a page or export that contains it cannot be encoded).
UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")

CORRECT, PARTIAL, INCORRECT, UNANSWERED, NEEDS_GRADING = "correct", "partial", "incorrect", "unanswered", "needs_grading"


class ResponseError(ValueError):
    """A response that does not fit its question; the message says what is wrong. `question`, when
    known, is the id (as its sender knows it) of the question whose answer is wrong."""

    def __init__(self, message: str, *, question: str | None = None):
        super().__init__(message)
        self.question = question


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    points: Fraction
    max_points: Fraction
    status: str
    feedback: tuple[str, ...] = ()


@dataclass(frozen=True)
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
            unknown = [v for v in raw if v not in _ids(question, "choices")]
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
    return re.sub(r"\s+", " ", text).strip().casefold()


def _status(share: Fraction) -> str:
    if share >= 1:
        return CORRECT
    return PARTIAL if share > 0 else INCORRECT


def grade(question: Question, response, *, manual_points: Fraction | None = None) -> QuestionResult:
    """Score one cleaned response. Written answers score `manual_points` once a manager has graded."""
    max_points = question.max_points
    feedback: list[str] = []
    if isinstance(question, Written):
        if response is None and manual_points is None:
            return QuestionResult(question.id, Fraction(0), max_points, UNANSWERED, _with(feedback, question))
        if manual_points is None:
            return QuestionResult(question.id, Fraction(0), max_points, NEEDS_GRADING, ())
        points = min(max(Fraction(manual_points), Fraction(0)), max_points)
        share = points / max_points if max_points else Fraction(1)
        return QuestionResult(question.id, points, max_points, _status(share), _with(feedback, question))
    if response is None:
        return QuestionResult(question.id, Fraction(0), max_points, UNANSWERED, _with(feedback, question))

    match question:
        case SingleChoice():
            chosen = next(c for c in question.choices if c.id == response)
            share = Fraction(1) if chosen.correct else Fraction(0)
            feedback += [chosen.feedback] if chosen.feedback else []
        case MultipleChoice():
            right = {c.id for c in question.choices if c.correct}
            picked = set(response)
            if question.all_or_nothing:
                share = Fraction(1) if picked == right else Fraction(0)
            else:
                hits, misses = len(picked & right), len(picked - right)
                share = max(Fraction(hits - misses, len(right)), Fraction(0)) if right else Fraction(0)
            feedback += [c.feedback for c in question.choices if c.id in picked and c.feedback]
        case TrueFalse():
            share = Fraction(1) if response == question.answer else Fraction(0)
            chosen_feedback = question.feedback_true if response else question.feedback_false
            feedback += [chosen_feedback] if chosen_feedback else []
        case Numeric():
            distance = abs(Fraction(Decimal(response)) - Fraction(Decimal(question.answer)))
            share = Fraction(1) if distance <= Fraction(Decimal(question.tolerance)) else Fraction(0)
        case ShortText():
            accepted = {_normalise_text(a) for a in question.accepted}
            share = Fraction(1) if _normalise_text(response) in accepted else Fraction(0)
        case Ordering():
            share = _ordered_pairs_share([item.id for item in question.items], response)
        case Matching():
            right = sum(1 for pair in question.pairs if response.get(pair.id) == pair.answer_id)
            share = Fraction(right, len(question.pairs)) if question.pairs else Fraction(0)
        case ScenarioJudgement():
            chosen = next(o for o in question.options if o.id == response)
            points = min(max(Fraction(chosen.points), Fraction(0)), max_points)
            feedback += [chosen.feedback] if chosen.feedback else []
            share = points / max_points if max_points else Fraction(0)
            return QuestionResult(question.id, points, max_points, _status(share), _with(feedback, question))
        case _:
            raise ResponseError(f"Question {question.id}: unknown question type.")
    return QuestionResult(question.id, share * max_points, max_points, _status(share), _with(feedback, question))


def _with(feedback: list[str], question: Question) -> tuple[str, ...]:
    return tuple(feedback + ([question.explanation] if question.explanation else []))


def _ordered_pairs_share(correct: list[str], given: list[str]) -> Fraction:
    """Share of item pairs whose relative order matches the correct order."""
    if len(correct) < 2:
        return Fraction(1) if given == correct else Fraction(0)
    position = {item: index for index, item in enumerate(given)}
    pairs = [(a, b) for i, a in enumerate(correct) for b in correct[i + 1 :]]
    in_order = sum(1 for a, b in pairs if position[a] < position[b])
    return Fraction(in_order, len(pairs))


def attempt_result(results: list[QuestionResult], *, pass_mark: int | Fraction) -> AttemptResult:
    """Total an attempt; `pass_mark` is a percentage, and reaching it exactly passes."""
    score = sum((r.points for r in results), Fraction(0))
    max_score = sum((r.max_points for r in results), Fraction(0))
    percentage = score * 100 / max_score if max_score else Fraction(0)
    awaiting = any(r.status == NEEDS_GRADING for r in results)
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
