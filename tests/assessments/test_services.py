"""Attempt life cycle: start, save, submit, expire, grade — on a real database."""

import threading
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from assessments.models import Attempt, Response
from assessments import scoring
from assessments.scoring import ResponseError
from assessments.progress import courses_progress, progress_matrix, quiz_standings
from assessments.attempts.services import (
    GRACE,
    AttemptClosed,
    NoAttemptsLeft,
    attempt_expire,
    attempt_save,
    attempt_start,
    attempt_submit,
    response_grade,
)
from modules.models import QuizPage
from tests.conftest import in_real_transactions
from training.people.models import Employee

from .conftest import choice_id, every_type, single

pytestmark = pytest.mark.django_db


def test_start_freezes_the_drawn_questions_and_resumes(employee, make_quiz):
    quiz = make_quiz([single(f"Q{n}") for n in range(6)], questions_per_attempt=4, shuffle_questions=True)
    attempt = attempt_start(employee=employee, quiz=quiz)
    assert attempt.number == 1 and attempt.state == Attempt.State.IN_PROGRESS
    assert len(attempt.questions) == 4 and attempt.revision_id == quiz.live_revision_id
    assert {q["id"] for q in attempt.questions} <= {b.id for b in quiz.questions}
    assert attempt_start(employee=employee, quiz=quiz).pk == attempt.pk  # resume, not a second attempt
    assert Attempt.objects.count() == 1


def test_editing_the_quiz_never_changes_a_recorded_attempt(employee, make_quiz):
    quiz = make_quiz([single("Original", right="Right", wrong="Wrong")])
    attempt = attempt_start(employee=employee, quiz=quiz)
    answer = choice_id(attempt, 0, "Right")
    frozen = list(attempt.questions)
    draft = quiz.get_latest_revision_as_object()
    draft.questions = [{"type": "single_choice", "value": {"prompt": "Edited", "points": "5",
                        "choices": [{"text": "Right", "correct": False}, {"text": "Wrong", "correct": True}]}}]
    draft.save_revision().publish()
    attempt = attempt_submit(attempt=attempt, answers={frozen[0]["id"]: answer})
    attempt.refresh_from_db()
    assert attempt.questions == frozen
    assert attempt.passed is True and attempt.score == Decimal("1.00") and attempt.max_score == Decimal("1.00")


def test_attempt_allowance_is_enforced(employee, make_quiz):
    quiz = make_quiz([single()], attempts_allowed=1)
    attempt_submit(attempt=attempt_start(employee=employee, quiz=quiz))
    with pytest.raises(NoAttemptsLeft, match="used all 1 attempt"):
        attempt_start(employee=employee, quiz=quiz)
    assert Attempt.objects.count() == 1


def test_bad_answers_save_nothing(employee, make_quiz):
    quiz = make_quiz([single("A"), single("B")])
    attempt = attempt_start(employee=employee, quiz=quiz)
    good = {attempt.questions[0]["id"]: choice_id(attempt, 0, "Right")}
    for bad in ({"not-a-question": "x"}, {attempt.questions[1]["id"]: "no-such-choice"}, {attempt.questions[1]["id"]: ["list"]}):
        with pytest.raises(ResponseError):
            attempt_save(attempt=attempt, answers={**good, **bad})
    with pytest.raises(ResponseError):
        attempt_save(attempt=attempt, answers=["not", "a", "mapping"])
    assert not Response.objects.exists()


def test_submit_scores_and_a_second_submit_changes_nothing(employee, make_quiz):
    quiz = make_quiz([single("A"), single("B"), single("C")], pass_mark=67)
    attempt = attempt_start(employee=employee, quiz=quiz)
    attempt_save(attempt=attempt, answers={attempt.questions[0]["id"]: choice_id(attempt, 0, "Right")})
    first = attempt_submit(attempt=attempt, answers={attempt.questions[1]["id"]: choice_id(attempt, 1, "Right")})
    assert first.state == Attempt.State.SUBMITTED and first.percentage == Decimal("66.67") and first.passed is False
    again = attempt_submit(attempt=attempt, answers={attempt.questions[2]["id"]: choice_id(attempt, 2, "Right")})
    assert (again.pk, again.score, again.submitted_at, again.passed) == (first.pk, first.score, first.submitted_at, False)
    assert Response.objects.filter(attempt=attempt).count() == 2


def test_pass_mark_boundary_is_exact(employee, make_quiz):
    quiz = make_quiz([single(f"Q{n}", points="0.1") for n in range(3)], pass_mark=33)
    attempt = attempt_start(employee=employee, quiz=quiz)
    attempt = attempt_submit(attempt=attempt, answers={attempt.questions[0]["id"]: choice_id(attempt, 0, "Right")})
    assert attempt.passed is True  # 0.1 / 0.3 = 33.33...% >= 33, where float sums would drift


@pytest.mark.parametrize("action", ["save", "submit", "expire"])
def test_closed_attempts_refuse_every_change(employee, make_quiz, action):
    quiz = make_quiz([single()])
    attempt = attempt_submit(attempt=attempt_start(employee=employee, quiz=quiz))
    before = (attempt.state, attempt.score, attempt.submitted_at)
    answers = {attempt.questions[0]["id"]: choice_id(attempt, 0, "Right")}
    if action == "save":
        with pytest.raises(AttemptClosed, match="already been submitted"):
            attempt_save(attempt=attempt, answers=answers)
    elif action == "submit":
        attempt_submit(attempt=attempt, answers=answers)
    else:
        attempt_expire(attempt=attempt, now=timezone.now() + timedelta(days=1))
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score, attempt.submitted_at) == before
    assert not Response.objects.exists()


def test_grading_an_attempt_in_progress_is_refused(employee, make_quiz):
    quiz = make_quiz([("written", {"prompt": "Why?", "points": "2"})])
    attempt = attempt_start(employee=employee, quiz=quiz)
    attempt_save(attempt=attempt, answers={attempt.questions[0]["id"]: "Because"})
    response = Response.objects.get()
    with pytest.raises(AttemptClosed):
        response_grade(response=response, grader=employee.user, points=Decimal(1))
    assert Response.objects.get().manual_points is None


class TestTimeLimit:
    """The server's clock decides; `now` freezes it."""

    def quiz_and_attempt(self, employee, make_quiz):
        quiz = make_quiz([single("A"), single("B")], time_limit_minutes=10)
        start = timezone.now()
        return start, attempt_start(employee=employee, quiz=quiz, now=start)

    def test_deadline_is_set_and_saves_count_within_the_grace_period(self, employee, make_quiz):
        start, attempt = self.quiz_and_attempt(employee, make_quiz)
        assert attempt.deadline == start + timedelta(minutes=10)
        late_but_graceful = attempt.deadline + GRACE - timedelta(seconds=1)
        attempt_save(attempt=attempt, answers={attempt.questions[0]["id"]: choice_id(attempt, 0, "Right")}, now=late_but_graceful)
        assert Response.objects.count() == 1

    def test_late_submit_is_scored_on_what_was_saved_in_time(self, employee, make_quiz):
        start, attempt = self.quiz_and_attempt(employee, make_quiz)
        attempt_save(attempt=attempt, answers={attempt.questions[0]["id"]: choice_id(attempt, 0, "Right")}, now=start + timedelta(minutes=5))
        too_late = attempt.deadline + GRACE + timedelta(seconds=1)
        result = attempt_submit(attempt=attempt, answers={attempt.questions[1]["id"]: choice_id(attempt, 1, "Right")}, now=too_late)
        assert result.state == Attempt.State.EXPIRED and result.submitted_at == attempt.deadline
        assert result.score == Decimal("1.00") and result.max_score == Decimal("2.00")
        assert Response.objects.count() == 1

    def test_a_late_save_closes_the_attempt(self, employee, make_quiz):
        start, attempt = self.quiz_and_attempt(employee, make_quiz)
        with pytest.raises(AttemptClosed, match="Time is up"):
            attempt_save(attempt=attempt, answers={}, now=attempt.deadline + timedelta(minutes=1))
        assert Attempt.objects.get().state == Attempt.State.EXPIRED

    def test_starting_again_closes_the_expired_attempt_first(self, employee, make_quiz):
        start, attempt = self.quiz_and_attempt(employee, make_quiz)
        second = attempt_start(employee=employee, quiz=attempt.quiz, now=start + timedelta(hours=1))
        assert second.number == 2
        assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.EXPIRED

    def test_close_expired_attempts_command(self, employee, make_quiz):
        start, attempt = self.quiz_and_attempt(employee, make_quiz)
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
        out = StringIO()
        call_command("close_expired_attempts", stdout=out)
        assert "Closed 1 expired attempt" in out.getvalue()
        assert Attempt.objects.get().state == Attempt.State.EXPIRED
        call_command("close_expired_attempts", stdout=out)
        assert "Closed 0 expired attempt" in out.getvalue()


def test_written_answers_wait_for_the_manager_then_count(employee, make_quiz):
    quiz = make_quiz([single(), ("written", {"prompt": "Why?", "points": "3"})], pass_mark=75)
    attempt = attempt_start(employee=employee, quiz=quiz)
    attempt = attempt_submit(attempt=attempt, answers={
        attempt.questions[0]["id"]: choice_id(attempt, 0, "Right"), attempt.questions[1]["id"]: "Because I care."})
    assert attempt.state == Attempt.State.AWAITING_GRADING and attempt.passed is None
    assert not quiz_standings(employee=employee, quizzes=[quiz])[quiz.pk].passed
    manager = Employee.objects.get(user__username="manager.north")
    written = Response.objects.get(question_id=attempt.questions[1]["id"])
    with pytest.raises(ValueError, match="between 0 and 3"):
        response_grade(response=written, grader=manager.user, points=Decimal(4))
    graded = response_grade(response=written, grader=manager.user, points=Decimal(2), comment="Good start")
    assert graded.state == Attempt.State.GRADED and graded.score == Decimal("3.00") and graded.passed is True
    assert quiz_standings(employee=employee, quizzes=[quiz])[quiz.pk].passed


@pytest.mark.parametrize("policy, expected", [("highest", 100), ("latest", 50), ("first", 0), ("average", 50)])
def test_grading_policy_across_attempts(employee, make_quiz, policy, expected):
    quiz = make_quiz([single("A"), single("B")], grading_policy=policy)
    for rights in (0, 2, 1):
        attempt = attempt_start(employee=employee, quiz=quiz)
        answers = {attempt.questions[i]["id"]: choice_id(attempt, i, "Right") for i in range(rights)}
        attempt_submit(attempt=attempt, answers=answers)
    assert quiz_standings(employee=employee, quizzes=[quiz])[quiz.pk].grade == expected


@pytest.mark.parametrize("policy, passed", [("highest", True), ("latest", True), ("first", False), ("average", True)])
def test_team_grid_matrix_agrees_with_the_employee_progress_under_every_policy(employee, course, make_quiz, policy, passed):
    from modules.models import LessonPage
    from modules.services import lesson_complete

    quiz = make_quiz([single("A"), single("B")], grading_policy=policy, pass_mark=50)
    for rights in (0, 2, 1):  # 0%, 100%, 50%
        attempt = attempt_start(employee=employee, quiz=quiz)
        attempt_submit(attempt=attempt, answers={attempt.questions[i]["id"]: choice_id(attempt, i, "Right") for i in range(rights)})
    for lesson in LessonPage.objects.live().child_of(course)[:2]:
        lesson_complete(employee=employee, lesson=lesson)
    progress = courses_progress(employee=employee, courses=[course])[0]
    cell = progress_matrix(employees=Employee.objects.filter(pk=employee.pk), courses=[course])[(employee.pk, course.pk)]
    assert (quiz.pk in progress.done_ids) is passed
    assert (cell.done, cell.total, cell.state_at(None, timezone.localdate(), timezone.now())) == (progress.done_count, progress.total, "in_progress") == (2 + passed, progress.total, "in_progress")
    assert cell.best_score == 100


@in_real_transactions
def test_concurrent_starts_of_a_one_attempt_quiz_make_one_attempt(academy, make_quiz, employee):
    quiz = make_quiz([single()], attempts_allowed=1)
    barrier = threading.Barrier(6)
    results, errors = [], []

    def start():
        try:
            barrier.wait()
            results.append(attempt_start(employee=employee, quiz=quiz).pk)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Attempt.objects.count() == 1
    assert set(results) == {Attempt.objects.get().pk}


def test_a_question_bank_is_parsed_once_per_process_and_again_when_it_changes(make_quiz, employee):
    quiz = make_quiz([single("Before")])
    first = quiz.question_specs()
    assert QuizPage.objects.get(pk=quiz.pk).question_specs()[0] is first[0]  # the same bank: not parsed again
    t, value = single("After")
    quiz.questions = [{"type": t, "value": value}]
    quiz.save_revision().publish()
    attempt = attempt_start(employee=employee, quiz=QuizPage.objects.get(pk=quiz.pk))
    assert [q["prompt"] for q in attempt.questions] == ["After"]


def test_a_submit_stores_each_answers_points_and_status_as_scored(employee, make_quiz):
    """Right, wrong and unanswered questions of every kind; a written answer waits for its grade."""
    from assessments.attempts.services import attempt_specs
    from training.demo_activity import full_marks_response, wrong_response

    quiz = make_quiz(every_type())
    attempt = attempt_start(employee=employee, quiz=quiz)
    specs = attempt_specs(attempt)
    answers = {q["id"]: full_marks_response(q) for q in attempt.questions[::2]}  # every other one right
    answers[attempt.questions[1]["id"]] = None  # one sent empty
    answers[attempt.questions[3]["id"]] = wrong_response(attempt.questions[3])
    attempt = attempt_submit(attempt=attempt, answers=answers)
    stored = {r.question_id: (r.points, r.status) for r in Response.objects.filter(attempt=attempt)}
    for spec in specs:
        if spec.id in stored:
            result = scoring.grade(spec, answers.get(spec.id))
            expected = None if result.points is None else Decimal(result.points.numerator) / result.points.denominator
            assert stored[spec.id] == (expected, result.status), spec.kind
    assert {status for _, status in stored.values()} == {scoring.CORRECT, scoring.INCORRECT, scoring.UNANSWERED, scoring.NEEDS_GRADING}, stored
