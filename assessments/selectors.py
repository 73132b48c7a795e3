"""Reads of quiz results: the grading queue. Progress: `assessments.progress`; question statistics:
`assessments.statistics.selectors`."""

from assessments import scoring
from assessments.models import Attempt, Response
from training.people.selectors import employees_visible_to


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
