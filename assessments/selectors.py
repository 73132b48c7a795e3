"""Reads of quiz results and course progress including quizzes."""

from dataclasses import dataclass
from fractions import Fraction

from assessments import scoring
from assessments.models import Attempt, Certificate, Response
from modules import selectors as module_selectors
from modules.models import LessonCompletion
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


@dataclass(frozen=True)
class CourseCell:
    """One employee's standing in one course, for team grids and reports."""

    done: int
    total: int
    best_score: Fraction | None
    certificate: Certificate | None

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def state(self) -> str:
        if self.certificate is not None and self.certificate.status() == "valid":
            return "completed"
        if self.total and self.done == self.total:
            return "completed"
        return "in_progress" if self.done or self.best_score is not None else "not_started"

    @property
    def best_score_percent(self):
        return None if self.best_score is None else round(float(self.best_score))


def progress_matrix(*, employees, courses) -> dict[tuple[int, int], CourseCell]:
    """Every (employee id, course id) cell in five queries, whatever the number of people.

    `employees` may be a QuerySet (used as a subquery) or a list of Employees.
    """
    courses = list(courses)
    outlines = module_selectors.course_outlines(courses)
    course_of = {page.pk: course_id for course_id, items in outlines.items() for page in items}
    quizzes = {page.pk: page for items in outlines.values() for page in items if page.is_quiz}
    lesson_ids = [pk for pk in course_of if pk not in quizzes]
    done: dict[tuple[int, int], int] = {}
    for employee_id, lesson_id in LessonCompletion.objects.filter(employee__in=employees, lesson_id__in=lesson_ids).values_list(
        "employee_id", "lesson_id"
    ):
        key = (employee_id, course_of[lesson_id])
        done[key] = done.get(key, 0) + 1
    scored: dict[tuple[int, int], list] = {}
    for employee_id, quiz_id, percentage in (
        Attempt.objects.filter(employee__in=employees, quiz_id__in=list(quizzes), state__in=Attempt.SCORED_STATES)
        .order_by("started_at", "pk")
        .values_list("employee_id", "quiz_id", "percentage")
    ):
        scored.setdefault((employee_id, quiz_id), []).append(Fraction(percentage))
    best: dict[tuple[int, int], Fraction] = {}
    for (employee_id, quiz_id), percentages in scored.items():
        quiz = quizzes[quiz_id]
        key = (employee_id, course_of[quiz_id])
        grade = scoring.grade_over_attempts(quiz.grading_policy, percentages)
        if grade >= quiz.pass_mark:
            done[key] = done.get(key, 0) + 1
        best[key] = max(best.get(key, grade), max(percentages))
    certificates = {
        (c.employee_id, c.course_id): c
        for c in Certificate.objects.filter(employee__in=employees, course__in=courses).order_by("issued_at", "pk")
    }
    employee_ids = employees.values_list("pk", flat=True) if hasattr(employees, "values_list") else [e.pk for e in employees]
    return {
        (employee_id, course.pk): CourseCell(
            done=done.get((employee_id, course.pk), 0),
            total=len(outlines[course.pk]),
            best_score=best.get((employee_id, course.pk)),
            certificate=certificates.get((employee_id, course.pk)),
        )
        for employee_id in employee_ids
        for course in courses
    }
