"""The scoring core (assessments.scoring): pure Python, exact Fraction arithmetic, no Django.

Nothing here touches the database or imports Django. Each question type gets the same treatment:
clean_response (valid forms normalised, every malformed form rejected naming the question,
empty means unanswered), grade (points, status, feedback), a to_data/question_from_data round
trip, and a public_data view that carries none of the answer key.
"""

import dataclasses
import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from assessments.scoring import (
    AVERAGE,
    CORRECT,
    FIRST,
    HIGHEST,
    INCORRECT,
    KINDS,
    LATEST,
    NEEDS_GRADING,
    PARTIAL,
    POLICIES,
    UNANSWERED,
    AttemptResult,
    Choice,
    Item,
    Matching,
    MultipleChoice,
    Numeric,
    Option,
    Ordering,
    Pair,
    QuestionResult,
    ResponseError,
    ScenarioJudgement,
    ShortText,
    SingleChoice,
    TrueFalse,
    Written,
    attempt_result,
    clean_response,
    grade,
    grade_over_attempts,
    question_from_data,
)

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------------------
# The questions under test: one (or two) of every kind, each with a distinctive id so that error
# messages can be checked for naming it.
# --------------------------------------------------------------------------------------------

SINGLE = SingleChoice(
    id="q-single",
    prompt="Which tier needs 5,000 points?",
    points="2",
    explanation="Gold starts at 5,000 points.",
    choices=(
        Choice("silver", "Silver", feedback="Silver starts at 1,000."),
        Choice("gold", "Gold", correct=True, feedback="Yes, gold."),
        Choice("bronze", "Bronze"),
    ),
)

MULTI = MultipleChoice(
    id="q-multi",
    prompt="Which of these build loyalty?",
    points="3",
    explanation="Recognition, reliability and rewards.",
    choices=(
        Choice("a", "Greeting by name", correct=True, feedback="fb-a"),
        Choice("b", "Keeping promises", correct=True),
        Choice("c", "Rewarding visits", correct=True, feedback="fb-c"),
        Choice("d", "Long queues", feedback="fb-d"),
        Choice("e", "Hidden fees"),
    ),
)
MULTI_AON = dataclasses.replace(MULTI, id="q-multi-aon", all_or_nothing=True)

TF = TrueFalse(
    id="q-tf",
    prompt="Points never expire.",
    answer=False,
    feedback_true="They expire after 24 months.",
    feedback_false="Right, they expire after 24 months.",
    explanation="See the programme rules.",
)

NUM = Numeric(
    id="q-num",
    prompt="Lifetime value of a regular?",
    points="2",
    answer="2600",
    tolerance="50",
    unit="USD",
    explanation="52 visits x $50.",
)

SHORT = ShortText(
    id="q-short",
    prompt="What do members collect?",
    accepted=("Loyalty Points", "points"),
    explanation="Members collect points.",
)

ORDER = Ordering(
    id="q-order",
    prompt="Put the service steps in order.",
    points="6",
    explanation="Greet, listen, solve, thank.",
    items=(Item("greet", "Greet"), Item("listen", "Listen"), Item("solve", "Solve"), Item("thank", "Thank")),
    shown=("solve", "greet", "thank", "listen"),
)

MATCH = Matching(
    id="q-match",
    prompt="Match each tier to its perk.",
    points="3",
    explanation="Perks grow with the tier.",
    pairs=(
        Pair("bronze", "Bronze", "p-coffee", "Free coffee"),
        Pair("silver", "Silver", "p-lounge", "Lounge access"),
        Pair("gold", "Gold", "p-upgrade", "Free upgrade"),
    ),
    shown=("p-upgrade", "p-coffee", "p-lounge"),
)

SCEN = ScenarioJudgement(
    id="q-scen",
    prompt="What do you do?",
    points="1",  # ignored: a scenario is worth its best option
    explanation="Own the problem.",
    situation="A gold member's booking was lost.",
    options=(
        Option("best", "Rebook and upgrade", points="3", feedback="Excellent recovery."),
        Option("ok", "Rebook", points="1.5", feedback="Fixes it, no more."),
        Option("poor", "Ask them to call back", points="0", feedback="Passes the problem on."),
        Option("harmful", "Blame the system", points="-2", feedback="Never blame."),
    ),
)

WRITTEN = Written(
    id="q-written",
    prompt="Describe a recovery you made.",
    points="5",
    explanation="A good recovery owns the problem.",
    guidance="Look for ownership and a follow-up.",
)

ALL_QUESTIONS = [SINGLE, MULTI, MULTI_AON, TF, NUM, SHORT, ORDER, MATCH, SCEN, WRITTEN]


def ids(questions):
    return [q.id for q in questions]


def answer(question, raw, **kwargs):
    """Clean a raw response, then grade it, as the views do."""
    return grade(question, clean_response(question, raw), **kwargs)


# --------------------------------------------------------------------------------------------
# No Django
# --------------------------------------------------------------------------------------------


def test_scoring_core_imports_without_django():
    code = (
        "import sys\n"
        "sys.modules['django'] = None\n"  # any `import django...` now raises ImportError
        "import assessments.scoring as s\n"
        "q = s.SingleChoice(id='q', prompt='p', choices=(s.Choice('a', 'A', correct=True),))\n"
        "assert s.grade(q, s.clean_response(q, 'a')).status == s.CORRECT\n"
        "loaded = [m for m in sys.modules if m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
        "print('django-free')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "django-free"


def test_every_kind_is_registered():
    assert set(KINDS) == {
        "single_choice", "multiple_choice", "true_false", "numeric", "short_text",
        "ordering", "matching", "scenario", "written",
    }
    for question in ALL_QUESTIONS:
        assert KINDS[question.kind] is type(question)


# --------------------------------------------------------------------------------------------
# clean_response
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=ids(ALL_QUESTIONS))
@pytest.mark.parametrize("empty", ["", None, [], {}], ids=["empty-str", "none", "empty-list", "empty-dict"])
def test_empty_values_mean_unanswered(question, empty):
    assert clean_response(question, empty) is None


@pytest.mark.parametrize(
    "raw",
    [{"bronze": ""}, {"bronze": None, "silver": ""}],
    ids=["blank-answer", "all-blank"],
)
def test_matching_with_only_blank_answers_is_unanswered(raw):
    assert clean_response(MATCH, raw) is None


@pytest.mark.parametrize(
    "question, raw, expected",
    [
        # single choice and scenario: a known id, as is
        (SINGLE, "gold", "gold"),
        (SINGLE, "silver", "silver"),
        (SCEN, "ok", "ok"),
        (SCEN, "harmful", "harmful"),
        # multiple choice: a lone id becomes a list; sorted, duplicates dropped
        (MULTI, "a", ["a"]),
        (MULTI, ["c", "a"], ["a", "c"]),
        (MULTI, ["b", "a", "b"], ["a", "b"]),
        (MULTI, ["e", "d", "c", "b", "a"], ["a", "b", "c", "d", "e"]),
        (MULTI_AON, ["d"], ["d"]),
        # true/false: booleans, or the words in any case
        (TF, True, True),
        (TF, False, False),
        (TF, "true", True),
        (TF, "false", False),
        (TF, "True", True),
        (TF, "FALSE", False),
        # numeric: currency symbols, thousands separators and spaces are tolerated
        (NUM, "$2,600", "2600"),
        (NUM, "2,600", "2600"),
        (NUM, " 2600 ", "2600"),
        (NUM, "2600", "2600"),
        (NUM, 2600, "2600"),
        (NUM, 2600.5, "2600.5"),
        (NUM, "2,600.50", "2600.50"),
        (NUM, "€1 250.75", "1250.75"),
        (NUM, "£0.5", "0.5"),
        (NUM, "$ 2,600", "2600"),
        (NUM, "-12", "-12"),
        (NUM, "+12", "12"),
        (NUM, "0", "0"),
        (NUM, 0, "0"),
        (NUM, "2.6e3", "2.6E+3"),
        (NUM, "1" * 16, "1" * 16),
        # text: returned untouched (normalised only when graded), up to the limit
        (SHORT, "  Loyalty  Points ", "  Loyalty  Points "),
        (SHORT, "x" * 500, "x" * 500),
        (WRITTEN, "I rebooked them.\nThen I called back.", "I rebooked them.\nThen I called back."),
        (WRITTEN, "x" * 10_000, "x" * 10_000),
        # ordering: every item exactly once, in the employee's order
        (ORDER, ["thank", "solve", "listen", "greet"], ["thank", "solve", "listen", "greet"]),
        (ORDER, ["greet", "listen", "solve", "thank"], ["greet", "listen", "solve", "thank"]),
        # matching: blank answers dropped, partial answers kept
        (MATCH, {"bronze": "p-coffee", "silver": "p-lounge", "gold": "p-upgrade"},
         {"bronze": "p-coffee", "silver": "p-lounge", "gold": "p-upgrade"}),
        (MATCH, {"bronze": "p-lounge", "silver": ""}, {"bronze": "p-lounge"}),
        (MATCH, {"gold": "p-coffee", "silver": None}, {"gold": "p-coffee"}),
        (MATCH, {"bronze": "p-coffee", "silver": "p-coffee"}, {"bronze": "p-coffee", "silver": "p-coffee"}),
    ],
    ids=lambda value: repr(value)[:30] if not hasattr(value, "kind") else value.id,
)
def test_valid_responses_are_normalised(question, raw, expected):
    cleaned = clean_response(question, raw)
    assert cleaned == expected
    assert type(cleaned) is type(expected)


@pytest.mark.parametrize(
    "question, raw",
    [
        # single choice / scenario: must be one known id, as a string
        (SINGLE, "platinum"),
        (SINGLE, "GOLD"),
        (SINGLE, " gold"),
        (SINGLE, ["gold"]),
        (SINGLE, {"id": "gold"}),
        (SINGLE, 1),
        (SINGLE, True),
        (SCEN, "unknown"),
        (SCEN, "best "),
        (SCEN, ["best"]),
        (SCEN, 3),
        # multiple choice: a list of known ids
        (MULTI, "zzz"),
        (MULTI, ["a", "zzz"]),
        (MULTI, ["a", ""]),
        (MULTI, [1]),
        (MULTI, ["a", None]),
        (MULTI, [["a"]]),
        (MULTI, {"a": True}),
        (MULTI, 5),
        (MULTI, True),
        (MULTI_AON, ["a", "f"]),
        # true/false: nothing but booleans and the two words
        (TF, "yes"),
        (TF, " true"),
        (TF, "1"),
        (TF, 1),
        (TF, 0),
        (TF, ["true"]),
        (TF, {"answer": True}),
        # numeric: not a number
        (NUM, "abc"),
        (NUM, "12abc"),
        (NUM, "$"),
        (NUM, "1.2.3"),
        (NUM, "--5"),
        (NUM, "2600$"),
        (NUM, "twenty"),
        # numeric: not finite
        (NUM, "NaN"),
        (NUM, "nan"),
        (NUM, "sNaN"),
        (NUM, "Infinity"),
        (NUM, "-Infinity"),
        (NUM, "inf"),
        (NUM, float("nan")),
        (NUM, float("inf")),
        (NUM, float("-inf")),
        # numeric: wrong type (bool is an int, but not a number here)
        (NUM, True),
        (NUM, False),
        (NUM, [2600]),
        (NUM, {"value": 2600}),
        # numeric: too long
        (NUM, "1" * 31),
        (NUM, 10**31),
        (NUM, "0." + "0" * 29 + "1"),
        (NUM, "1" * 17),
        (NUM, "1e999999999"),
        # text: wrong type or oversized
        (SHORT, 5),
        (SHORT, True),
        (SHORT, ["points"]),
        (SHORT, {"text": "points"}),
        (SHORT, "x" * 501),
        (WRITTEN, 5),
        (WRITTEN, ["text"]),
        (WRITTEN, {"text": "text"}),
        (WRITTEN, "x" * 10_001),
        # text: characters no database or page can hold (PostgreSQL refuses NUL; a lone surrogate,
        # which JSON's "\ud800" decodes to, cannot be encoded in a page or an export)
        (SHORT, "points\x00"),
        (SHORT, "\ud800"),
        (WRITTEN, "text \udfff text"),
        # ordering: every item exactly once
        (ORDER, ["greet", "listen", "solve"]),  # missing item
        (ORDER, ["greet", "listen", "solve", "thank", "thank"]),  # duplicate on top
        (ORDER, ["greet", "greet", "solve", "thank"]),  # duplicate instead of one
        (ORDER, ["greet", "listen", "solve", "bow"]),  # unknown item
        (ORDER, ["greet", "listen", "solve", "thank", "bow"]),  # unknown item on top
        (ORDER, "greet,listen,solve,thank"),
        (ORDER, {"greet": 1}),
        (ORDER, 4),
        (ORDER, [1, 2, 3, 4]),
        # matching: a dict of known prompts to known answers
        (MATCH, {"platinum": "p-coffee"}),  # unknown prompt
        (MATCH, {"platinum": ""}),  # unknown prompt, even when blank
        (MATCH, {"bronze": "p-spa"}),  # unknown answer
        (MATCH, {"bronze": "p-coffee", "gold": "bronze"}),  # a prompt id is not an answer id
        (MATCH, {"bronze": 5}),
        (MATCH, ["bronze", "p-coffee"]),
        (MATCH, "bronze"),
        (MATCH, 5),
    ],
    ids=lambda value: repr(value)[:30] if not hasattr(value, "kind") else value.id,
)
def test_malformed_responses_raise_naming_the_question(question, raw):
    with pytest.raises(ResponseError, match=rf"\b{re.escape(question.id)}\b"):
        clean_response(question, raw)


def test_response_error_is_a_value_error():
    assert issubclass(ResponseError, ValueError)


def test_response_error_quotes_the_offending_value_shortened():
    with pytest.raises(ResponseError) as caught:
        clean_response(SINGLE, "p" * 100)
    message = str(caught.value)
    assert "p" * 40 in message and "p" * 41 not in message


@pytest.mark.parametrize("question, raw", [(NUM, 0), (NUM, "0"), (TF, False)], ids=["int-0", "str-0", "false"])
def test_falsy_answers_are_still_answers(question, raw):
    assert clean_response(question, raw) is not None
    assert grade(question, clean_response(question, raw)).status != UNANSWERED


# --------------------------------------------------------------------------------------------
# grade: unanswered, for every type
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=ids(ALL_QUESTIONS))
def test_unanswered_scores_nothing_and_shows_the_explanation(question):
    result = grade(question, None)
    assert result == QuestionResult(question.id, Fraction(0), question.max_points, UNANSWERED, (question.explanation,))


def test_unanswered_without_explanation_has_no_feedback():
    bare = dataclasses.replace(SINGLE, explanation="")
    assert grade(bare, None).feedback == ()


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=ids(ALL_QUESTIONS))
def test_results_are_exact_fractions(question):
    result = grade(question, None)
    assert isinstance(result.points, Fraction)
    assert isinstance(result.max_points, Fraction)


# --------------------------------------------------------------------------------------------
# grade: single choice
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, points, status, feedback",
    [
        ("gold", 2, CORRECT, ("Yes, gold.", "Gold starts at 5,000 points.")),
        ("silver", 0, INCORRECT, ("Silver starts at 1,000.", "Gold starts at 5,000 points.")),
        ("bronze", 0, INCORRECT, ("Gold starts at 5,000 points.",)),  # no choice feedback
    ],
)
def test_single_choice(raw, points, status, feedback):
    assert answer(SINGLE, raw) == QuestionResult("q-single", Fraction(points), Fraction(2), status, feedback)


def test_single_choice_fractional_points():
    question = dataclasses.replace(SINGLE, points="0.5")
    assert answer(question, "gold").points == Fraction(1, 2)
    assert answer(question, "gold").max_points == Fraction(1, 2)


# --------------------------------------------------------------------------------------------
# grade: multiple choice — (right picks - wrong picks) / right choices, floored at 0, x points
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "picks, points, status",
    [
        (["a", "b", "c"], 3, CORRECT),  # (3 - 0) / 3
        (["a", "b"], 2, PARTIAL),  # (2 - 0) / 3
        (["a"], 1, PARTIAL),  # (1 - 0) / 3
        (["a", "b", "c", "d"], 2, PARTIAL),  # (3 - 1) / 3
        (["a", "b", "c", "d", "e"], 1, PARTIAL),  # (3 - 2) / 3
        (["a", "b", "d"], 1, PARTIAL),  # (2 - 1) / 3
        (["a", "d"], 0, INCORRECT),  # (1 - 1) / 3
        (["a", "d", "e"], 0, INCORRECT),  # (1 - 2) / 3, floored
        (["d"], 0, INCORRECT),  # (0 - 1) / 3, floored
        (["d", "e"], 0, INCORRECT),  # (0 - 2) / 3, floored
        ("b", 1, PARTIAL),  # a lone id
    ],
)
def test_multiple_choice_partial_credit(picks, points, status):
    result = answer(MULTI, picks)
    assert (result.points, result.max_points, result.status) == (Fraction(points), Fraction(3), status)


@pytest.mark.parametrize(
    "picks, points",
    [(["a"], Fraction(2, 3)), (["a", "b"], Fraction(4, 3)), (["a", "b", "c", "e"], Fraction(4, 3))],
)
def test_multiple_choice_partial_credit_is_exact(picks, points):
    question = dataclasses.replace(MULTI, points="2")
    assert answer(question, picks).points == points


@pytest.mark.parametrize(
    "picks, points, status",
    [
        (["a", "b", "c"], 3, CORRECT),
        (["c", "b", "a", "a"], 3, CORRECT),
        (["a", "b"], 0, INCORRECT),
        (["a"], 0, INCORRECT),
        (["a", "b", "c", "d"], 0, INCORRECT),
        (["d", "e"], 0, INCORRECT),
    ],
)
def test_multiple_choice_all_or_nothing(picks, points, status):
    result = answer(MULTI_AON, picks)
    assert (result.points, result.max_points, result.status) == (Fraction(points), Fraction(3), status)


@pytest.mark.parametrize("question", [MULTI, MULTI_AON], ids=["partial", "all-or-nothing"])
@pytest.mark.parametrize(
    "picks, feedback",
    [
        (["d", "a"], ("fb-a", "fb-d")),  # picked choices' feedback, in choice order
        (["c", "b", "a"], ("fb-a", "fb-c")),
        (["b", "e"], ()),  # picked choices have no feedback
    ],
)
def test_multiple_choice_feedback_then_explanation(question, picks, feedback):
    assert answer(question, picks).feedback == (*feedback, "Recognition, reliability and rewards.")


def test_multiple_choice_without_right_choices_scores_nothing():
    question = MultipleChoice(id="q-none", prompt="p", choices=(Choice("x", "X"), Choice("y", "Y")))
    assert answer(question, ["x"]).points == 0


# --------------------------------------------------------------------------------------------
# grade: true/false
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, points, status, feedback",
    [
        (False, 1, CORRECT, "Right, they expire after 24 months."),
        ("false", 1, CORRECT, "Right, they expire after 24 months."),
        (True, 0, INCORRECT, "They expire after 24 months."),
        ("TRUE", 0, INCORRECT, "They expire after 24 months."),
    ],
)
def test_true_false(raw, points, status, feedback):
    assert answer(TF, raw) == QuestionResult("q-tf", Fraction(points), Fraction(1), status, (feedback, "See the programme rules."))


@pytest.mark.parametrize("raw, points, status", [(True, 1, CORRECT), (False, 0, INCORRECT)])
def test_true_false_when_true_is_right_and_no_feedback(raw, points, status):
    question = TrueFalse(id="q-tf-true", prompt="Members earn points.", answer=True)
    assert answer(question, raw) == QuestionResult("q-tf-true", Fraction(points), Fraction(1), status, ())


# --------------------------------------------------------------------------------------------
# grade: numeric, with tolerance
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, status",
    [
        ("$2,600", CORRECT),
        ("2,600", CORRECT),
        (" 2600 ", CORRECT),
        (2600, CORRECT),
        ("2600.00", CORRECT),
        ("2.6e3", CORRECT),
        ("2650", CORRECT),  # exactly at the tolerance, above
        ("2550", CORRECT),  # exactly at the tolerance, below
        ("$2,650.00", CORRECT),
        ("2650.01", INCORRECT),  # just outside
        ("2549.99", INCORRECT),
        ("2651", INCORRECT),
        ("-2600", INCORRECT),
        ("0", INCORRECT),
    ],
)
def test_numeric_with_tolerance(raw, status):
    result = answer(NUM, raw)
    assert result == QuestionResult("q-num", Fraction(2 if status == CORRECT else 0), Fraction(2), status, ("52 visits x $50.",))


@pytest.mark.parametrize(
    "answer_, tolerance, raw, status",
    [
        ("2600", "0", "2600", CORRECT),
        ("2600", "0", "2600.001", INCORRECT),
        ("0.3", "0", "0.30", CORRECT),
        ("0.3", "0", 0.1 + 0.2, INCORRECT),  # a float is taken at its exact decimal value
        # boundaries where float subtraction would get it wrong: |1.1 - 0.9| is 0.20000000000000007 in floats
        ("1.1", "0.2", "0.9", CORRECT),
        ("1.1", "0.2", "1.3", CORRECT),
        ("0.3", "0.1", "0.2", CORRECT),
        ("0.3", "0.1", "0.4", CORRECT),
        ("0.3", "0.1", "0.4000000001", INCORRECT),
        ("-5", "0.5", "-4.5", CORRECT),
        ("-5", "0.5", "-5.5", CORRECT),
        ("-5", "0.5", "-5.51", INCORRECT),
    ],
)
def test_numeric_exact_boundaries(answer_, tolerance, raw, status):
    question = Numeric(id="q-num-b", prompt="p", answer=answer_, tolerance=tolerance)
    assert answer(question, raw).status == status


# --------------------------------------------------------------------------------------------
# grade: short text, case- and space-insensitive
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, status",
    [
        ("Loyalty Points", CORRECT),
        ("loyalty points", CORRECT),
        ("  LOYALTY   points ", CORRECT),
        ("Loyalty\tPoints\n", CORRECT),
        ("POINTS", CORRECT),
        (" points ", CORRECT),
        ("loyaltypoints", INCORRECT),
        ("point", INCORRECT),
        ("loyalty points!", INCORRECT),
    ],
)
def test_short_text(raw, status):
    assert answer(SHORT, raw) == QuestionResult(
        "q-short", Fraction(1 if status == CORRECT else 0), Fraction(1), status, ("Members collect points.",)
    )


def test_short_text_accepted_answers_are_normalised_too():
    question = ShortText(id="q-short-2", prompt="p", accepted=("  Straße  Nord ",))
    assert answer(question, "STRASSE nord").status == CORRECT  # casefold, not just lower


# --------------------------------------------------------------------------------------------
# grade: ordering, partial credit by pairs in the right relative order
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "order, points, status",
    [
        (["greet", "listen", "solve", "thank"], 6, CORRECT),  # 6 of 6 pairs
        (["listen", "greet", "solve", "thank"], 5, PARTIAL),  # one adjacent swap
        (["greet", "listen", "thank", "solve"], 5, PARTIAL),
        (["greet", "solve", "listen", "thank"], 5, PARTIAL),
        (["thank", "greet", "listen", "solve"], 3, PARTIAL),  # last moved to front
        (["solve", "greet", "thank", "listen"], 3, PARTIAL),  # untouched `shown` order
        (["listen", "greet", "thank", "solve"], 4, PARTIAL),  # two swaps
        (["greet", "thank", "solve", "listen"], 3, PARTIAL),
        (["thank", "solve", "listen", "greet"], 0, INCORRECT),  # reversed
    ],
)
def test_ordering_partial_credit_by_pairs(order, points, status):
    result = answer(ORDER, order)
    assert result == QuestionResult("q-order", Fraction(points), Fraction(6), status, ("Greet, listen, solve, thank.",))


def test_ordering_partial_credit_is_exact():
    question = dataclasses.replace(ORDER, points="1")
    assert answer(question, ["listen", "greet", "solve", "thank"]).points == Fraction(5, 6)


@pytest.mark.parametrize(
    "items, order, status",
    [
        ((Item("a", "A"), Item("b", "B")), ["a", "b"], CORRECT),
        ((Item("a", "A"), Item("b", "B")), ["b", "a"], INCORRECT),
        ((Item("a", "A"),), ["a"], CORRECT),
    ],
)
def test_ordering_short_lists(items, order, status):
    question = Ordering(id="q-order-short", prompt="p", items=items)
    assert answer(question, order).status == status


# --------------------------------------------------------------------------------------------
# grade: matching, partial credit per pair
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pairing, points, status",
    [
        ({"bronze": "p-coffee", "silver": "p-lounge", "gold": "p-upgrade"}, 3, CORRECT),
        ({"bronze": "p-coffee", "silver": "p-upgrade", "gold": "p-lounge"}, 1, PARTIAL),
        ({"bronze": "p-coffee", "silver": "p-lounge", "gold": "p-coffee"}, 2, PARTIAL),
        ({"bronze": "p-lounge", "silver": "p-upgrade", "gold": "p-coffee"}, 0, INCORRECT),
        # partially answered: the unanswered prompts simply score nothing
        ({"bronze": "p-coffee"}, 1, PARTIAL),
        ({"bronze": "p-coffee", "gold": "p-upgrade", "silver": ""}, 2, PARTIAL),
        ({"gold": "p-upgrade", "silver": None}, 1, PARTIAL),
        ({"silver": "p-coffee"}, 0, INCORRECT),
    ],
)
def test_matching_partial_credit_per_pair(pairing, points, status):
    result = answer(MATCH, pairing)
    assert result == QuestionResult("q-match", Fraction(points), Fraction(3), status, ("Perks grow with the tier.",))


def test_matching_partial_credit_is_exact():
    question = dataclasses.replace(MATCH, points="2")
    assert answer(question, {"gold": "p-upgrade"}).points == Fraction(2, 3)


# --------------------------------------------------------------------------------------------
# grade: scenario judgement — points per option, clamped at 0
# --------------------------------------------------------------------------------------------


def test_scenario_is_worth_its_best_option():
    assert SCEN.max_points == Fraction(3)  # not SCEN.points
    assert ScenarioJudgement(id="q-empty", prompt="p").max_points == 0


@pytest.mark.parametrize(
    "raw, points, status, feedback",
    [
        ("best", Fraction(3), CORRECT, "Excellent recovery."),
        ("ok", Fraction(3, 2), PARTIAL, "Fixes it, no more."),
        ("poor", Fraction(0), INCORRECT, "Passes the problem on."),
        ("harmful", Fraction(0), INCORRECT, "Never blame."),  # -2 clamped to 0
    ],
)
def test_scenario_judgement(raw, points, status, feedback):
    assert answer(SCEN, raw) == QuestionResult("q-scen", points, Fraction(3), status, (feedback, "Own the problem."))


def test_scenario_option_without_feedback():
    question = ScenarioJudgement(id="q-scen-2", prompt="p", options=(Option("x", "X", "2"), Option("y", "Y", "1")))
    assert answer(question, "y") == QuestionResult("q-scen-2", Fraction(1), Fraction(2), PARTIAL, ())


# --------------------------------------------------------------------------------------------
# grade: written — needs grading, then a manager's points, clamped to 0..max
# --------------------------------------------------------------------------------------------


def test_written_answer_needs_grading():
    assert answer(WRITTEN, "I rebooked them.") == QuestionResult("q-written", Fraction(0), Fraction(5), NEEDS_GRADING, ())


@pytest.mark.parametrize(
    "manual, points, status",
    [
        (Fraction(5), Fraction(5), CORRECT),
        (Fraction(3), Fraction(3), PARTIAL),
        (Fraction(5, 2), Fraction(5, 2), PARTIAL),
        (Fraction(0), Fraction(0), INCORRECT),
        (Fraction(7), Fraction(5), CORRECT),  # clamped to the maximum
        (Fraction(-1), Fraction(0), INCORRECT),  # clamped to zero
        (4, Fraction(4), PARTIAL),  # a plain int will do
        ("4.5", Fraction(9, 2), PARTIAL),  # so will a decimal string
    ],
)
def test_written_answer_graded(manual, points, status):
    result = answer(WRITTEN, "I rebooked them.", manual_points=manual)
    assert result == QuestionResult("q-written", points, Fraction(5), status, ("A good recovery owns the problem.",))
    assert "Look for ownership and a follow-up." not in result.feedback  # guidance is for the grader only


def test_written_unanswered_is_not_awaiting_grading():
    assert grade(WRITTEN, None).status == UNANSWERED


def test_written_blank_answer_can_still_be_graded():
    assert grade(WRITTEN, None, manual_points=Fraction(1)).points == 1


# --------------------------------------------------------------------------------------------
# attempt_result
# --------------------------------------------------------------------------------------------


def one_point_each(points: str, total: int, right: int) -> list[QuestionResult]:
    """`total` single-choice questions worth `points` each, the first `right` answered correctly."""
    question = dataclasses.replace(SINGLE, points=points)
    return [answer(question, "gold" if i < right else "silver") for i in range(total)]


def test_attempt_totals_mixed_questions_exactly():
    results = [
        answer(SINGLE, "gold"),  # 2 / 2
        answer(MULTI, ["a"]),  # 1 / 3
        answer(ORDER, ["listen", "greet", "solve", "thank"]),  # 5 / 6
        answer(SCEN, "ok"),  # 3/2 / 3
        answer(WRITTEN, "text", manual_points=Fraction(2)),  # 2 / 5
        grade(TF, None),  # 0 / 1
    ]
    result = attempt_result(results, pass_mark=60)
    assert result.score == Fraction(23, 2)
    assert result.max_score == Fraction(20)
    assert result.percentage == Fraction(115, 2)  # 57.5
    assert result.passed is False
    assert result.awaiting_grading is False
    assert all(isinstance(v, Fraction) for v in (result.score, result.max_score, result.percentage))


@pytest.mark.parametrize(
    "points, total, right, pass_mark, percentage, passed",
    [
        # the float sums of these fall just short of the exact percentage
        ("0.1", 10, 7, 70, Fraction(70), True),
        ("0.7", 4, 3, 75, Fraction(75), True),  # 2.1 / 2.8 = 74.99999999999999 in floats
        ("0.7", 10, 3, 30, Fraction(30), True),  # 29.999999999999993 in floats
        ("0.3", 6, 3, 50, Fraction(50), True),  # 49.99999999999999 in floats
        ("0.7", 5, 3, 60, Fraction(60), True),
        ("0.1", 3, 1, 30, Fraction(100, 3), True),
        ("0.1", 3, 1, 34, Fraction(100, 3), False),
        ("0.1", 3, 1, Fraction(100, 3), Fraction(100, 3), True),  # exactly a third
        ("0.1", 3, 3, 100, Fraction(100), True),
        ("0.1", 10, 7, 71, Fraction(70), False),
        ("0.7", 10, 3, Fraction(3001, 100), Fraction(30), False),  # a hair above
        ("2", 3, 2, Fraction(200, 3), Fraction(200, 3), True),
        ("2", 3, 2, 67, Fraction(200, 3), False),
        ("1", 4, 0, 0, Fraction(0), True),  # a pass mark of 0 is always reached
    ],
)
def test_pass_mark_is_reached_exactly(points, total, right, pass_mark, percentage, passed):
    result = attempt_result(one_point_each(points, total, right), pass_mark=pass_mark)
    assert result.max_score == Fraction(points) * total
    assert result.score == Fraction(points) * right
    assert result.percentage == percentage
    assert result.passed is passed


def test_awaiting_grading_leaves_passed_open():
    results = [answer(SINGLE, "gold"), answer(WRITTEN, "I rebooked them.")]
    result = attempt_result(results, pass_mark=10)
    assert result == AttemptResult(Fraction(2), Fraction(7), Fraction(200, 7), None, True)


def test_once_graded_the_attempt_passes_or_fails():
    results = [answer(SINGLE, "gold"), answer(WRITTEN, "I rebooked them.", manual_points=Fraction(5, 2))]
    result = attempt_result(results, pass_mark=60)
    assert result == AttemptResult(Fraction(9, 2), Fraction(7), Fraction(450, 7), True, False)


@pytest.mark.parametrize("status_source", ["unanswered", "partial", "incorrect"])
def test_only_needs_grading_means_awaiting(status_source):
    result = {
        "unanswered": grade(WRITTEN, None),
        "partial": answer(MULTI, ["a"]),
        "incorrect": answer(SINGLE, "silver"),
    }[status_source]
    assert attempt_result([result], pass_mark=50).awaiting_grading is False


@pytest.mark.parametrize("pass_mark, passed", [(0, True), (1, False), (50, False)])
def test_zero_max_score(pass_mark, passed):
    for results in ([], [grade(ScenarioJudgement(id="q-empty", prompt="p"), None)]):
        result = attempt_result(results, pass_mark=pass_mark)
        assert (result.score, result.max_score, result.percentage) == (0, 0, 0)
        assert result.passed is passed
        assert result.awaiting_grading is False


# --------------------------------------------------------------------------------------------
# grade_over_attempts
# --------------------------------------------------------------------------------------------

ATTEMPTS = [Fraction(40), Fraction(90), Fraction(70)]


def test_policies():
    assert POLICIES == (HIGHEST, LATEST, FIRST, AVERAGE)


@pytest.mark.parametrize(
    "policy, percentages, expected",
    [
        (HIGHEST, ATTEMPTS, Fraction(90)),
        (LATEST, ATTEMPTS, Fraction(70)),
        (FIRST, ATTEMPTS, Fraction(40)),
        (AVERAGE, ATTEMPTS, Fraction(200, 3)),  # exact, not 66.666...
        (AVERAGE, [Fraction(100), Fraction(0), Fraction(0)], Fraction(100, 3)),
        (AVERAGE, [Fraction(100, 3), Fraction(200, 3)], Fraction(50)),
        (AVERAGE, [Fraction(1, 10)] * 3, Fraction(1, 10)),
        (HIGHEST, [Fraction(100, 3), Fraction(33)], Fraction(100, 3)),
        (LATEST, [Fraction(90), Fraction(10)], Fraction(10)),
        (FIRST, [Fraction(90), Fraction(10)], Fraction(90)),
    ],
)
def test_grade_over_attempts(policy, percentages, expected):
    grade_ = grade_over_attempts(policy, percentages)
    assert grade_ == expected
    assert isinstance(grade_, Fraction)


@pytest.mark.parametrize("policy", POLICIES)
def test_grade_over_attempts_single_attempt(policy):
    assert grade_over_attempts(policy, [Fraction(55)]) == Fraction(55)


@pytest.mark.parametrize("policy", POLICIES)
def test_grade_over_no_attempts_is_none(policy):
    assert grade_over_attempts(policy, []) is None


@pytest.mark.parametrize("policy", ["best", "HIGHEST", "", "mean"])
def test_unknown_policy_raises(policy):
    with pytest.raises(ValueError, match="policy"):
        grade_over_attempts(policy, ATTEMPTS)


# --------------------------------------------------------------------------------------------
# to_data / question_from_data round trip
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=ids(ALL_QUESTIONS))
def test_round_trip(question):
    data = question.to_data()
    assert data["kind"] == question.kind
    assert question_from_data(data) == question


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=ids(ALL_QUESTIONS))
def test_round_trip_through_json(question):
    rebuilt = question_from_data(json.loads(json.dumps(question.to_data())))
    assert rebuilt == question
    assert type(rebuilt) is type(question)
    assert rebuilt.max_points == question.max_points
    assert rebuilt.public_data() == question.public_data()


@pytest.mark.parametrize(
    "question, raw",
    [
        (SINGLE, "gold"), (MULTI, ["a", "d"]), (MULTI_AON, ["a", "b", "c"]), (TF, "false"), (NUM, "$2,650"),
        (SHORT, " POINTS "), (ORDER, ["listen", "greet", "solve", "thank"]), (MATCH, {"bronze": "p-coffee"}),
        (SCEN, "ok"), (WRITTEN, "text"),
    ],
    ids=lambda value: value.id if hasattr(value, "kind") else "",
)
def test_rebuilt_question_grades_the_same(question, raw):
    rebuilt = question_from_data(json.loads(json.dumps(question.to_data())))
    assert answer(rebuilt, raw) == answer(question, raw)


def test_defaults_survive_a_round_trip():
    for cls in KINDS.values():
        question = cls(id="q-default", prompt="p")
        assert question_from_data(json.loads(json.dumps(question.to_data()))) == question


# --------------------------------------------------------------------------------------------
# public_data: what the browser may see before submitting — never the answer key
# --------------------------------------------------------------------------------------------

MARK = "KEY-MARKER"

LEAKY = [
    SingleChoice(
        id="leak-single",
        prompt="Pick one",
        explanation=f"{MARK} explanation",
        choices=(
            Choice("c-right", "Right text", correct=True, feedback=f"{MARK} right"),
            Choice("c-wrong", "Wrong text", feedback=f"{MARK} wrong"),
        ),
    ),
    MultipleChoice(
        id="leak-multi",
        prompt="Pick some",
        explanation=f"{MARK} explanation",
        all_or_nothing=True,
        choices=(
            Choice("m-right", "First text", correct=True, feedback=f"{MARK} right"),
            Choice("m-also", "Second text", correct=True),
            Choice("m-wrong", "Third text", feedback=f"{MARK} wrong"),
        ),
    ),
    TrueFalse(
        id="leak-tf",
        prompt="Statement",
        answer=False,
        feedback_true=f"{MARK} true",
        feedback_false=f"{MARK} false",
        explanation=f"{MARK} explanation",
    ),
    Numeric(
        id="leak-num",
        prompt="How much?",
        answer="98765.4321",
        tolerance="13579.2468",
        unit="EUR",
        explanation=f"{MARK} explanation",
    ),
    ShortText(
        id="leak-short",
        prompt="Name it",
        accepted=(f"{MARK} one", f"{MARK} two"),
        explanation=f"{MARK} explanation",
    ),
    Ordering(
        id="leak-order",
        prompt="Order them",
        explanation=f"{MARK} explanation",
        items=(Item("i-1", "Step one"), Item("i-2", "Step two"), Item("i-3", "Step three")),
        shown=("i-3", "i-1", "i-2"),
    ),
    Matching(
        id="leak-match",
        prompt="Match them",
        explanation=f"{MARK} explanation",
        pairs=(Pair("pr-1", "Prompt one", "an-1", "Answer one"), Pair("pr-2", "Prompt two", "an-2", "Answer two")),
        shown=("an-2", "an-1"),
    ),
    ScenarioJudgement(
        id="leak-scen",
        prompt="What now?",
        explanation=f"{MARK} explanation",
        situation="A regular complains.",
        options=(
            Option("o-good", "Apologise and fix", points="3", feedback=f"{MARK} good"),
            Option("o-meh", "Apologise", points="1.25", feedback=f"{MARK} meh"),
            Option("o-bad", "Argue", points="-7.75", feedback=f"{MARK} bad"),
        ),
    ),
    Written(
        id="leak-written",
        prompt="Explain",
        explanation=f"{MARK} explanation",
        guidance=f"{MARK} guidance",
    ),
]
LEAK = {question.kind: question for question in LEAKY}


@pytest.mark.parametrize("question", LEAKY, ids=ids(LEAKY))
def test_public_data_carries_no_answer_key(question):
    public = question.public_data()
    text = json.dumps(public)
    assert MARK not in text
    # spec fields that are (part of) the key never appear as keys either
    for key in ("correct", "feedback", "explanation", "accepted", "answer", "tolerance", "guidance",
                "feedback_true", "feedback_false", "answer_id", "all_or_nothing", "shown"):
        assert f'"{key}"' not in text
    assert {"id": question.id, "kind": question.kind, "prompt": question.prompt}.items() <= public.items()
    assert "points" in public


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_public_choices_show_ids_and_texts_only(kind):
    question = LEAK[kind]
    public = question.public_data()
    assert public["choices"] == [{"id": c.id, "text": c.text} for c in question.choices]


def test_public_numeric_shows_the_unit_not_the_answer():
    public = LEAK["numeric"].public_data()
    assert public["unit"] == "EUR"
    text = json.dumps(public)
    assert "98765" not in text and "13579" not in text


def test_public_ordering_items_follow_shown_order():
    public = LEAK["ordering"].public_data()
    assert public["items"] == [
        {"id": "i-3", "text": "Step three"},
        {"id": "i-1", "text": "Step one"},
        {"id": "i-2", "text": "Step two"},
    ]
    assert [item["id"] for item in ORDER.public_data()["items"]] == list(ORDER.shown)


def test_public_matching_prompts_in_order_answers_in_shown_order():
    public = LEAK["matching"].public_data()
    assert public["prompts"] == [{"id": "pr-1", "text": "Prompt one"}, {"id": "pr-2", "text": "Prompt two"}]
    assert public["answers"] == [{"id": "an-2", "text": "Answer two"}, {"id": "an-1", "text": "Answer one"}]
    assert [a["id"] for a in MATCH.public_data()["answers"]] == list(MATCH.shown)


def test_public_scenario_shows_situation_and_options_without_points():
    public = LEAK["scenario"].public_data()
    assert public["situation"] == "A regular complains."
    assert public["options"] == [
        {"id": "o-good", "text": "Apologise and fix"},
        {"id": "o-meh", "text": "Apologise"},
        {"id": "o-bad", "text": "Argue"},
    ]
    assert public["points"] == "3"  # the best option's worth, not which option it is
    text = json.dumps(public)
    assert "1.25" not in text and "7.75" not in text and "5/4" not in text and "31/4" not in text


@pytest.mark.parametrize("kind", ["true_false", "short_text", "written"])
def test_public_text_like_questions_show_only_the_basics(kind):
    assert set(LEAK[kind].public_data()) == {"id", "kind", "prompt", "points"}


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=ids(ALL_QUESTIONS))
def test_public_data_is_json_serialisable(question):
    public = question.public_data()
    assert json.loads(json.dumps(public)) == public


# Regressions found while writing these tests.
ORD2 = Ordering(id="o", prompt="p", items=(Item("a", "A"), Item("b", "B")), shown=("b", "a"))
MATCH1 = Matching(id="m", prompt="p", pairs=(Pair("p1", "P1", "a1", "A1"),), shown=("a1",))


@pytest.mark.parametrize("question, raw", [
    (ORD2, ["a", 1]), (ORD2, ["a", None]), (ORD2, [{"x": 1}, {"y": 2}]),
    (MATCH1, {"p1": ["a1"]}), (MATCH1, {"p1": {"x": 1}}),
])
def test_mixed_types_are_response_errors_not_crashes(question, raw):
    with pytest.raises(ResponseError, match=question.id):
        clean_response(question, raw)


def test_zero_point_question_answered_right_is_correct():
    question = SingleChoice(id="z", prompt="p", points="0", choices=(Choice("a", "A", True), Choice("b", "B")))
    assert grade(question, "a").status == CORRECT and grade(question, "b").status == INCORRECT


def test_scenario_public_points_are_decimal():
    question = ScenarioJudgement(id="s", prompt="p", options=(Option("x", "X", "1.5"), Option("y", "Y", "0")))
    assert question.public_data()["points"] == "1.5"


def test_unknown_policy_raises_even_without_attempts():
    with pytest.raises(ValueError):
        grade_over_attempts("bogus", [])


def test_whitespace_only_text_is_unanswered():
    assert clean_response(ShortText(id="t", prompt="p", accepted=("x",)), "   ") is None


def test_a_question_image_survives_the_snapshot_and_is_public_only_when_set():
    from assessments.scoring import TrueFalse, question_from_data

    pictured = TrueFalse(id="q", prompt="P", answer=True, image="12", image_alt="A card")
    assert question_from_data(pictured.to_data()) == pictured
    assert (pictured.public_data()["image"], pictured.public_data()["image_alt"]) == ("12", "A card")
    assert "image" not in TrueFalse(id="q", prompt="P").public_data()
    legacy = {k: v for k, v in pictured.to_data().items() if k not in ("image", "image_alt")}  # snapshots from before images
    assert question_from_data(legacy).image == ""
