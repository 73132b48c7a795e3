"""Per-attempt tokens (assessments.scoring.tokens): pure Python, no database.

What the browser sees of a question is `in_tokens(spec, tokens).public_data()`; what it sends back
goes through `answers_from_public`. Every question type must: give every id a token, show the
same page shape as before with no answer-key id in it, and round-trip any response exactly.
"""

import itertools
import json
import re

import pytest

from assessments.scoring import (
    KINDS,
    ResponseError,
    answers_from_public,
    clean_response,
    draw_tokens,
    grade,
    in_tokens,
    response_from_public,
    response_to_public,
)
from assessments.scoring.tokens import new_token

from .test_scoring import MATCH, MULTI, NUM, ORDER, SCEN, SHORT, SINGLE, TF, WRITTEN

SPECS = [SINGLE, MULTI, TF, NUM, SHORT, ORDER, MATCH, SCEN, WRITTEN]

# Full-marks responses in answer-key ids (and one other response each, to round-trip too).
RIGHT = {
    SINGLE.id: "gold",
    MULTI.id: ["a", "b", "c"],
    TF.id: False,
    NUM.id: "2600",
    SHORT.id: "points",
    ORDER.id: ["greet", "listen", "solve", "thank"],
    MATCH.id: {"bronze": "p-coffee", "silver": "p-lounge", "gold": "p-upgrade"},
    SCEN.id: "best",
    WRITTEN.id: "Because they come back.",
}
OTHER = {
    SINGLE.id: "silver",
    MULTI.id: ["d"],
    TF.id: True,
    NUM.id: "12",
    SHORT.id: "stamps",
    ORDER.id: ["thank", "solve", "listen", "greet"],
    MATCH.id: {"gold": "p-coffee"},
    SCEN.id: "harmful",
    WRITTEN.id: "",
}


def key_ids(spec) -> set[str]:
    """Every id of the spec the browser could refer to (what tokens replace)."""
    ids = {spec.id}
    for name in ("choices", "options", "items"):
        ids |= {x.id for x in getattr(spec, name, ())}
    for pair in getattr(spec, "pairs", ()):
        ids |= {pair.id, pair.answer_id}
    return ids


def attempt_tokens():
    taken = set()
    return [(spec, draw_tokens(spec, taken=taken)) for spec in SPECS]


def test_the_specs_cover_every_type():
    assert {spec.kind for spec in SPECS} == set(KINDS)


def test_every_id_gets_a_fresh_token_unique_within_the_attempt():
    questions = attempt_tokens()
    everything = []
    for spec, tokens in questions:
        mapped = {tokens["question"]} | {t for role, ids in tokens.items() if role != "question" for t in ids.values()}
        real = {spec.id} | {i for role, ids in tokens.items() if role != "question" for i in ids}
        assert real == key_ids(spec)
        everything += [tokens["question"]] + [t for role, ids in tokens.items() if role != "question" for t in ids.values()]
        assert len(mapped) == len(real) or spec.kind == "matching"  # matching: prompts and answers are two namespaces
    assert len(everything) == len(set(everything)), "a token is shared within the attempt"
    assert all(re.fullmatch(r"[0-9a-f]{16}", token) for token in everything)
    second = {token for _, tokens in attempt_tokens() for token in json.dumps(tokens).split('"') if re.fullmatch(r"[0-9a-f]{16}", token)}
    assert not second & set(everything), "two attempts share a token"


def test_a_repeating_token_source_is_retried_not_shared():
    source = itertools.cycle(["aaaa", "aaaa", "bbbb", "cccc", "dddd", "eeee"])
    taken = set()
    tokens = draw_tokens(SINGLE, taken=taken, new=lambda: next(source))
    assert tokens == {"question": "aaaa", "choices": {"silver": "bbbb", "gold": "cccc", "bronze": "dddd"}}
    with pytest.raises(RuntimeError):
        draw_tokens(SINGLE, taken={"x"}, new=lambda: "x")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
def test_public_view_has_the_same_shape_and_no_key_id(spec):
    tokens = draw_tokens(spec, taken=set())
    plain, public = spec.public_data(), in_tokens(spec, tokens).public_data()
    assert public.keys() == plain.keys()
    assert public["id"] == tokens["question"]
    for name in ("choices", "options", "items", "prompts", "answers"):
        if name in plain:  # same texts in the same order: templates and quiz.js need no change
            assert [x["text"] for x in public[name]] == [x["text"] for x in plain[name]]
    text = json.dumps(public)
    leaked = [i for i in key_ids(spec) if f'"{i}"' in text]
    assert not leaked


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind)
@pytest.mark.parametrize("answers", [RIGHT, OTHER], ids=["right", "other"])
def test_any_response_round_trips_through_tokens(spec, answers):
    tokens = draw_tokens(spec, taken=set())
    real = clean_response(spec, answers[spec.id])
    public = response_to_public(spec, tokens, real)
    if real is not None and spec.kind in ("single_choice", "multiple_choice", "ordering", "matching", "scenario"):
        assert not set(json.dumps(public).split('"')) & key_ids(spec), "the saved answer is shown in key ids"
    back = response_from_public(spec, tokens, public)
    assert back == real
    assert grade(spec, back) == grade(spec, real)


def test_answers_from_public_keys_by_real_question_id():
    questions = attempt_tokens()
    sent = {tokens["question"]: response_to_public(spec, tokens, clean_response(spec, RIGHT[spec.id])) for spec, tokens in questions}
    answers = answers_from_public(questions, sent)
    assert answers == {spec.id: clean_response(spec, RIGHT[spec.id]) for spec in SPECS}
    assert all(grade(spec, answers[spec.id]).points == spec.max_points for spec in SPECS if spec.kind != "written")


@pytest.mark.parametrize(
    "make_raw, message",
    [
        (lambda q: [], "Answers must map"),
        (lambda q: {SINGLE.id: "gold"}, "is not a question of this attempt"),  # a real question id
        (lambda q: {"nope": "gold"}, "is not a question of this attempt"),
        (lambda q: {q[SINGLE.id]["question"]: "gold"}, "is not one of its choices"),  # a real choice id
        (lambda q: {q[MULTI.id]["question"]: [q[MULTI.id]["choices"]["a"], "b"]}, "is not one of its choices"),
        (lambda q: {q[ORDER.id]["question"]: ["greet", "listen", "solve", "thank"]}, "expected every item exactly once"),
        (lambda q: {q[MATCH.id]["question"]: {"bronze": q[MATCH.id]["answers"]["p-coffee"]}}, "is not one of its prompts"),
        (lambda q: {q[MATCH.id]["question"]: {q[MATCH.id]["prompts"]["bronze"]: "p-coffee"}}, "is not one of its answers"),
        (lambda q: {q[MATCH.id]["question"]: {q[MATCH.id]["prompts"]["bronze"]: q[MATCH.id]["prompts"]["gold"]}}, "is not one of its answers"),
        (lambda q: {q[SCEN.id]["question"]: q[SINGLE.id]["choices"]["gold"]}, "is not one of its choices"),  # another question's token
    ],
)
def test_unknown_tokens_are_refused_naming_only_what_the_browser_knows(make_raw, message):
    questions = attempt_tokens()
    raw = make_raw({spec.id: tokens for spec, tokens in questions})
    with pytest.raises(ResponseError, match=message) as refused:
        answers_from_public(questions, raw)
    question_ids = {spec.id for spec in SPECS}
    named = set(re.findall(r"Question (\S+):", str(refused.value)))
    assert not named & question_ids, "the message names a real question id"


def test_new_tokens_are_hex_and_random():
    drawn = {new_token() for _ in range(1000)}
    assert len(drawn) == 1000 and all(re.fullmatch(r"[0-9a-f]{16}", t) for t in drawn)
