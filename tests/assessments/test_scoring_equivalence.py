"""The scoring core's integer shortcuts give exactly what the plain Fraction formulas give.

grading.py keeps shares as integer pairs, totals over a common denominator and compares numeric
answers on integer ratios, for speed. Here the plain formulas (as the core computed them before)
score thousands of random questions and responses of every kind, and every points value, status
and attempt total must be equal, and still a Fraction.
"""

import random
import re
import sys
from decimal import Decimal
from fractions import Fraction

import pytest

from assessments.scoring import (
    CORRECT,
    INCORRECT,
    NEEDS_GRADING,
    PARTIAL,
    Choice,
    Item,
    Matching,
    MultipleChoice,
    Numeric,
    Option,
    Ordering,
    Pair,
    ScenarioJudgement,
    ShortText,
    SingleChoice,
    TrueFalse,
    Written,
    attempt_result,
    clean_response,
    grade,
)
from assessments.scoring.grading import _normalise_text
from assessments.scoring.questions import exact

POINTS = ["0", "1", "2", "3", "10", "0.5", "1.25", "0.333", "-1", "007"]
NUMBERS = ["0", "5", "-5", "2600", "2,600", "$2600", "26%", "0.1", "1e3", "1E-3", "12.3456", "99999999.5"]
TEXTS = ["Partnership  model", "partnership model", " PARTNERSHIP\tmodel\n", "loyalty", "Straße", "STRASSE", "ǅ", ""]


# The plain formulas, as grading.py wrote them before the integer shortcuts.
def _share_status(share):
    return CORRECT if share >= 1 else PARTIAL if share > 0 else INCORRECT


def plain_grade(question, response, manual_points=None):
    """(points, max_points, status) by Fraction arithmetic throughout."""
    if isinstance(question, ScenarioJudgement):
        max_points = max([Fraction(o.points) for o in question.options] + [Fraction(0)])
    else:
        max_points = Fraction(question.points)
    if isinstance(question, Written):
        if manual_points is None:
            return Fraction(0), max_points, NEEDS_GRADING if response is not None else "unanswered"
        points = min(max(Fraction(manual_points), Fraction(0)), max_points)
        return points, max_points, _share_status(points / max_points if max_points else Fraction(1))
    if response is None:
        return Fraction(0), max_points, "unanswered"
    if isinstance(question, SingleChoice):
        share = Fraction(next(c for c in question.choices if c.id == response).correct)
    elif isinstance(question, MultipleChoice):
        right, picked = {c.id for c in question.choices if c.correct}, set(response)
        if question.all_or_nothing:
            share = Fraction(picked == right)
        else:
            hits, misses = len(picked & right), len(picked - right)
            share = max(Fraction(hits - misses, len(right)), Fraction(0)) if right else Fraction(0)
    elif isinstance(question, TrueFalse):
        share = Fraction(response == question.answer)
    elif isinstance(question, Numeric):
        distance = abs(Fraction(Decimal(response)) - Fraction(Decimal(question.answer)))
        share = Fraction(distance <= Fraction(Decimal(question.tolerance)))
    elif isinstance(question, ShortText):
        normalise = lambda text: re.sub(r"\s+", " ", text).strip().casefold()  # noqa: E731
        share = Fraction(normalise(response) in {normalise(a) for a in question.accepted})
    elif isinstance(question, Ordering):
        correct = [item.id for item in question.items]
        if len(correct) < 2:
            share = Fraction(response == correct)
        else:
            position = {item: index for index, item in enumerate(response)}
            pairs = [(a, b) for i, a in enumerate(correct) for b in correct[i + 1 :]]
            share = Fraction(sum(1 for a, b in pairs if position[a] < position[b]), len(pairs))
    elif isinstance(question, Matching):
        right = sum(1 for pair in question.pairs if response.get(pair.id) == pair.answer_id)
        share = Fraction(right, len(question.pairs)) if question.pairs else Fraction(0)
    else:  # ScenarioJudgement
        chosen = next(o for o in question.options if o.id == response)
        points = min(max(Fraction(chosen.points), Fraction(0)), max_points)
        return points, max_points, _share_status(points / max_points if max_points else Fraction(0))
    return share * max_points, max_points, _share_status(share)


def _ids(prefix, n):
    return [f"{prefix}{i}" for i in range(n)]


def random_question(rng: random.Random, n: int):
    """A random question of a random kind, with a random response to it (raw, as sent)."""
    common = {"id": f"q{n}", "prompt": "?", "points": rng.choice(POINTS)}
    kind = rng.randrange(9)
    if kind in (0, 1):
        choices = tuple(Choice(i, i, correct=rng.random() < 0.4) for i in _ids("c", rng.randint(1, 6)))
        if kind == 0:
            return SingleChoice(**common, choices=choices), rng.choice(choices).id
        question = MultipleChoice(**common, choices=choices, all_or_nothing=rng.random() < 0.3)
        return question, [c.id for c in choices if rng.random() < 0.5]
    if kind == 2:
        return TrueFalse(**common, answer=rng.random() < 0.5), rng.choice([True, False, "true", "False"])
    if kind == 3:
        question = Numeric(**common, answer=rng.choice(["2600", "0.1", "-5", "1000", "0.001"]),
                           tolerance=rng.choice(["0", "0.5", "100", "0.0001", "5"]))
        return question, rng.choice(NUMBERS)
    if kind == 4:
        return ShortText(**common, accepted=tuple(rng.sample(TEXTS, 2))), rng.choice(TEXTS[:-1])
    if kind == 5:
        items = _ids("i", rng.randint(1, 7))
        given = items[:]
        rng.shuffle(given)
        return Ordering(**common, items=tuple(Item(i, i) for i in items)), given
    if kind == 6:
        pairs = tuple(Pair(p, p, f"a{p}", "answer") for p in _ids("p", rng.randint(1, 6)))
        answers = [pair.answer_id for pair in pairs] + [""]
        return Matching(**common, pairs=pairs), {pair.id: rng.choice(answers) for pair in pairs}
    if kind == 7:
        options = tuple(Option(o, o, points=rng.choice(POINTS)) for o in _ids("o", rng.randint(1, 5)))
        return ScenarioJudgement(**common, options=options), rng.choice(options).id
    return Written(**common), rng.choice(["My answer", None])


@pytest.mark.parametrize("seed", range(20))
def test_grades_and_totals_equal_the_plain_fraction_formulas(seed):
    rng = random.Random(seed)
    for _ in range(50):  # attempts
        results, plain_points, plain_max = [], [], []
        for n in range(rng.randint(1, 25)):
            question, raw = random_question(rng, n)
            response = clean_response(question, raw)
            manual = rng.choice([None, Fraction(1, 2), Fraction(7, 3), Fraction(-1), Fraction(100)])
            manual = manual if isinstance(question, Written) and response is not None else None
            result = grade(question, response, manual_points=manual)
            expected = plain_grade(question, response, manual)
            assert (result.points, result.max_points, result.status) == expected, (question, raw)
            assert type(result.points) is Fraction and type(result.max_points) is Fraction
            results.append(result)
            plain_points.append(expected[0]), plain_max.append(expected[1])
        pass_mark = rng.choice([0, 50, 80, 100, Fraction(200, 3)])
        total = attempt_result(results, pass_mark=pass_mark)
        score, max_score = sum(plain_points, Fraction(0)), sum(plain_max, Fraction(0))
        percentage = score * 100 / max_score if max_score else Fraction(0)
        assert (total.score, total.max_score, total.percentage) == (score, max_score, percentage)
        assert all(type(value) is Fraction for value in (total.score, total.max_score, total.percentage))
        if not total.awaiting_grading:
            assert total.passed == (percentage >= pass_mark)


def test_whole_number_points_parse_to_the_same_fraction():
    for text in POINTS + ["1_0", "²", "٣", " 2 ", "3/4", "+4"]:
        try:
            expected = Fraction(text)
        except ValueError:
            with pytest.raises(ValueError):
                exact(text)
        else:
            assert exact(text) == expected and type(exact(text)) is Fraction


def test_text_normalisation_equals_the_regular_expression_on_every_whitespace_character():
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))]
    assert spaces == [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    rng = random.Random(0)
    for _ in range(2000):
        text = "".join(rng.choice(spaces + list("aBß İ")) for _ in range(rng.randint(0, 12)))
        assert _normalise_text(text) == re.sub(r"\s+", " ", text).strip().casefold()
