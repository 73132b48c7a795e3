"""Quiz pages over HTTP: start, answer (form and JSON), submit, review, grade; hostile input."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Attempt, Response
from assessments.services import attempt_public_questions, attempt_start, attempt_submit
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
    assert response.status_code == 200 and response.json() == {"saved": [qtoken(attempt, 0)], "stale": {}, "answered": 1, "total": 2}
    assert "Right" not in json.dumps(response.json())


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


def test_saving_and_submitting_cost_the_same_queries_for_one_answer_or_many(employee_client, make_quiz, django_assert_max_num_queries):
    """A bounded number whatever the number of answers (inserts and updates are bulk)."""
    quiz = make_quiz([single(f"Q{n}") for n in range(6)])
    attempt = start(employee_client, quiz)
    answers = {qtoken(attempt, i): choice_token(attempt, i, "Right") for i in range(len(attempt.questions))}
    one = dict(list(answers.items())[:1])
    with django_assert_max_num_queries(12):
        assert autosave(employee_client, attempt, {"answers": one}).status_code == 200
    with django_assert_max_num_queries(12):
        assert autosave(employee_client, attempt, {"answers": answers}).status_code == 200
    form = {f"q-{qid}": cid for qid, cid in answers.items()} | {"action": "submit"}
    with django_assert_max_num_queries(30):  # a passing submit also checks for course completion
        assert employee_client.post(reverse("attempt_take", args=[attempt.pk]), form).status_code == 302
