"""The newest answer wins, whatever order its requests arrive in (issue 10 §1).

Each answer carries a revision (when the employee changed it, in ms, made monotonic per question
by the page); the service keeps the highest. These run on SQLite and on PostgreSQL
(`.ci/with-postgres`).
"""

import json
import random
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, Response
from assessments.scoring import ResponseError
from assessments.attempts.services import (
    MAX_REVISION,
    AttemptClosed,
    attempt_public_answers,
    attempt_of,
    attempt_public_ids,
    attempt_save,
    attempt_start,
    attempt_submit,
)
from tests.conftest import in_real_transactions

from .conftest import choice_id, choice_token, qtoken, single

pytestmark = pytest.mark.django_db

T = 1_800_000_000_000  # a moment in ms, as a page's Date.now() gives it


@pytest.fixture
def attempt(employee, make_quiz):
    quiz = make_quiz([single("A"), single("B"), ("multiple_choice", {"prompt": "M", "points": "3", "choices": [
        {"text": "X", "correct": True}, {"text": "Y", "correct": True}, {"text": "Z", "correct": True}]})])
    return attempt_start(employee=employee, quiz=quiz)


def qid(attempt, index):
    return attempt.questions[index]["id"]


def stored(attempt):
    return {r.question_id: (r.value, r.revision) for r in Response.objects.filter(attempt=attempt)}


def test_an_older_write_arriving_later_is_ignored_and_reported(attempt):
    q = qid(attempt, 0)
    right, wrong = choice_id(attempt, 0, "Right"), choice_id(attempt, 0, "Wrong")
    newer = attempt_save(attempt=attempt, answers={q: right}, revisions={q: T + 2})
    assert (newer.saved, newer.stale) == ({q: T + 2}, {})
    late = attempt_save(attempt=attempt, answers={q: wrong}, revisions={q: T + 1})
    assert (late.saved, late.stale) == ({}, {q: T + 2})
    assert stored(attempt) == {q: (right, T + 2)}


def test_in_order_writes_each_win(attempt):
    q = qid(attempt, 0)
    attempt_save(attempt=attempt, answers={q: choice_id(attempt, 0, "Wrong")}, revisions={q: T + 1})
    result = attempt_save(attempt=attempt, answers={q: choice_id(attempt, 0, "Right")}, revisions={q: T + 2})
    assert (result.saved, result.stale) == ({q: T + 2}, {})
    assert stored(attempt) == {q: (choice_id(attempt, 0, "Right"), T + 2)}


def test_the_same_revision_again_changes_nothing_and_counts_as_saved(attempt):
    """A retried autosave, or the autosave of an answer the form post already stored."""
    q = qid(attempt, 0)
    right = choice_id(attempt, 0, "Right")
    attempt_save(attempt=attempt, answers={q: right}, revisions={q: T})
    saved_at = Response.objects.get().saved_at
    again = attempt_save(attempt=attempt, answers={q: right}, revisions={q: T})
    assert (again.saved, again.stale) == ({q: T}, {})
    assert Response.objects.get().saved_at == saved_at


def test_one_save_can_be_partly_newer_and_partly_stale(attempt):
    """The multiple-choice case of the issue: [X, Y] overtakes [X, Y, Z] and must lose."""
    a, m = qid(attempt, 0), qid(attempt, 2)
    x, y, z = (choice_id(attempt, 2, t) for t in "XYZ")
    attempt_save(attempt=attempt, answers={m: [x, y, z]}, revisions={m: T + 3})
    result = attempt_save(attempt=attempt, answers={a: choice_id(attempt, 0, "Right"), m: [x, y]}, revisions={a: T + 1, m: T + 2})
    assert (result.saved, result.stale) == ({a: T + 1}, {m: T + 3})
    assert stored(attempt)[m] == (sorted([x, y, z]), T + 3)
    submitted = attempt_submit(attempt=attempt)
    assert (submitted.score, submitted.max_score) == (Decimal("4.00"), Decimal("5.00"))  # B unanswered


def test_an_unchanged_unanswered_question_never_overwrites_an_answer_from_elsewhere(attempt):
    """A page sends the revision it was shown (0 = unanswered) with answers it did not change."""
    q = qid(attempt, 1)
    attempt_save(attempt=attempt, answers={q: choice_id(attempt, 1, "Right")}, revisions={q: T})
    result = attempt_save(attempt=attempt, answers={q: None}, revisions={q: 0})
    assert result.stale == {q: T}
    assert stored(attempt) == {q: (choice_id(attempt, 1, "Right"), T)}


def test_the_answered_count_covers_written_stale_repeated_cleared_and_untouched_answers(attempt):
    """One save whose answers meet every case: the count is of the answers stored afterwards."""
    a, b, m = qid(attempt, 0), qid(attempt, 1), qid(attempt, 2)
    x = choice_id(attempt, 2, "X")
    attempt_save(attempt=attempt, answers={a: choice_id(attempt, 0, "Right"), b: choice_id(attempt, 1, "Right")},
                 revisions={a: T + 5, b: T + 1})
    # A stale clearing of A (it stays answered), B cleared by a newer change, M answered anew.
    result = attempt_save(attempt=attempt, answers={a: None, b: None, m: [x]}, revisions={a: T + 4, b: T + 2, m: T})
    assert (result.saved, result.stale, result.answered) == ({b: T + 2, m: T}, {a: T + 5}, 2)
    assert stored(attempt) == {a: (choice_id(attempt, 0, "Right"), T + 5), b: (None, T + 2), m: ([x], T)}
    # B sent again unchanged (same revision): saved, nothing written, A and M untouched and counted.
    again = attempt_save(attempt=attempt, answers={b: None}, revisions={b: T + 2})
    assert (again.saved, again.stale, again.answered) == ({b: T + 2}, {}, 2)
    # No answers at all: nothing written, the count still right.
    assert attempt_save(attempt=attempt, answers={}).answered == 2


def test_one_save_can_mix_answers_with_and_without_revisions(attempt):
    """An answer without a revision beats what is stored; its neighbour with an old revision
    still loses, in the same statement."""
    a, b = qid(attempt, 0), qid(attempt, 1)
    now = timezone.now()
    now_ms = int(now.timestamp() * 1000)
    attempt_save(attempt=attempt, answers={a: choice_id(attempt, 0, "Wrong"), b: choice_id(attempt, 1, "Right")},
                 revisions={a: now_ms + 60_000, b: T + 9})
    result = attempt_save(attempt=attempt, answers={a: choice_id(attempt, 0, "Right"), b: choice_id(attempt, 1, "Wrong")},
                          revisions={b: T + 8}, now=now)
    assert (result.saved, result.stale, result.answered) == ({a: now_ms + 60_001}, {b: T + 9}, 2)
    assert stored(attempt) == {a: (choice_id(attempt, 0, "Right"), now_ms + 60_001), b: (choice_id(attempt, 1, "Right"), T + 9)}


def test_two_tabs_of_one_attempt_the_later_change_wins(attempt):
    """Both tabs number changes by the same clock: tab one's earlier change arriving after tab
    two's later one loses; tab one's next change (numbered above what it has seen) wins."""
    q = qid(attempt, 0)
    right, wrong = choice_id(attempt, 0, "Right"), choice_id(attempt, 0, "Wrong")
    # Tab one changes at T + 100 (its request is slow); tab two changes at T + 200 and lands first.
    attempt_save(attempt=attempt, answers={q: right}, revisions={q: T + 200})
    assert attempt_save(attempt=attempt, answers={q: wrong}, revisions={q: T + 100}).stale == {q: T + 200}
    assert stored(attempt)[q] == (right, T + 200)
    # Tab one is told; the employee changes it again there, later.
    assert attempt_save(attempt=attempt, answers={q: wrong}, revisions={q: T + 300}).saved == {q: T + 300}
    # Tab two posts its form with the revision of its last change: older now, ignored.
    assert attempt_save(attempt=attempt, answers={q: right}, revisions={q: T + 200}).stale == {q: T + 300}
    assert stored(attempt)[q] == (wrong, T + 300)


def test_a_write_without_revision_is_dated_by_the_server_and_beats_what_is_stored(attempt):
    q = qid(attempt, 0)
    right, wrong = choice_id(attempt, 0, "Right"), choice_id(attempt, 0, "Wrong")
    now = timezone.now()
    now_ms = int(now.timestamp() * 1000)
    assert attempt_save(attempt=attempt, answers={q: wrong}, now=now).saved == {q: now_ms}
    # A page whose changes were numbered ahead of the server's clock: the next post still wins.
    attempt_save(attempt=attempt, answers={q: wrong}, revisions={q: now_ms + 60_000})
    assert attempt_save(attempt=attempt, answers={q: right}, now=now).saved == {q: now_ms + 60_001}
    # An autosave of a change made before that post, arriving after it, loses.
    assert attempt_save(attempt=attempt, answers={q: wrong}, revisions={q: now_ms + 5}).stale == {q: now_ms + 60_001}
    assert stored(attempt)[q] == (right, now_ms + 60_001)


def test_submit_scores_the_newest_answers_whatever_reached_the_server_first(attempt):
    """The autosave of an older answer lands before the submit: the submit's newer answer wins.
    The autosave of a newer answer lands before the submit: it is scored, the submit's older one
    is ignored."""
    a, b = qid(attempt, 0), qid(attempt, 1)
    attempt_save(attempt=attempt, answers={a: choice_id(attempt, 0, "Wrong")}, revisions={a: T + 1})
    attempt_save(attempt=attempt, answers={b: choice_id(attempt, 1, "Right")}, revisions={b: T + 5})
    result = attempt_submit(
        attempt=attempt,
        answers={a: choice_id(attempt, 0, "Right"), b: choice_id(attempt, 1, "Wrong")},
        revisions={a: T + 2, b: T + 4},
    )
    assert stored(attempt) == {a: (choice_id(attempt, 0, "Right"), T + 2), b: (choice_id(attempt, 1, "Right"), T + 5)}
    assert (result.state, result.score, result.max_score) == (Attempt.State.SUBMITTED, Decimal("2.00"), Decimal("5.00"))


def test_an_autosave_arriving_after_the_submit_is_refused_and_changes_nothing(attempt):
    a = qid(attempt, 0)
    submitted = attempt_submit(attempt=attempt, answers={a: choice_id(attempt, 0, "Right")}, revisions={a: T + 2})
    with pytest.raises(AttemptClosed, match="already been submitted"):
        attempt_save(attempt=attempt, answers={a: choice_id(attempt, 0, "Wrong")}, revisions={a: T + 1})
    with pytest.raises(AttemptClosed):  # even a newer one: the attempt is closed
        attempt_save(attempt=attempt, answers={a: choice_id(attempt, 0, "Wrong")}, revisions={a: T + 3})
    assert stored(attempt) == {a: (choice_id(attempt, 0, "Right"), T + 2)}
    again = Attempt.objects.get(pk=attempt.pk)
    assert (again.score, again.submitted_at) == (submitted.score, submitted.submitted_at)


@pytest.mark.parametrize(
    "revisions, message",
    [
        ([1], "Revisions must map questions to whole numbers"),
        ({"A": "12"}, "the revision must be a whole number from 0 to"),
        ({"A": 1.5}, "the revision must be a whole number"),
        ({"A": True}, "the revision must be a whole number"),
        ({"A": -1}, "the revision must be a whole number"),
        ({"A": MAX_REVISION + 1}, "the revision must be a whole number"),
        ({"B": 5}, "has a revision but no answer"),
    ],
)
def test_bad_revisions_save_nothing(attempt, revisions, message):
    ids = {"A": qid(attempt, 0), "B": qid(attempt, 1)}
    if isinstance(revisions, dict):
        revisions = {ids[k]: v for k, v in revisions.items()}
    with pytest.raises(ResponseError, match=message):
        attempt_save(attempt=attempt, answers={ids["A"]: choice_id(attempt, 0, "Right")}, revisions=revisions)
    with pytest.raises(ResponseError, match=message):
        attempt_submit(attempt=attempt, answers={ids["A"]: choice_id(attempt, 0, "Right")}, revisions=revisions)
    assert not Response.objects.exists()
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_the_largest_revision_a_page_can_count_is_accepted(attempt):
    q = qid(attempt, 0)
    assert attempt_save(attempt=attempt, answers={q: choice_id(attempt, 0, "Right")}, revisions={q: MAX_REVISION}).saved == {q: MAX_REVISION}


@in_real_transactions
def test_racing_saves_keep_the_highest_revision(academy, employee, make_quiz):
    """Saves of one question from several connections at once, in shuffled order: the highest
    revision is stored however the database interleaves them (row lock on PostgreSQL, IMMEDIATE
    transactions on SQLite)."""
    quiz = make_quiz([single("A"), single("B")])
    attempt = attempt_start(employee=employee, quiz=quiz)
    q = qid(attempt, 0)
    choices = [choice_id(attempt, 0, "Right"), choice_id(attempt, 0, "Wrong")]
    revisions = list(range(1, 9))
    random.Random(10).shuffle(revisions)
    barrier = threading.Barrier(len(revisions))
    errors = []

    def save(revision):
        try:
            barrier.wait()
            attempt_save(attempt=attempt, answers={q: choices[revision % 2]}, revisions={q: T + revision},
                         now=timezone.now() + timedelta(milliseconds=revision))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(r,)) for r in revisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert stored(attempt) == {q: (choices[8 % 2], T + 8)}


@in_real_transactions
def test_a_save_that_waited_for_the_lock_counts_the_answers_written_meanwhile(academy, employee, make_quiz):
    """A save blocked on the attempt's lock by another save must count what that one wrote. (On
    PostgreSQL a count read by the locking SELECT itself would miss it: it reads the rows as they
    were when it started waiting.)"""
    import time

    quiz = make_quiz([single("A"), single("B")])
    attempt = attempt_start(employee=employee, quiz=quiz)
    a, b = qid(attempt, 0), qid(attempt, 1)
    results, errors = [], []

    def save_b():
        try:
            results.append(attempt_save(attempt=Attempt.objects.get(pk=attempt.pk), answers={b: choice_id(attempt, 1, "Right")},
                                        revisions={b: T}))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    waiting = threading.Thread(target=save_b)
    with transaction.atomic():
        locked = attempt_of(attempt_id=attempt.pk, employee=employee, lock=True)
        attempt_save(attempt=locked, answers={a: choice_id(attempt, 0, "Right")}, revisions={a: T})
        waiting.start()
        time.sleep(0.5)  # the other save is now waiting for the lock
    waiting.join()
    assert not errors, errors
    assert results[0].answered == 2 and results[0].saved == {b: T}


@in_real_transactions
def test_racing_autosaves_and_a_submit_over_http_lose_no_answer_reported_saved(academy, employee, make_quiz):
    """The views lock the attempt when they read it (one read per request): autosaves of one
    question racing each other and a submit, each from its own connection. Whatever the order,
    every autosave answered 200 is in the scored attempt (its revision or a newer one) and every
    other one was told the attempt was closed (409)."""
    from django.test import Client

    quiz = make_quiz([single("A"), single("B")])
    attempt = attempt_start(employee=employee, quiz=quiz)
    token = qtoken(attempt, 0)
    choices = [choice_token(attempt, 0, "Right"), choice_token(attempt, 0, "Wrong")]
    clients = []
    for _ in range(7):
        client = Client()
        client.force_login(employee.user)
        clients.append(client)
    revisions = list(range(1, 7))
    random.Random(11).shuffle(revisions)
    barrier = threading.Barrier(len(clients))
    replies, errors = {}, []

    def save(client, revision):
        try:
            barrier.wait()
            reply = autosave(client, attempt, {"answers": {token: choices[revision % 2]}, "revisions": {token: T + revision}})
            replies[revision] = reply.status_code
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    def submit(client):
        try:
            barrier.wait()
            replies["submit"] = client.post(reverse("attempt_review", args=[attempt.pk]), {"action": "submit"}).status_code
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(c, r)) for c, r in zip(clients, revisions)]
    threads.append(threading.Thread(target=submit, args=(clients[-1],)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert replies["submit"] == 302 and {replies[r] for r in revisions} <= {200, 409}
    saved = [r for r in revisions if replies[r] == 200]
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    responses = list(Response.objects.filter(attempt=attempt))
    if saved:
        (response,) = responses
        assert response.revision == T + max(saved) and response.status  # stored and scored
        assert attempt.score == (1 if max(saved) % 2 == 0 else 0)
    else:
        assert responses == [] and attempt.score == 0


# --- Over HTTP: the JSON autosave and the attempt form ------------------------------------------


def shown(attempt):
    """What is stored, as the browser knows it: {question token: (value in tokens, revision)}."""
    responses = Response.objects.filter(attempt=attempt)
    values = attempt_public_answers(attempt, {r.question_id: r.value for r in responses})
    revisions = attempt_public_ids(attempt, {r.question_id: r.revision for r in responses})
    return {token: (values[token], revisions[token]) for token in values}


def autosave(client, attempt, payload):
    return client.post(reverse("attempt_autosave", args=[attempt.pk]), json.dumps(payload), content_type="application/json")


def started(client, quiz):
    assert client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302
    return Attempt.objects.get(quiz=quiz, state=Attempt.State.IN_PROGRESS)


def test_autosave_replies_which_answers_were_stale(employee_client, make_quiz):
    attempt = started(employee_client, make_quiz([single("A"), single("B")]))
    a, b = qtoken(attempt, 0), qtoken(attempt, 1)
    first = autosave(employee_client, attempt, {"answers": {a: choice_token(attempt, 0, "Right")}, "revisions": {a: T + 5}})
    assert first.json() == {"saved": [a], "unanswered": [], "stale": {}, "answered": 1, "total": 2}
    late = autosave(employee_client, attempt, {
        "answers": {a: choice_token(attempt, 0, "Wrong"), b: choice_token(attempt, 1, "Wrong")}, "revisions": {a: T + 4, b: T + 4}})
    assert late.status_code == 200
    assert late.json() == {"saved": [b], "unanswered": [], "stale": {a: T + 5}, "answered": 2, "total": 2}
    assert shown(attempt)[a] == (choice_token(attempt, 0, "Right"), T + 5)


@pytest.mark.parametrize(
    "revisions, message",
    [
        ("soon", "Revisions must map questions to whole numbers"),
        ({"A": "1"}, "the revision must be a whole number from 0 to 9007199254740991"),
        ({"A": 2**53}, "the revision must be a whole number"),
        ({"A": 1e12}, "the revision must be a whole number"),
        ({"A": None}, "the revision must be a whole number"),
        ({"nope": 1}, "“nope” is not a question of this attempt"),
    ],
)
def test_autosave_with_bad_revisions_gets_400_and_saves_nothing(employee_client, make_quiz, revisions, message):
    attempt = started(employee_client, make_quiz([single("A")]))
    a = qtoken(attempt, 0)
    if isinstance(revisions, dict):
        revisions = {a if k == "A" else k: v for k, v in revisions.items()}
    response = autosave(employee_client, attempt, {"answers": {a: choice_token(attempt, 0, "Right")}, "revisions": revisions})
    assert response.status_code == 400 and message in response.json()["error"]
    assert response.json()["error"].startswith("Nothing was saved")
    assert qid(attempt, 0) not in response.json()["error"]  # questions are named by number, never by key id
    assert not Response.objects.exists()


def test_the_page_shows_each_answers_revision_for_the_script(employee_client, make_quiz):
    attempt = started(employee_client, make_quiz([single("A"), single("B")]))
    attempt_save(attempt=attempt, answers={qid(attempt, 0): choice_id(attempt, 0, "Right")}, revisions={qid(attempt, 0): T})
    a = qtoken(attempt, 0)
    html = employee_client.get(reverse("attempt_take", args=[attempt.pk])).content.decode()
    assert f'data-question="{a}" data-kind="single_choice" data-number="1" data-revision="{T}"' in html
    assert f'data-question="{qtoken(attempt, 1)}" data-kind="single_choice" data-number="2" data-revision="0"' in html
    assert 'name="r-' not in html  # without the script, posts carry no revision: the server dates them


def test_form_post_with_revisions_keeps_a_newer_answer_and_says_so(employee_client, make_quiz):
    attempt = started(employee_client, make_quiz([single("A"), single("B")], layout="one_per_page"))
    a = qtoken(attempt, 0)
    url = reverse("attempt_take", args=[attempt.pk])
    autosave(employee_client, attempt, {"answers": {a: choice_token(attempt, 0, "Right")}, "revisions": {a: T + 9}})  # another tab
    page = employee_client.post(url, {f"q-{a}": choice_token(attempt, 0, "Wrong"), f"r-{a}": str(T + 1), "action": "next"}, follow=True)
    assert "Question 1 was changed in another tab or window" in page.content.decode()
    assert shown(attempt)[a] == (choice_token(attempt, 0, "Right"), T + 9)
    # The same page's newer change wins over that; a late autosave of an older one then loses.
    employee_client.post(url, {f"q-{a}": choice_token(attempt, 0, "Wrong"), f"r-{a}": str(T + 10), "action": "next"})
    assert autosave(employee_client, attempt, {"answers": {a: choice_token(attempt, 0, "Right")}, "revisions": {a: T + 9}}).json()["stale"] == {a: T + 10}
    assert shown(attempt)[a] == (choice_token(attempt, 0, "Wrong"), T + 10)


def test_form_submit_with_revisions_scores_the_newest_answers(employee_client, make_quiz):
    attempt = started(employee_client, make_quiz([single("A"), single("B")], pass_mark=100))
    a, b = qtoken(attempt, 0), qtoken(attempt, 1)
    autosave(employee_client, attempt, {"answers": {a: choice_token(attempt, 0, "Wrong")}, "revisions": {a: T + 1}})
    autosave(employee_client, attempt, {"answers": {b: choice_token(attempt, 1, "Right")}, "revisions": {b: T + 8}})
    response = employee_client.post(reverse("attempt_take", args=[attempt.pk]), {
        f"q-{a}": choice_token(attempt, 0, "Right"), f"r-{a}": str(T + 2),
        f"q-{b}": choice_token(attempt, 1, "Wrong"), f"r-{b}": str(T + 7), "action": "submit"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.state, attempt.percentage, attempt.passed) == (Attempt.State.SUBMITTED, Decimal("100.00"), True)
    late = autosave(employee_client, attempt, {"answers": {a: choice_token(attempt, 0, "Wrong")}, "revisions": {a: T + 1}})
    assert late.status_code == 409 and "already been submitted" in late.json()["error"]
    assert shown(attempt) == {a: (choice_token(attempt, 0, "Right"), T + 2), b: (choice_token(attempt, 1, "Right"), T + 8)}


@pytest.mark.parametrize("bad", ["soon", "-1", "1.5", "１２", str(2**53), "9" * 40])
def test_form_post_with_a_bad_revision_gets_400_and_saves_nothing(employee_client, make_quiz, bad):
    attempt = started(employee_client, make_quiz([single("A")]))
    a = qtoken(attempt, 0)
    for action in ("save", "submit"):
        response = employee_client.post(reverse("attempt_take", args=[attempt.pk]),
                                        {f"q-{a}": choice_token(attempt, 0, "Right"), f"r-{a}": bad, "action": action})
        assert response.status_code == 400 and "Nothing was saved" in response.content.decode()
        assert "revision" in response.content.decode()
    assert not Response.objects.exists() and Attempt.objects.get(pk=attempt.pk).is_open


def test_form_post_without_javascript_still_wins_over_what_is_stored(employee_client, make_quiz):
    attempt = started(employee_client, make_quiz([single("A")]))
    a = qtoken(attempt, 0)
    autosave(employee_client, attempt, {"answers": {a: choice_token(attempt, 0, "Wrong")}, "revisions": {a: T}})
    employee_client.post(reverse("attempt_take", args=[attempt.pk]), {f"q-{a}": choice_token(attempt, 0, "Right"), "action": "save"})
    value, revision = shown(attempt)[a]
    assert value == choice_token(attempt, 0, "Right") and revision > T
