"""Nothing the browser sees of an attempt (ids, order, names, values) lets anyone infer the key.

The marker test in test_views.py checks that no part of the key is *in* a page. These tests check
that nothing *about* the page points at it: they read only the attempt's HTML and JSON responses,
as a cheating employee would, and play id-, order-, name- and value-based strategies over many
attempts. With per-attempt tokens from `secrets` and uniform shuffles, each strategy's picks are
independent of the key, so its number of full-mark answers over N attempts is Binomial(N, chance);
a strategy that could read the key would sit far above that.
"""

import json
import math
import re
from difflib import SequenceMatcher

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from assessments import scoring
from assessments.models import Attempt
from assessments.attempts.services import attempt_answers_from_public, attempt_tokened, decimal_points
from training.demo_activity import full_marks_response

from .conftest import every_type

pytestmark = [pytest.mark.django_db, pytest.mark.once]  # about the page, not the database

TOKEN = re.compile(r"[0-9a-f]{16}")
ATTEMPTS = 100

# Chance of full marks for a pick made without knowing the key, with every_type()'s shapes and
# shuffling on: one of 3 choices or scenario options; the right 2 of 3 choices; one of 3! orders;
# one of the 2 bijections of 2 prompts onto 2 answers (a pick that is not a bijection does worse).
CHANCE = {"single_choice": 1 / 3, "scenario": 1 / 3, "multiple_choice": 1 / 3, "ordering": 1 / 6, "matching": 1 / 2}
PICKS = {"single_choice": 1, "scenario": 1, "multiple_choice": 2}  # how many options a strategy ticks


def binomial_tail(n: int, p: float, k: int) -> float:
    """P(Binomial(n, p) >= k), exactly (up to float rounding)."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


def bound(n: int, p: float, alpha: float = 1e-9) -> int:
    """The smallest count a key-blind strategy reaches with probability at most `alpha`.

    25 strategy x type checks run, so the whole test fails by bad luck with probability under
    2.5e-8. For N = 100 the bounds are 64 of 100 at chance 1/3 (mean 33), 43 at 1/6 (mean 17) and
    80 at 1/2 (mean 50): a strategy that read the key would score 100, and one right 80% of the
    time where chance is 1/3 would be caught too.
    """
    return next(k for k in range(n + 2) if binomial_tail(n, p, k) <= alpha)


# --- what the page shows ------------------------------------------------------------------------


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def page_questions(page: BeautifulSoup) -> dict[str, dict]:
    """Each question on the attempt page, by kind, as the HTML shows it and nothing more."""
    shown = {}
    for fieldset in page.select("fieldset[data-question]"):
        token = fieldset["data-question"]
        prefix = f"q-{token}-"
        shown[fieldset["data-kind"]] = {
            "token": token,
            "values": [i["value"] for i in fieldset.select("input[type=radio], input[type=checkbox]")],
            "items": [li["data-item"] for li in fieldset.select("[data-item]")],
            # matching: prompt token (from the select's name) -> offered answer tokens, in page order
            "prompts": {s["name"].removeprefix(prefix): [o["value"] for o in s.select("option") if o["value"]] for s in fieldset.select("select")},
        }
    return shown


def ids_in(page: BeautifulSoup) -> set[str]:
    """Every id-like string in the form: names and ids split on "-", values, data attributes."""
    found = set()
    for tag in page.select("#attempt-form, #attempt-form *"):
        for name, value in tag.attrs.items():
            if name in ("name", "id", "for", "value") or name.startswith("data-"):
                found |= set(str(value).split("-")) if name in ("name", "id", "for") else {str(value)}
    return found


def form_state(page: BeautifulSoup) -> dict[str, list[str]]:
    """What the attempt form would post as it stands (checked, selected and typed values)."""
    state: dict[str, list[str]] = {}
    form = page.select_one("#attempt-form")
    for field in form.select("input[name], select[name], textarea[name]"):
        if field.name == "select":
            chosen = field.select_one("option[selected]")
            value = chosen["value"] if chosen else ""
        elif field.name == "textarea":
            value = field.text
        elif field.get("type") in ("radio", "checkbox"):
            if not field.has_attr("checked"):
                continue
            value = field["value"]
        elif field.get("type") in ("submit", "hidden") and field["name"] != "csrfmiddlewaretoken":
            continue
        else:
            value = field.get("value", "")
        state.setdefault(field["name"], []).append(value)
    return state


# --- strategies: each ranks what the page offers without any knowledge of the key -----------------


def closeness(a: str, b: str) -> int:
    """Length of the longest common substring: catches equal ids, prefixes and ids built from ids
    (a matching answer id "a<prompt id>" was the leak this test was written for)."""
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match().size


STRATEGIES = {
    "first shown": lambda values, anchor: list(values),
    "last shown": lambda values, anchor: list(reversed(values)),
    "smallest id": lambda values, anchor: sorted(values),
    "largest id": lambda values, anchor: sorted(values, reverse=True),
    "id nearest the question's (or prompt's)": lambda values, anchor: sorted(values, key=lambda v: -closeness(v, anchor)),
}


def play(strategy, question: dict, kind: str):
    """The strategy's answer to one question, as the page's JSON autosave would send it."""
    rank = STRATEGIES[strategy]
    if kind in PICKS:
        picked = rank(question["values"], question["token"])[: PICKS[kind]]
        return picked if kind == "multiple_choice" else picked[0]
    if kind == "ordering":
        return rank(question["items"], question["token"])
    if kind == "matching":
        if strategy.startswith("id nearest"):  # each prompt takes the answer nearest its own id
            return {p: rank(offered, p)[0] for p, offered in question["prompts"].items()}
        offered = next(iter(question["prompts"].values()))
        return dict(zip(question["prompts"], rank(offered, question["token"])))  # i-th prompt -> i-th ranked answer
    raise AssertionError(kind)


# --- the test -----------------------------------------------------------------------------------


def full_marks(attempt, sent: dict) -> dict[str, bool]:
    """Which questions (by kind) the answers sent in tokens would get full marks for; the same
    translation the views make, then the scoring core."""
    answers = attempt_answers_from_public(attempt, sent)
    return {
        spec.kind: scoring.grade(spec, answers[spec.id]).points == spec.max_points
        for spec, _ in attempt_tokened(attempt)
        if spec.id in answers
    }


def test_no_strategy_reading_only_the_page_beats_chance(employee_client, make_quiz):
    quiz = make_quiz(every_type(), shuffle_questions=True, shuffle_choices=True, attempts_allowed=0)
    wins = {(strategy, kind): 0 for strategy in STRATEGIES for kind in CHANCE}
    oracle = dict.fromkeys(CHANCE, 0)
    seen_before: set[str] = set()
    for n in range(ATTEMPTS):
        assert employee_client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302
        attempt = Attempt.objects.get(quiz=quiz, state=Attempt.State.IN_PROGRESS)
        take = reverse("attempt_take", args=[attempt.pk])
        page = soup(employee_client.get(take))
        shown = page_questions(page)
        assert set(CHANCE) <= set(shown)

        # Tokens: nothing of the key's ids, nothing shared with any earlier attempt.
        seen = ids_in(page)
        key_ids = {key_id for spec, tokens in attempt_tokened(attempt) for key_id in _key_ids(spec)}
        assert not seen & key_ids, "an answer-key id reaches the page"
        tokens = {s for s in seen if TOKEN.fullmatch(s)}
        assert tokens >= {q["token"] for q in shown.values()}
        assert not tokens & seen_before, "a token repeats across attempts"
        seen_before |= tokens

        plays = {s: {q["token"]: play(s, q, kind) for kind, q in shown.items() if kind in CHANCE} for s in STRATEGIES}
        for strategy, sent in plays.items():
            for kind, won in full_marks(attempt, sent).items():
                wins[strategy, kind] += won
        # The harness can see a leak: answers built from the key score full marks every time.
        cheat = {spec.kind: full_marks_response(data) for (spec, _), data in zip(attempt_tokened(attempt), attempt.questions)}
        known = {tokens_["question"]: scoring.response_to_public(spec, tokens_, cheat[spec.kind])
                 for spec, tokens_ in attempt_tokened(attempt) if spec.kind in CHANCE}
        for kind, won in full_marks(attempt, known).items():
            oracle[kind] += won

        # One strategy's answers go the real way each time: autosaved as JSON (whose reply shows
        # nothing new), shown again on the reloaded page, and submitted with the page's form as a
        # browser without JavaScript would; the stored score agrees with the count above.
        strategy = list(STRATEGIES)[n % len(STRATEGIES)]
        saved = employee_client.post(reverse("attempt_autosave", args=[attempt.pk]), json.dumps({"answers": plays[strategy]}), content_type="application/json")
        assert saved.status_code == 200
        assert {s for s in re.findall(r"[0-9a-f]{16}", saved.content.decode())} <= tokens
        assert employee_client.post(take, form_state(soup(employee_client.get(take))) | {"action": "submit"}).status_code == 302
        points = {r.question_id: r.points for r in attempt.responses.all()}
        expected = full_marks(attempt, plays[strategy])
        for spec, _ in attempt_tokened(attempt):
            if spec.kind in CHANCE:
                assert (points[spec.id] == decimal_points(spec.max_points)) is expected[spec.kind]

    for kind, p in CHANCE.items():
        limit = bound(ATTEMPTS, p)
        assert oracle[kind] == ATTEMPTS >= limit, f"the harness could not tell a leak on {kind}"
        for strategy in STRATEGIES:
            assert wins[strategy, kind] < limit, (
                f"“{strategy}” scored full marks on {kind} {wins[strategy, kind]} times in {ATTEMPTS} "
                f"(chance: {p * ATTEMPTS:.0f}, bound {limit})"
            )


def _key_ids(spec) -> set[str]:
    ids = {spec.id}
    for name in ("choices", "options", "items"):
        ids |= {x.id for x in getattr(spec, name, ())}
    for pair in getattr(spec, "pairs", ()):
        ids |= {pair.id, pair.answer_id}
    return ids


def test_bounds_are_what_the_comment_says():
    assert (bound(100, 1 / 3), bound(100, 1 / 6), bound(100, 1 / 2)) == (64, 43, 80)


def test_questions_without_ids_to_pick_look_the_same_whatever_their_key(employee_client, make_quiz):
    """True/false, numeric, short text and written questions offer no ids to pick from; their
    markup, tokens aside, is the same for two different keys, so it cannot tell either."""
    other = {"true_false": {"answer": True}, "numeric": {"answer": "12", "tolerance": "3"}, "short_text": {"accepted": ["stamps"]}}
    flipped = [(kind, {**value, **other.get(kind, {})}) for kind, value in every_type(mark="OTHERKEY")]
    markup = []
    for questions in (every_type(), flipped):
        quiz = make_quiz(questions)
        assert employee_client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302
        attempt = Attempt.objects.get(quiz=quiz, state=Attempt.State.IN_PROGRESS)
        page = soup(employee_client.get(reverse("attempt_take", args=[attempt.pk])))
        markup.append({
            fieldset["data-kind"]: TOKEN.sub("T", str(fieldset))
            for fieldset in page.select("fieldset[data-question]")
            if fieldset["data-kind"] in ("true_false", "numeric", "short_text", "written")
        })
    assert len(markup[0]) == 4 and markup[0] == markup[1]
