"""Reads of quiz results: the grading queue, and a person's time limit on a quiz. Progress:
`assessments.progress`; question statistics: `assessments.statistics.selectors`."""

from dataclasses import dataclass

from django.db.models import Q

from assessments import scoring
from assessments.models import Attempt, Response, TimeAccommodation
from training.people.selectors import employees_visible_to
from training.precompiled import MARKERS, PrecompiledQuery


@dataclass(frozen=True)
class TimeLimit:
    """A person's time limit on a quiz: the quiz's own, or extended by their accommodation."""

    minutes: int
    standard_minutes: int
    accommodation: TimeAccommodation | None = None

    @property
    def extended(self) -> bool:
        return self.minutes != self.standard_minutes


# Compiled once per process: every start reads it.
_grants = PrecompiledQuery(
    lambda quiz_id, employee_id: TimeAccommodation.objects.current().filter(
        Q(quiz_id=quiz_id) | Q(quiz__isnull=True), employee_id=employee_id
    ),
    *MARKERS[:2],
)


def time_limit_for(*, employee, quiz) -> TimeLimit | None:
    """The time limit `employee` gets on `quiz` (None: untimed). The one place for this rule:
    attempt_start fixes the attempt's deadline from it, and pages show it. A current grant for
    this quiz wins over one for all timed quizzes; untimed quizzes stay untimed. One query for a
    timed quiz and an employee, none otherwise."""
    if not quiz.time_limit_minutes:
        return None
    standard = quiz.time_limit_minutes
    if employee is None:
        return TimeLimit(minutes=standard, standard_minutes=standard)
    grants = _grants.objects(quiz.pk, employee.pk)
    grant = min(grants, key=lambda g: g.quiz_id is None, default=None)  # this quiz's own grant first
    if grant is None:
        return TimeLimit(minutes=standard, standard_minutes=standard)
    return TimeLimit(minutes=grant.minutes_for(standard), standard_minutes=standard, accommodation=grant)


# Compiled once per process: every question page reads it.
_answers_of = PrecompiledQuery(
    lambda attempt_id: Response.objects.filter(attempt_id=attempt_id).values_list("question_id", "value", "revision"), MARKERS[0]
)


def attempt_saved_answers(attempt) -> dict:
    """{question id: (stored answer, its revision)} of `attempt`'s answers."""
    return {question_id: (value, revision) for question_id, value, revision in _answers_of.rows(attempt.pk)}


def employees_graded_by(*, user):
    """Whose written answers `user` may grade: the people they may see (a manager's teams, everyone
    for HR) but never themself. Nobody grades their own answers, so an HR person's go to their
    manager or to another HR person. The grading queue, the grade page and `response_grade` all
    ask this, so the rule lives here only."""
    return employees_visible_to(user=user).exclude(user_id=user.pk)


def responses_to_grade(*, user):
    """Written answers waiting for a grade from `user` (see employees_graded_by)."""
    return Response.objects.filter(
        status=scoring.NEEDS_GRADING,
        attempt__state=Attempt.State.AWAITING_GRADING,
        attempt__employee__in=employees_graded_by(user=user),
    )
