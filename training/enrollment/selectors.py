"""Reads of assignments and their derived status, each a fixed number of queries whatever the
number of employees, courses, lessons, attempts or certificates."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from assessments import cycles, progress
from assessments.models import Certificate
from assessments.progress import (
    COMPLETED,
    EXPIRED_COURSE,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    RECERTIFICATION_DUE,
    STATE_LABELS,
    AssignmentTable,
    CourseCell,
    Due,
    assignments_overdue,
    course_standings,
    moment_of,
    progress_matrix,
)
from training.enrollment.models import Assignment
from training.people.selectors import employees_visible_to

DUE_SOON_DAYS = 7
RENEWAL = Q(reason=Assignment.Reason.RECERTIFICATION)


@dataclass(frozen=True)
class AssignmentStatus:
    """Where an assignment stands on `today`; derived from lessons done, quiz attempts and
    certificates, never stored.

    state: one of `assessments.progress.STATE_LABELS`, decided by `assessments.progress.course_state`.
    days_left: due date minus today (negative once overdue). due_soon: not completed and due
    within DUE_SOON_DAYS days. progress: the course's CourseCell (lessons done, quizzes passed
    under each quiz's grading policy). best_score: the highest percentage among the employee's
    scored attempts at the course's quizzes, or None. certificate: the latest certificate for the
    course (revoked ones included) and certificate_status its status on `today`. cycle: the
    employee's certification cycle in the course (`assessments.cycles`); progress and best_score
    count only what counts in it (in a renewal cycle, the final assessment from the cycle's start).
    """

    assignment: Assignment
    state: str
    due_date: date
    days_left: int
    due_soon: bool
    progress: CourseCell
    best_score: Decimal | None
    certificate: Certificate | None
    certificate_status: str | None
    cycle: cycles.Cycle = cycles.FIRST

    @property
    def employee(self):
        return self.assignment.employee

    @property
    def course(self):
        return self.assignment.course

    @property
    def percent(self) -> int:
        return self.progress.percent

    @property
    def is_completed(self) -> bool:
        return self.state == COMPLETED

    @property
    def is_overdue(self) -> bool:
        return self.state == OVERDUE

    @property
    def is_open(self) -> bool:
        return self.state != COMPLETED

    @property
    def is_recertification(self) -> bool:
        return self.assignment.reason == Assignment.Reason.RECERTIFICATION

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)


def _id_filter(objects):
    """A QuerySet stays a subquery (no extra query); anything else becomes a list of primary keys."""
    if isinstance(objects, QuerySet):
        return objects.values("pk")
    return [getattr(obj, "pk", obj) for obj in objects]


def due_of(assignment: Assignment) -> Due:
    """What the progress rules need of an assignment."""
    return Due(assigned_at=assignment.assigned_at, due_date=assignment.due_date,
               renewal=assignment.reason == Assignment.Reason.RECERTIFICATION)


def overdue_assignments(*, today: date | None = None) -> QuerySet:
    """Assignments past their due date and not completed, for active employees: the set-based
    form of `course_state(...) == OVERDUE`, one query per report page."""
    today, _ = moment_of(today)
    latest = Assignment.objects.latest_per_course().filter(employee__user__is_active=True)
    return assignments_overdue(latest, today=today, renewal=RENEWAL)


def statuses_of(assignments, *, today: date | None = None, cells=None) -> dict[tuple[int, int], AssignmentStatus]:
    """Statuses for an Assignment QuerySet, keyed by (employee_id, course_id); only the latest
    assignment of each pair counts. Progress and state come from `assessments.progress`
    (`progress_matrix`, `course_state`). Eight queries (one when there is no assignment), or one
    when the caller already has the `progress_matrix` `cells` of those people and courses."""
    today, now = moment_of(today)
    rows = list(assignments.latest_per_course().select_related("employee__user", "course", "assigned_by"))
    if not rows:
        return {}
    courses = {row.course_id: row.course for row in rows}
    if cells is None:
        cells = progress_matrix(employees=sorted({row.employee_id for row in rows}), courses=courses.values(), now=now)
    return {(row.employee_id, row.course_id): _status(row, cells[(row.employee_id, row.course_id)], today, now) for row in rows}


def _status(row: Assignment, cell: CourseCell, today: date, now) -> AssignmentStatus:
    state = cell.state_at(due_of(row), today, now)
    days_left = (row.due_date - today).days
    return AssignmentStatus(
        assignment=row,
        state=state,
        due_date=row.due_date,
        days_left=days_left,
        due_soon=state != COMPLETED and 0 <= days_left <= DUE_SOON_DAYS,
        progress=cell,
        best_score=cell.best_score,
        certificate=cell.certificate,
        certificate_status=cell.certificate.status(now) if cell.certificate else None,
        cycle=cell.cycle,
    )


def assignment_statuses(*, employees, courses=None, today: date | None = None, cells=None) -> dict[tuple[int, int], AssignmentStatus]:
    """Status of the latest assignment of each (employee, course) pair, keyed by
    (employee_id, course_id). `employees` and `courses` are QuerySets (kept as subqueries) or
    iterables of objects or ids; `courses=None` means every course. Six queries however many
    employees, courses, lessons, attempts or certificates (one when nothing is assigned)."""
    assignments = Assignment.objects.filter(employee__in=_id_filter(employees))
    if courses is not None:
        assignments = assignments.filter(course__in=_id_filter(courses))
    return statuses_of(assignments, today=today, cells=cells)


_URGENCY = {OVERDUE: 0, EXPIRED_COURSE: 1, RECERTIFICATION_DUE: 1, NOT_STARTED: 1, IN_PROGRESS: 1, COMPLETED: 2}


def _by_urgency(statuses, *, by_name: bool = False) -> list[AssignmentStatus]:
    def key(status):
        name = status.employee.full_name if by_name else ""
        return (_URGENCY[status.state], status.due_date, name, status.course.title, status.assignment.pk)

    return sorted(statuses, key=key)


def assignments_for(
    *, employee, today: date | None = None, include_completed: bool = False, standings: dict | None = None, record=None
) -> list[AssignmentStatus]:
    """The employee's open assignments for "My learning": overdue first, then by due date.
    `employee` may be None (an account without an employee profile): no assignments. The
    per-person form: one query for the assignments, plus the employee's progress record unless
    the caller passes it (`record`, from `assessments.progress.person_record`) and the course
    standings it has already made from it (`standings`, by course id)."""
    if employee is None:
        return []
    today, now = moment_of(today)
    rows = list(
        Assignment.objects.of(employee).latest_per_course().select_related("employee__user", "course", "assigned_by")
    )
    standings = dict(standings or {})
    missing = {row.course_id: row.course for row in rows if row.course_id not in standings}
    if missing:
        standings |= course_standings(employee=employee, courses=missing.values(), now=now, record=record)
    statuses = (_status(row, standings[row.course_id].cell, today, now) for row in rows)
    return _by_urgency(s for s in statuses if include_completed or s.is_open)


def assignments_of(*, employees, courses=None, today: date | None = None, include_completed: bool = True) -> list[AssignmentStatus]:
    """Assignments of `employees` (QuerySet or list), overdue first, then by due date, then by
    name; what a manager's table shows. Six queries however many people."""
    statuses = assignment_statuses(employees=employees, courses=courses, today=today).values()
    return _by_urgency((s for s in statuses if include_completed or s.is_open), by_name=True)


def assignments_visible_to(*, user, courses=None, today: date | None = None, include_completed: bool = True) -> list[AssignmentStatus]:
    """Assignments of everyone `user` may see (a manager's teams, everyone for HR), ordered as
    `assignments_of`; for the manager dashboard. Six queries plus what `employees_visible_to`
    costs (one per level of the management tree), however many people."""
    return assignments_of(
        employees=employees_visible_to(user=user), courses=courses, today=today, include_completed=include_completed
    )


def assignment_summary(statuses) -> dict[str, int]:
    """Counts per state plus due_soon, e.g. for a dashboard header."""
    counts = {state: 0 for state in STATE_LABELS} | {"due_soon": 0, "total": 0}
    for status in statuses:
        counts[status.state] += 1
        counts["due_soon"] += status.due_soon
        counts["total"] += 1
    return counts


ASSIGNMENT_TABLE = AssignmentTable(table=Assignment._meta.db_table, renewal_reason=Assignment.Reason.RECERTIFICATION)


def course_states(*, employees, courses, today: date | None = None, now: datetime | None = None, outlines=None) -> dict[int, tuple]:
    """Employee id -> (state, latest due date) per course, in the order of `courses`, for everyone
    in `employees`, decided in SQL (`assessments.progress.course_states`) with each pair's latest
    assignment. One query, plus two for the courses' outlines unless given
    (`modules.selectors.course_outlines`)."""
    today, now = moment_of(today) if now is None else (today or timezone.localdate(now), now)
    return progress.course_states(employees=employees, courses=courses, assignments=ASSIGNMENT_TABLE, today=today, now=now,
                                  outlines=outlines)
