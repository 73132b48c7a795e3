"""Report rows that are aggregates rather than single records."""

from dataclasses import dataclass

from django.db.models import Count

from django.utils import timezone

from assessments.cycles import recertifications_due
from assessments.models import Certificate
from modules.models import CoursePage
from training.enrollment.models import Assignment
from training.people.models import Employee, Team


@dataclass(frozen=True)
class CompletionRow:
    team: Team
    course: CoursePage
    people: int
    assigned: int
    completed: int
    recertification_due: int = 0  # people whose renewal cycle is open and not yet re-passed

    @property
    def rate(self) -> int | None:
        """Percentage of the team's active people who completed the course."""
        return round(100 * self.completed / self.people) if self.people else None


def completions_by_team_and_course(*, team=None, course=None, completed=None) -> list[CompletionRow]:
    """One row per team and course: active people, how many were assigned the course, and how
    many completed it (a certificate, not revoked, issued within `completed` — a slice of
    datetimes — if given), and how many are due to recertify (a renewal cycle open and the final
    assessment not yet passed again: `assessments.cycles`). At most six queries whatever the size
    of the organisation."""
    teams = [team] if team else list(Team.objects.order_by("name"))
    courses = [course] if course else list(CoursePage.objects.order_by("title"))
    active = Employee.objects.filter(user__is_active=True, team__in=teams)
    people = dict(active.order_by().values_list("team").annotate(n=Count("pk")))

    def per_pair(queryset):
        pairs = queryset.order_by().values_list("employee__team", "course").annotate(n=Count("employee", distinct=True))
        return {(team_id, course_id): n for team_id, course_id, n in pairs}

    assigned = per_pair(Assignment.objects.filter(employee__in=active, course__in=courses))
    certificates = Certificate.objects.current().filter(employee__in=active, course__in=courses)
    if completed and completed.start:
        certificates = certificates.filter(issued_at__gte=completed.start)
    if completed and completed.stop:
        certificates = certificates.filter(issued_at__lte=completed.stop)
    done = per_pair(certificates)
    due = per_pair(
        recertifications_due(Certificate.objects.filter(employee__in=active, course__in=courses), today=timezone.localdate())
    )
    return [
        CompletionRow(
            team=row_team,
            course=row_course,
            people=people.get(row_team.pk, 0),
            assigned=assigned.get((row_team.pk, row_course.pk), 0),
            completed=done.get((row_team.pk, row_course.pk), 0),
            recertification_due=due.get((row_team.pk, row_course.pk), 0),
        )
        for row_team in teams
        for row_course in courses
        if people.get(row_team.pk)
    ]
