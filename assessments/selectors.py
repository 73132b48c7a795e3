"""Reads of quiz results and course progress including quizzes."""

from dataclasses import dataclass
from fractions import Fraction

from assessments import scoring
from assessments.models import Attempt, Certificate, Response
from modules import selectors as module_selectors
from training.people.selectors import employees_visible_to


@dataclass(frozen=True)
class QuizStanding:
    """An employee's standing on one quiz: the grade under the quiz's policy and what is left."""

    grade: Fraction | None
    passed: bool
    attempts_used: int
    open_attempt: Attempt | None
    awaiting_grading: int

    @property
    def grade_percent(self):
        return None if self.grade is None else round(float(self.grade), 1)


def quiz_standings(*, employee, quizzes) -> dict[int, QuizStanding]:
    """Standing per quiz id; one query for any number of quizzes."""
    quizzes = list(quizzes)
    attempts_by_quiz: dict[int, list[Attempt]] = {quiz.pk: [] for quiz in quizzes}
    if employee is not None and quizzes:
        for attempt in Attempt.objects.of(employee).filter(quiz__in=[q.pk for q in quizzes]).order_by("started_at", "pk"):
            attempts_by_quiz[attempt.quiz_id].append(attempt)
    standings = {}
    for quiz in quizzes:
        attempts = attempts_by_quiz[quiz.pk]
        scored = [Fraction(a.percentage) for a in attempts if a.state in Attempt.SCORED_STATES]
        grade = scoring.grade_over_attempts(quiz.grading_policy, scored)
        standings[quiz.pk] = QuizStanding(
            grade=grade,
            passed=grade is not None and grade >= quiz.pass_mark,
            attempts_used=len(attempts),
            open_attempt=next((a for a in attempts if a.is_open), None),
            awaiting_grading=sum(1 for a in attempts if a.state == Attempt.State.AWAITING_GRADING),
        )
    return standings


def courses_progress(*, employee, courses) -> list[module_selectors.CourseProgress]:
    """Course progress where a quiz counts as done once passed under its grading policy."""

    def passed(quizzes):
        return {pk for pk, standing in quiz_standings(employee=employee, quizzes=quizzes).items() if standing.passed}

    return module_selectors.courses_progress(employee=employee, courses=courses, passed_quizzes=passed)


def responses_to_grade(*, user):
    """Written answers waiting for a grade from `user` (a manager's people, or everyone's for HR)."""
    return Response.objects.filter(
        status=scoring.NEEDS_GRADING,
        attempt__state=Attempt.State.AWAITING_GRADING,
        attempt__employee__in=employees_visible_to(user=user),
    )


def certificates_of(*, employee) -> list[Certificate]:
    """The employee's certificates, oldest first (so a dict by course keeps the latest)."""
    if employee is None:
        return []
    return list(Certificate.objects.filter(employee=employee).order_by("issued_at", "pk"))
