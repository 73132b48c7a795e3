"""Opaque per-attempt tokens: the only ids of a question that the browser ever sees.

Answer-key ids follow patterns anyone can read in the source (block ids, "a<n>" for the right
answer of matching prompt <n>, uuid5 item ids built from the correct position), so they never
leave the server. When an attempt starts, every id of every frozen question (the question's own,
its choices, scenario options, ordering items, matching prompts and matching answers) gets a
token from `secrets`, unique within the attempt and stored with the frozen question; the mapping
back to answer-key ids stays on the server. Tokens carry no information about the key: they are
drawn independently of it and differ between attempts.

- `in_tokens(question, tokens)` is the same spec with every id replaced by its token. It still
  carries the key, so it too stays on the server: only its `public_data()` goes out.
- `answers_from_public(questions, raw)` turns what the browser sent (keyed by question token,
  values made of tokens) into validated answers in answer-key ids; anything unknown raises
  ResponseError naming it in the browser's own terms.
- `response_to_public(question, tokens, value)` goes the other way, to show saved answers again.

A new question type with ids of its own adds its roles to `_roles()`, `in_tokens()` and
`_translate()`; tests/assessments/test_tokens.py shows what each type must satisfy.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from .grading import ResponseError, clean_response
from .questions import Matching, MultipleChoice, Ordering, Question, ScenarioJudgement, SingleChoice


def new_token() -> str:
    """64 random bits as 16 hex digits: no "-" or "_", so names like q-<token>-<token> stay unambiguous."""
    return secrets.token_hex(8)


def _roles(question: Question) -> dict[str, list[str]]:
    """The question's ids that the browser refers to, by role (a role is its own namespace)."""
    match question:
        case SingleChoice() | MultipleChoice():
            return {"choices": [c.id for c in question.choices]}
        case ScenarioJudgement():
            return {"options": [o.id for o in question.options]}
        case Ordering():
            return {"items": [i.id for i in question.items]}
        case Matching():
            return {"prompts": [p.id for p in question.pairs], "answers": list(dict.fromkeys(p.answer_id for p in question.pairs))}
    return {}


def draw_tokens(question: Question, *, taken: set[str], new=new_token) -> dict:
    """Fresh tokens for every id of `question`: {"question": token, role: {id: token}}.

    `taken` holds the tokens already given in this attempt and is updated, so no two ids of an
    attempt share a token (a shared token would link, say, a prompt to its answer).
    """

    def fresh() -> str:
        for _ in range(100):
            token = new()
            if token not in taken:
                taken.add(token)
                return token
        raise RuntimeError("the token source keeps repeating itself")

    return {"question": fresh(), **{role: {id_: fresh() for id_ in ids} for role, ids in _roles(question).items()}}


def in_tokens(question: Question, tokens: dict) -> Question:
    """The same spec with every id (and every `shown` order) in tokens; answer key included."""
    changes: dict = {"id": tokens["question"]}
    match question:
        case SingleChoice() | MultipleChoice():
            changes["choices"] = tuple(replace(c, id=tokens["choices"][c.id]) for c in question.choices)
        case ScenarioJudgement():
            changes["options"] = tuple(replace(o, id=tokens["options"][o.id]) for o in question.options)
        case Ordering():
            changes["items"] = tuple(replace(i, id=tokens["items"][i.id]) for i in question.items)
            changes["shown"] = tuple(tokens["items"][i] for i in question.shown)
        case Matching():
            prompts, answers = tokens["prompts"], tokens["answers"]
            changes["pairs"] = tuple(replace(p, id=prompts[p.id], answer_id=answers[p.answer_id]) for p in question.pairs)
            changes["shown"] = tuple(answers[a] for a in question.shown)
    return replace(question, **changes)


def _translate(question: Question, mapping: dict, value):
    """Map a cleaned response's ids through `mapping` (tokens one way or their inverse the other)."""
    if value is None:
        return None
    match question:
        case SingleChoice():
            return mapping["choices"][value]
        case ScenarioJudgement():
            return mapping["options"][value]
        case MultipleChoice():
            return sorted(mapping["choices"][v] for v in value)  # as clean_response leaves it
        case Ordering():
            return [mapping["items"][v] for v in value]
        case Matching():
            return {mapping["prompts"][p]: mapping["answers"][a] for p, a in value.items()}
    return value


def _inverse(tokens: dict) -> dict:
    return {role: {token: id_ for id_, token in ids.items()} for role, ids in tokens.items() if role != "question"}


def response_to_public(question: Question, tokens: dict, value):
    """A saved response (answer-key ids, as cleaned) in the attempt's tokens, to show it again."""
    return _translate(question, tokens, value)


def response_from_public(question: Question, tokens: dict, raw, *, label: str | None = None):
    """A raw response in tokens -> the cleaned response in answer-key ids. Validation runs on the
    tokened spec, so a ResponseError names only what the browser knows: the question by `label`
    (its number on the page) or its token, choices by token; it carries the question's token."""
    shown = in_tokens(question, tokens)
    try:
        cleaned = clean_response(replace(shown, id=label) if label else shown, raw)
    except ResponseError as problem:
        raise ResponseError(str(problem), question=tokens["question"]) from None
    return _translate(question, _inverse(tokens), cleaned)


def answers_from_public(questions, raw) -> dict:
    """{question token: raw response in tokens} -> {question id: cleaned response in key ids}.

    `questions` holds an attempt's (spec, tokens) pairs, in order. Raises ResponseError naming the
    first problem: an unknown question token, an unknown choice, item, prompt or answer token, bad
    shape; a question is named by its number in the attempt, as the employee sees it.
    """
    if not isinstance(raw, dict):
        raise ResponseError("Answers must map question ids to responses.")
    by_token = {tokens["question"]: (number, question, tokens) for number, (question, tokens) in enumerate(questions, 1)}
    answers = {}
    for key, value in raw.items():
        found = by_token.get(key)
        if found is None:
            raise ResponseError(f"“{str(key)[:40]}” is not a question of this attempt.")
        number, question, tokens = found
        answers[question.id] = response_from_public(question, tokens, value, label=str(number))
    return answers


__all__ = ["answers_from_public", "draw_tokens", "in_tokens", "new_token", "response_from_public", "response_to_public"]
