"""Quiz pages over HTTP: start, answer (form and JSON), submit, review, grade; hostile input."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Attempt, Response
from assessments.attempts.services import attempt_public_questions, attempt_start, attempt_submit
from modules.models import QuizPage
from training.people.models import Employee

from .conftest import MARK, NUMERIC_ANSWER, choice_id, choice_token, every_type, qtoken, single

pytestmark = pytest.mark.django_db


def other_employee(username="ben"):
    return Employee.objects.get(user__username=username)


def autosave(client, attempt, payload, raw=None):
    body = raw if raw is not None else json.dumps(payload)
    return client.post(reverse("attempt_autosave", args=[attempt.pk]), body, content_type="application/json")


def start(client, quiz):
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.get(quiz=quiz, state=Attempt.State.IN_PROGRESS)


class TestAnswerKeyNeverLeaks:
    """Marker strings sit in every part of the answer key of every question type."""

    def test_no_response_before_submission_carries_the_key(self, employee_client, make_quiz):
        quiz = make_quiz(every_type(), layout="one_per_page", shuffle_choices=True)
        seen = [employee_client.get(quiz.url)]
        attempt = start(employee_client, quiz)
        seen.append(employee_client.get(reverse("attempt_take", args=[attempt.pk])))
        for number in range(1, len(attempt.questions) + 1):
            seen.append(employee_client.get(reverse("attempt_take", args=[attempt.pk]), {"q": number}))
        first = attempt_public_questions(attempt)[0]
        seen.append(autosave(employee_client, attempt, {"answers": {first["id"]: first["choices"][0]["id"]}}))
        seen.append(autosave(employee_client, attempt, {"answers": {first["id"]: "nonsense"}}))
        seen.append(employee_client.get(reverse("attempt_result", args=[attempt.pk]), follow=True))
        for response in seen:
            body = response.content.decode()
            # A scenario's worth (its best option's points) is public; other options' points are not.
            assert MARK not in body and NUMERIC_ANSWER not in body and "0.33" not in body
            assert '"correct"' not in body and "data-correct" not in body
        assert all(q["prompt"] in "".join(r.content.decode() for r in seen) for q in attempt.questions)

    def test_after_submission_feedback_is_shown(self, employee_client, make_quiz):
        quiz = make_quiz(every_type(), feedback_shown="after_submit")
        attempt = start(employee_client, quiz)
        employee_client.post(reverse("attempt_take", args=[attempt.pk]), {"action": "submit"})
        html = employee_client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
        assert f"{MARK} expl" in html  # explanations now allowed
        assert f"{MARK} guidance" not in html  # grading guidance is for the manager only


def test_form_post_saves_and_submits_without_javascript(employee_client, employee, make_quiz):
    quiz = make_quiz([single("One"), single("Two")], pass_mark=50)
    attempt = start(employee_client, quiz)
    url = reverse("attempt_take", args=[attempt.pk])
    q1, q2 = qtoken(attempt, 0), qtoken(attempt, 1)
    response = employee_client.post(url, {f"q-{q1}": choice_token(attempt, 0, "Right"), "action": "save"}, follow=True)
    assert "Your answers are saved" in response.content.decode() and "1 of 2 answered" in response.content.decode()
    response = employee_client.post(url, {f"q-{q1}": choice_token(attempt, 0, "Right"), f"q-{q2}": choice_token(attempt, 1, "Wrong"), "action": "submit"})
    assert response["Location"] == reverse("attempt_result", args=[attempt.pk])
    html = employee_client.get(response["Location"]).content.decode()
    assert "50%" in html and "Passed" in html and "Question by question" in html
    # A double submit lands on the same result and changes nothing.
    again = employee_client.post(url, {f"q-{q2}": choice_token(attempt, 1, "Right"), "action": "submit"})
    assert again["Location"] == reverse("attempt_result", args=[attempt.pk])
    assert Attempt.objects.get(pk=attempt.pk).percentage == 50


def test_stale_tab_saving_a_submitted_attempt_gets_409_and_changes_nothing(employee_client, make_quiz):
    quiz = make_quiz([single()])
    attempt = start(employee_client, quiz)
    attempt_submit(attempt=attempt)
    q = qtoken(attempt, 0)
    response = employee_client.post(reverse("attempt_take", args=[attempt.pk]), {f"q-{q}": choice_token(attempt, 0, "Right"), "action": "save"})
    assert response.status_code == 409 and "already submitted" in response.content.decode()
    json_response = autosave(employee_client, attempt, {"answers": {q: choice_token(attempt, 0, "Right")}})
    assert json_response.status_code == 409 and "already been submitted" in json_response.json()["error"]
    # Even with an answer the page would refuse: the tab is sent to the result, not told to fix it.
    json_response = autosave(employee_client, attempt, {"answers": {q: choice_token(attempt, 0, "Right")}, "revisions": {q: "1"}})
    assert json_response.status_code == 409 and json_response.json()["result_url"].endswith("/result/")
    assert not Response.objects.exists()


@pytest.mark.parametrize("positions, message", [
    (["1", "1", "2"], "Question 2: use each position from 1 to 3 exactly once."),
    (["1", "two", "3"], "Question 2: give every item a position from 1 to 3."),
])
def test_a_refused_form_answer_names_the_question_by_its_number(employee_client, make_quiz, positions, message):
    quiz = make_quiz([single(), ("ordering", {"prompt": "O", "points": "1", "items": ["x", "y", "z"]})],
                     layout="one_per_page", shuffle_questions=False)
    attempt = start(employee_client, quiz)
    token = qtoken(attempt, 1)
    items = [item["id"] for item in attempt_public_questions(attempt, [2])[0]["items"]]
    form = {f"q-{token}-{item}": position for item, position in zip(items, positions)} | {"action": "next"}
    response = employee_client.post(reverse("attempt_take", args=[attempt.pk]) + "?q=2", form)
    html = response.content.decode()
    assert response.status_code == 400 and message in html and token not in html.split("data-question=")[0]
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "payload, message",
    [
        (None, "not valid JSON"),
        ({"answer": {}}, "“answers” object"),
        ({"answers": {"no-such-question": "x"}}, "is not a question of this attempt"),
        ({"answers": {"Q0": "no-such-choice"}}, "is not one of its choices"),
        ({"answers": {"Q0": 42}}, "is not one of its choices"),
        ({"answers": {"Q1": "twelve"}}, "is not a number"),
        ({"answers": {"Q1": True}}, "expected a number"),
        ({"answers": {"Q2": ["b", "a"]}}, "expected every item exactly once"),
        ({"answers": {"Q0": "ok", "Q1": "x" * 70_000}}, "Too much data"),
    ],
)
def test_hostile_autosave_gets_400_and_saves_nothing(employee_client, make_quiz, payload, message):
    quiz = make_quiz([single(), ("numeric", {"prompt": "N", "points": "1", "answer": "5", "tolerance": "0"}),
                      ("ordering", {"prompt": "O", "points": "1", "items": ["x", "y", "z"]})], shuffle_choices=False)
    attempt = start(employee_client, quiz)
    ids = {f"Q{i}": qtoken(attempt, i) for i in range(len(attempt.questions))}
    if payload is not None:
        answers = {ids.get(k, k): v for k, v in payload.get("answers", {}).items()}
        answers = {k: (choice_token(attempt, 0, "Right") if v == "ok" else v) for k, v in answers.items()}
        payload = {"answers": answers} if "answers" in payload else payload
    response = autosave(employee_client, attempt, payload, raw="{not json" if payload is None else None)
    assert response.status_code == 400 and message in response.json()["error"]
    assert not Response.objects.exists()


def test_autosave_names_the_refused_question_by_number_and_token(employee_client, make_quiz):
    quiz = make_quiz([single(), ("numeric", {"prompt": "N", "points": "1", "answer": "5", "tolerance": "0"})], shuffle_questions=False)
    attempt = start(employee_client, quiz)
    response = autosave(employee_client, attempt, {"answers": {qtoken(attempt, 0): choice_token(attempt, 0, "Right"), qtoken(attempt, 1): "twelve"}})
    # The page holds back the question named by its token and saves the others again.
    assert response.status_code == 400 and response.json() == {
        "error": "Nothing was saved: Question 2: “twelve” is not a number.", "question": qtoken(attempt, 1)}
    assert not Response.objects.exists()


def test_a_refused_form_post_shows_what_was_sent_and_marks_it_unsaved(employee_client, make_quiz):
    """"Save and next" with "twelve" in a numeric answer: the 400 page keeps every answer the post
    carried (nothing typed is lost) and marks those the server does not hold, for quiz.js to send."""
    quiz = make_quiz([single(), single("Kept?"), ("numeric", {"prompt": "N", "points": "1", "answer": "5", "tolerance": "0"}),
                      ("true_false", {"prompt": "T", "points": "1", "answer": False})], shuffle_questions=False)
    attempt = start(employee_client, quiz)
    url = reverse("attempt_take", args=[attempt.pk])
    q = [qtoken(attempt, i) for i in range(4)]
    kept = choice_token(attempt, 1, "Right")
    employee_client.post(url, {f"q-{q[1]}": kept, "action": "save"})
    response = employee_client.post(url, {
        f"q-{q[0]}": choice_token(attempt, 0, "Right"), f"q-{q[1]}": kept, f"q-{q[2]}": "twelve", f"q-{q[3]}": "false",
        "action": "next",
    })
    html = response.content.decode()
    assert response.status_code == 400 and "Nothing was saved: Question 3: “twelve” is not a number." in html
    assert f'value="{choice_token(attempt, 0, "Right")}" checked' in html and f'value="{kept}" checked' in html
    assert 'value="twelve"' in html and 'value="false" checked' in html
    fieldsets = {t: html[html.index(f'data-question="{t}"'):].split(">", 1)[0] for t in q}
    assert ["data-unsaved" in fieldsets[t] for t in q] == [True, False, True, True]
    assert list(Response.objects.exclude(value=None).values_list("question_id", flat=True)) == [attempt.questions[1]["id"]]


@pytest.mark.parametrize("raw", ['"\\u0000"', '"points\\u0000"', '"\\ud800"', '"broken \\udfff"'])
def test_text_no_database_or_page_can_hold_is_a_400_and_the_attempt_still_shows(employee_client, make_quiz, raw):
    """A NUL (PostgreSQL refuses it) or a lone surrogate (no page can encode it) in a text answer."""
    attempt = start(employee_client, make_quiz([("short_text", {"prompt": "T", "points": "1", "accepted": ["points"]})]))
    response = autosave(employee_client, attempt, None, raw='{"answers": {"%s": %s}}' % (qtoken(attempt, 0), raw))
    assert response.status_code == 400
    assert response.json()["error"] == "Nothing was saved: Question 1: the answer contains a NUL or broken Unicode character."
    form = employee_client.post(reverse("attempt_take", args=[attempt.pk]), {f"q-{qtoken(attempt, 0)}": "points\x00", "action": "save"})
    assert form.status_code == 400 and "NUL or broken Unicode character" in form.content.decode()
    assert not Response.objects.exists()
    assert employee_client.get(reverse("attempt_take", args=[attempt.pk])).status_code == 200


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("text/plain", '{"answers": {}}'),
        ("application/x-www-form-urlencoded", "answers=x"),
        ("multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--zz--\r\n"),
        ("multipart/form-data; boundary=zz", "not multipart at all"),
    ],
)
def test_autosave_in_another_content_type_is_a_415(employee_client, make_quiz, content_type, body):
    attempt = start(employee_client, make_quiz([single()]))
    response = employee_client.post(reverse("attempt_autosave", args=[attempt.pk]), body, content_type=content_type)
    assert response.status_code == 415 and "Content-Type: application/json" in response.json()["error"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("depth", [5_000, 60_000])
def test_absurdly_nested_autosave_is_a_400(employee_client, make_quiz, depth):
    attempt = start(employee_client, make_quiz([single()]))
    for raw in ("[" * depth + "]" * depth, '{"answers": {"x": ' + "[" * depth + "]" * depth + "}}"):
        response = autosave(employee_client, attempt, None, raw=raw[:60_000])
        assert response.status_code == 400 and "not valid JSON" in response.json()["error"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("action", ["goto-" + "9" * 5000, "goto-²", "goto-0", "goto-3", "goto--1", "goto-", "delete", "goto-1 "])
def test_an_unknown_form_action_is_a_400_before_anything_is_saved(employee_client, make_quiz, action):
    quiz = make_quiz([single("A"), single("B")], layout="one_per_page")
    attempt = start(employee_client, quiz)
    response = employee_client.post(
        reverse("attempt_take", args=[attempt.pk]), {f"q-{qtoken(attempt, 0)}": choice_token(attempt, 0, "Right"), "action": action}
    )
    assert response.status_code == 400 and "is not something this form can do" in response.content.decode()
    assert not Response.objects.exists()


def test_goto_leads_to_that_question(employee_client, make_quiz):
    quiz = make_quiz([single("A"), single("B")], layout="one_per_page")
    attempt = start(employee_client, quiz)
    response = employee_client.post(
        reverse("attempt_take", args=[attempt.pk]), {f"q-{qtoken(attempt, 0)}": choice_token(attempt, 0, "Right"), "action": "goto-2"}
    )
    assert response.status_code == 302 and response.url.endswith("?q=2")
    assert Response.objects.get().value == choice_id(attempt, 0, "Right")


def test_autosave_reports_progress(employee_client, make_quiz):
    quiz = make_quiz([single("A"), single("B")])
    attempt = start(employee_client, quiz)
    response = autosave(employee_client, attempt, {"answers": {qtoken(attempt, 0): choice_token(attempt, 0, "Wrong")}})
    assert response.status_code == 200 and response.json() == {"saved": [qtoken(attempt, 0)], "unanswered": [], "stale": {}, "answered": 1, "total": 2}
    assert "Right" not in json.dumps(response.json())
    # Cleared: saved, and said to be unanswered, so the page unmarks its link.
    response = autosave(employee_client, attempt, {"answers": {qtoken(attempt, 0): None}})
    assert response.json() == {"saved": [qtoken(attempt, 0)], "unanswered": [qtoken(attempt, 0)], "stale": {}, "answered": 0, "total": 2}


def test_someone_elses_attempt_answers_404(client, make_quiz):
    quiz = make_quiz([single()])
    attempt = attempt_start(employee=other_employee(), quiz=quiz)
    client.force_login(get_user_model().objects.get(username="amira"))
    for name in ("attempt_take", "attempt_result"):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    assert autosave(client, attempt, {"answers": {}}).status_code == 404
    assert client.post(reverse("attempt_take", args=[attempt.pk]), {"action": "submit"}).status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_quiz_page_shows_rules_attempts_and_refuses_when_none_are_left(employee_client, make_quiz):
    quiz = make_quiz([single()], attempts_allowed=1, time_limit_minutes=5, pass_mark=80)
    html = employee_client.get(quiz.url).content.decode()
    assert "pass mark 80%" in html and "5 minute time limit" in html and "1 attempt allowed" in html and "Start the quiz" in html
    attempt = start(employee_client, quiz)
    assert "Resume attempt 1" in employee_client.get(quiz.url).content.decode()
    attempt_submit(attempt=attempt)
    html = employee_client.get(quiz.url).content.decode()
    assert "You have used all 1 attempt" in html and "Review" in html
    refused = employee_client.post(reverse("quiz_start", args=[quiz.pk]), follow=True)
    assert "used all 1 attempt" in refused.content.decode()
    assert Attempt.objects.count() == 1


def test_one_question_per_page_navigation(employee_client, make_quiz):
    quiz = make_quiz([single("First"), single("Second"), single("Third")], layout="one_per_page")
    attempt = start(employee_client, quiz)
    url = reverse("attempt_take", args=[attempt.pk])
    page1 = employee_client.get(url).content.decode()
    assert attempt.questions[0]["prompt"] in page1 and attempt.questions[1]["prompt"] not in page1
    response = employee_client.post(url, {f"q-{qtoken(attempt, 0)}": choice_token(attempt, 0, "Right"), "action": "next"})
    assert response["Location"] == f"{url}?q=2"
    page2 = employee_client.get(response["Location"]).content.decode()
    assert attempt.questions[1]["prompt"] in page2 and "1 of 3 answered" in page2
    # The links to every question: answered ones bold, the current one marked, the others named.
    assert ('<li class="page-item"><a class="page-link fw-bold" href="?q=1" data-question-link="1">1'
            '<span class="visually-hidden"> (answered)</span></a></li>') in page2
    assert ('<li class="page-item active"><a class="page-link" href="?q=2" data-question-link="2" aria-current="page">2'
            '<span class="visually-hidden"> (not answered)</span></a></li>') in page2
    assert page2.count("data-question-link=") == 3 and page2.count('aria-current="page"') == 2  # and the breadcrumb


@pytest.mark.parametrize("shown, passed, expect_feedback", [
    ("after_submit", False, True), ("after_pass", False, False), ("after_pass", True, True), ("never", True, False),
])
def test_feedback_follows_the_quiz_setting(employee_client, make_quiz, shown, passed, expect_feedback):
    quiz = make_quiz([("single_choice", {"prompt": "Q", "points": "1", "explanation": "EXPLAINED",
                      "choices": [{"text": "Right", "correct": True}, {"text": "Wrong", "correct": False}]})], feedback_shown=shown)
    attempt = start(employee_client, quiz)
    employee_client.post(reverse("attempt_take", args=[attempt.pk]), {f"q-{qtoken(attempt, 0)}": choice_token(attempt, 0, "Right" if passed else "Wrong"), "action": "submit"})
    html = employee_client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert ("EXPLAINED" in html) is expect_feedback


def test_manager_grades_written_answers_of_their_own_team_only(client, make_quiz):
    quiz = make_quiz([("written", {"prompt": "Why loyalty?", "points": "2", "guidance": "Mentions coming back"})], pass_mark=50)
    north, south = other_employee("amira"), other_employee("felix")
    for employee in (north, south):
        attempt = attempt_start(employee=employee, quiz=quiz)
        attempt_submit(attempt=attempt, answers={attempt.questions[0]["id"]: f"{employee.user.first_name} cares"})
    client.force_login(get_user_model().objects.get(username="manager.north"))
    queue = client.get(reverse("grading_queue")).content.decode()
    assert "Amira" in queue and "Felix" not in queue
    assert "1 written answer from your team waits for your grade" in client.get(reverse("my_learning")).content.decode()
    felix_response = Response.objects.get(attempt__employee=south)
    assert client.get(reverse("response_grade", args=[felix_response.pk])).status_code == 404
    amira_response = Response.objects.get(attempt__employee=north)
    form = client.get(reverse("response_grade", args=[amira_response.pk])).content.decode()
    assert "Mentions coming back" in form and "Amira cares" in form
    bad = client.post(reverse("response_grade", args=[amira_response.pk]), {"points": "5"})
    assert bad.status_code == 200 and "less than or equal to 2" in bad.content.decode()
    client.post(reverse("response_grade", args=[amira_response.pk]), {"points": "1.5", "comment": "Nice"})
    attempt = Attempt.objects.get(employee=north)
    assert attempt.state == Attempt.State.GRADED and attempt.passed is True and attempt.percentage == 75
    assert "Nothing waits" in client.get(reverse("grading_queue")).content.decode()
    client.force_login(north.user)
    assert "Nice" in client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()


def test_passing_a_quiz_moves_course_progress(employee_client, course, make_quiz):
    quiz = make_quiz([single()])
    before = employee_client.get(reverse("my_learning")).content.decode()
    attempt = start(employee_client, quiz)
    employee_client.post(reverse("attempt_take", args=[attempt.pk]), {f"q-{qtoken(attempt, 0)}": choice_token(attempt, 0, "Right"), "action": "submit"})
    after = employee_client.get(reverse("my_learning")).content.decode()
    assert "0 of" in before and "1 of" in after
    assert "Passed" in employee_client.get(course.url).content.decode()


class TestQueriesPerStep:
    """Each step's statements (transaction control not counted: see django_assert_num_statements),
    whatever the number of questions and answers. Every request pays 2 for the session and the
    signed-in user (with their employee)."""

    @staticmethod
    def warm(quiz):
        """What a running site has cached: Wagtail's site root paths and the published course tree
        (read by the certification cycle rule), both in Django's cache, built on first use."""
        from modules.course_tree import course_tree

        assert quiz.url and course_tree().courses
        return quiz

    @pytest.fixture
    def quiz(self, make_quiz):
        return self.warm(make_quiz([single(f"Q{n}") for n in range(6)]))

    def test_start_reads_the_quiz_locks_the_person_reads_their_attempts_and_inserts(self, employee_client, quiz, django_assert_num_statements):
        with django_assert_num_statements(6):
            assert employee_client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302
        # ...and the same again when the person already has attempts of the quiz.
        Attempt.objects.update(state=Attempt.State.SUBMITTED)
        with django_assert_num_statements(6):
            assert employee_client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302

    def test_start_reads_only_the_question_bank_of_the_page_and_refuses_a_quiz_no_longer_live(self, employee_client, quiz):
        with CaptureQueriesContext(connection) as queries:
            assert employee_client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302
        assert not [q["sql"] for q in queries if '"wagtailcore_page"."title"' in q["sql"]]  # the page from the course tree
        Attempt.objects.update(state=Attempt.State.SUBMITTED)
        QuizPage.objects.filter(pk=quiz.pk).update(live=False)  # no signal: the cached tree still lists it
        assert employee_client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 404
        assert Attempt.objects.count() == 1

    def test_start_with_an_allowance_also_reads_the_persons_certification_cycle(self, employee_client, make_quiz, django_assert_num_statements):
        quiz = self.warm(make_quiz([single()], attempts_allowed=2))
        with django_assert_num_statements(7):
            assert employee_client.post(reverse("quiz_start", args=[quiz.pk])).status_code == 302

    def test_a_save_locks_the_attempt_and_writes_and_compares_in_one_upsert(self, employee_client, quiz, django_assert_num_statements):
        """The attempt, read and locked; then one INSERT ... ON CONFLICT DO UPDATE ... RETURNING
        that keeps the newer revision and returns what each answer became and the answered count."""
        attempt = start(employee_client, quiz)
        answers = {qtoken(attempt, i): choice_token(attempt, i, "Right") for i in range(len(attempt.questions))}
        first = dict(list(answers.items())[:1])
        with django_assert_num_statements(4) as captured:
            assert autosave(employee_client, attempt, {"answers": first}).json()["answered"] == 1
        # The view's transaction only (a savepoint here, in the test's): the save takes none of its own.
        assert [q["sql"].split()[0] for q in captured.captured_queries if q["sql"].startswith(("SAVEPOINT", "RELEASE"))] == ["SAVEPOINT", "RELEASE"]
        with django_assert_num_statements(4):  # one update and five inserts, in one statement
            reply = autosave(employee_client, attempt, {"answers": answers}).json()
        assert reply["answered"] == 6 and len(reply["saved"]) == 6
        assert Response.objects.filter(attempt=attempt).count() == 6
        stale = {qtoken(attempt, 0): choice_token(attempt, 0, "Wrong")}
        with django_assert_num_statements(4):  # an older revision: still one statement, which reports it
            reply = autosave(employee_client, attempt, {"answers": stale, "revisions": {qtoken(attempt, 0): 1}}).json()
        assert reply["stale"] and reply["answered"] == 6

    def test_a_form_save_also_makes_four(self, employee_client, quiz, django_assert_num_statements):
        attempt = start(employee_client, quiz)
        form = {f"q-{qtoken(attempt, i)}": choice_token(attempt, i, "Right") for i in range(6)} | {"action": "save"}
        with django_assert_num_statements(4):
            assert employee_client.post(reverse("attempt_take", args=[attempt.pk]), form).status_code == 302
        assert Response.objects.filter(attempt=attempt, value__isnull=False).count() == 6

    def test_a_question_page_reads_the_attempt_and_its_answers(self, employee_client, quiz, django_assert_num_statements):
        attempt = start(employee_client, quiz)
        with django_assert_num_statements(4), CaptureQueriesContext(connection) as queries:
            assert employee_client.get(reverse("attempt_take", args=[attempt.pk])).status_code == 200
        # The quiz (title, layout, pass mark) comes from the cached course tree, not a join.
        assert not [q["sql"] for q in queries if "wagtailcore_page" in q["sql"]]

    def test_an_attempt_at_a_quiz_no_longer_published_still_has_its_quiz(self, employee_client, quiz):
        attempt = start(employee_client, quiz)
        quiz.unpublish()
        page = employee_client.get(reverse("attempt_take", args=[attempt.pk]))
        assert page.status_code == 200 and quiz.title in page.content.decode()

    def test_a_failing_submit_with_the_forms_answers(self, employee_client, quiz, django_assert_num_statements):
        attempt = start(employee_client, quiz)
        form = {f"q-{qtoken(attempt, i)}": choice_token(attempt, i, "Wrong") for i in range(6)} | {"action": "submit"}
        # A save's 4, the answers again for scoring, their points, the attempt's scored fields.
        with django_assert_num_statements(7):
            assert employee_client.post(reverse("attempt_take", args=[attempt.pk]), form).status_code == 302
        attempt.refresh_from_db()
        assert attempt.state == Attempt.State.SUBMITTED and attempt.passed is False

    def test_a_submit_from_the_review_page_sends_no_answers(self, employee_client, quiz, django_assert_num_statements):
        attempt = start(employee_client, quiz)
        autosave(employee_client, attempt, {"answers": {qtoken(attempt, 0): choice_token(attempt, 0, "Right")}})
        with django_assert_num_statements(6):
            assert employee_client.post(reverse("attempt_review", args=[attempt.pk]), {"action": "submit"}).status_code == 302
        assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.SUBMITTED

    def test_a_passing_submit_also_asks_whether_the_course_is_complete(self, employee_client, quiz, django_assert_num_statements):
        attempt = start(employee_client, quiz)
        form = {f"q-{qtoken(attempt, i)}": choice_token(attempt, i, "Right") for i in range(6)} | {"action": "submit"}
        # The 7 of a failing submit, then the route to the certificate (certificate_issue_after_step):
        # the person's lock, their certificates (cycle), lessons done, attempts; the course and
        # its outline come from the cached course tree.
        with django_assert_num_statements(11):
            assert employee_client.post(reverse("attempt_take", args=[attempt.pk]), form).status_code == 302
        assert Attempt.objects.get(pk=attempt.pk).passed is True

    def test_the_result_page(self, employee_client, quiz, django_assert_num_statements):
        attempt = start(employee_client, quiz)
        employee_client.post(reverse("attempt_review", args=[attempt.pk]), {"action": "submit"})
        with django_assert_num_statements(6):
            assert employee_client.get(reverse("attempt_result", args=[attempt.pk])).status_code == 200


# The quiz's landing page (rules, standing, the attempts table): a fixed number of queries however
# many attempts, quizzes and courses. The session and user (2); the quiz (1: the Site, the catalog
# and the route come from the cached course tree); the employee's certificates, completions and
# attempts (3, read once for the outline, the standing and the attempts table); the person's time
# accommodation on a timed quiz (1).
QUIZ_PAGE_QUERIES = 7


def test_quiz_page_runs_a_fixed_number_of_queries(employee_client, employee, course, make_quiz, django_assert_num_queries):
    from tests.factories import add_course

    quiz = make_quiz([single("A"), single("B")], time_limit_minutes=10, attempts_allowed=0)
    employee_client.get(quiz.url)  # the course tree is built once, then cached until a page changes
    with django_assert_num_queries(QUIZ_PAGE_QUERIES):
        assert employee_client.get(quiz.url).status_code == 200
    for _ in range(3):
        attempt_submit(attempt=attempt_start(employee=employee, quiz=quiz))
    attempt_start(employee=employee, quiz=quiz)
    other = make_quiz([single()], title="Another quiz")
    attempt_submit(attempt=attempt_start(employee=employee, quiz=other))
    add_course(course.get_parent(), title="Another course")
    employee_client.get(quiz.url)  # the new pages dropped the cached course tree
    with django_assert_num_queries(QUIZ_PAGE_QUERIES):
        html = employee_client.get(quiz.url).content.decode()
    assert "Resume attempt 4" in html and html.count(">Review</a>") == 3
