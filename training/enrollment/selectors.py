"""Reads of assignments and their derived status, each a fixed number of queries whatever the
number of employees, courses, lessons, attempts or certificates."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from assessments import cycles, scoring
from assessments.models import Attempt, Certificate
from modules.models import LessonCompletion
from modules.selectors import CourseProgress, course_outlines
from training.enrollment.models import Assignment
from training.people.selectors import employees_visible_to

DUE_SOON_DAYS = 7

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
OVERDUE = "overdue"
STATE_LABELS = {NOT_STARTED: "Not started", IN_PROGRESS: "In progress", COMPLETED: "Completed", OVERDUE: "Overdue"}


@dataclass(frozen=True)
class AssignmentStatus:
    """Where an assignment stands on `today`; derived from lessons done, quiz attempts and
    certificates, never stored.

    state: not_started, in_progress, completed or overdue (past the due date and not completed).
    days_left: due date minus today (negative once overdue). due_soon: not completed and due
    within DUE_SOON_DAYS days. progress: the course's CourseProgress (lessons done, quizzes passed
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
    progress: CourseProgress
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


def _moment(today: date | None) -> tuple[date, datetime]:
    """`today` and the moment certificates are judged at (now, or the start of another day)."""
    real_today = timezone.localdate()
    if today is None or today == real_today:
        return real_today, timezone.now()
    return today, timezone.make_aware(datetime.combine(today, time.min))


def _id_filter(objects):
    """A QuerySet stays a subquery (no extra query); anything else becomes a list of primary keys."""
    if isinstance(objects, QuerySet):
        return objects.values("pk")
    return [getattr(obj, "pk", obj) for obj in objects]


def _completed(assignment: Assignment, certificates: list[Certificate]) -> bool:
    """A current (not revoked) certificate issued on or after the assignment was made; or, for a
    plain assignment, one that was already valid when it was made (nothing left to do). A
    recertification needs a certificate newer than the assignment."""
    for certificate in certificates:
        if certificate.revoked_at is not None:
            continue
        if certificate.issued_at >= assignment.assigned_at:
            return True
        if assignment.reason == Assignment.Reason.ASSIGNED and (
            certificate.expires_at is None or certificate.expires_at > assignment.assigned_at
        ):
            return True
    return False


def overdue_assignments(*, today: date | None = None) -> QuerySet:
    """Assignments past their due date and not completed, for active employees: `_completed` in
    SQL, so a report over the whole organisation needs one query per page."""
    today, _ = _moment(today)
    current = Certificate.objects.filter(
        employee=OuterRef("employee"), course=OuterRef("course"), revoked_at__isnull=True
    )
    issued_since = current.filter(issued_at__gte=OuterRef("assigned_at"))
    valid_when_assigned = current.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=OuterRef("assigned_at")))
    return (
        Assignment.objects.latest_per_course()
        .filter(due_date__lt=today, employee__user__is_active=True)
        .exclude(Exists(issued_since))
        .exclude(Q(reason=Assignment.Reason.ASSIGNED) & Exists(valid_when_assigned))
    )


def statuses_of(assignments, *, today: date | None = None) -> dict[tuple[int, int], AssignmentStatus]:
    """Statuses for an Assignment QuerySet, keyed by (employee_id, course_id); only the latest
    assignment of each pair counts. Six queries (one when there is no assignment)."""
    today, now = _moment(today)
    rows = list(assignments.latest_per_course().select_related("employee__user", "course", "assigned_by"))
    if not rows:
        return {}
    courses = {row.course_id: row.course for row in rows}
    employee_ids = sorted({row.employee_id for row in rows})
    items_by_course = course_outlines(courses.values())
    course_of_page = {page.pk: course_id for course_id, items in items_by_course.items() for page in items}
    lessons = [page for items in items_by_course.values() for page in items if not page.is_quiz]
    quizzes = [page for items in items_by_course.values() for page in items if page.is_quiz]

    certificates: dict[tuple[int, int], list[Certificate]] = {}
    for certificate in Certificate.objects.filter(employee_id__in=employee_ids, course_id__in=list(courses)).order_by(
        "issued_at", "pk"
    ):
        certificates.setdefault((certificate.employee_id, certificate.course_id), []).append(certificate)
    current = {key: cycles.cycle_of(held, now=now) for key, held in certificates.items()}
    # Page id -> cycle start, per pair: what must be done again in the pair's cycle.
    since = {
        (row.employee_id, row.course_id): cycles.counted_from(
            row.course, items_by_course[row.course_id], current.get((row.employee_id, row.course_id), cycles.FIRST)
        )
        for row in rows
    }

    def counts(employee_id, page_id, moment):
        start = since.get((employee_id, course_of_page[page_id]), {}).get(page_id)
        return start is None or moment >= start

    # Who did what in the current cycle: (employee, page) -> done; quiz grades under each quiz's policy.
    lesson_done: dict[tuple[int, int], datetime] = {}
    for employee_id, lesson_id, completed_at in LessonCompletion.objects.filter(
        employee_id__in=employee_ids, lesson_id__in=[lesson.pk for lesson in lessons]
    ).values_list("employee_id", "lesson_id", "completed_at"):
        if counts(employee_id, lesson_id, completed_at):
            lesson_done[employee_id, lesson_id] = completed_at
    scored: dict[tuple[int, int], list[Fraction]] = {}
    best: dict[tuple[int, int], Decimal] = {}
    last_attempt: dict[tuple[int, int], datetime] = {}
    for employee_id, quiz_id, state, percentage, started_at in (
        Attempt.objects.filter(employee_id__in=employee_ids, quiz_id__in=[quiz.pk for quiz in quizzes])
        .order_by("started_at", "pk")
        .values_list("employee_id", "quiz_id", "state", "percentage", "started_at")
    ):
        course_key = (employee_id, course_of_page[quiz_id])
        last_attempt[course_key] = max(started_at, last_attempt.get(course_key, started_at))
        if state in Attempt.SCORED_STATES and percentage is not None and counts(employee_id, quiz_id, started_at):
            scored.setdefault((employee_id, quiz_id), []).append(Fraction(percentage))
            best[course_key] = max(percentage, best.get(course_key, percentage))
    policy = {quiz.pk: (quiz.grading_policy, quiz.pass_mark) for quiz in quizzes}
    passed = set()
    for (employee_id, quiz_id), percentages in scored.items():
        grading_policy, pass_mark = policy[quiz_id]
        grade = scoring.grade_over_attempts(grading_policy, percentages)
        if grade is not None and grade >= pass_mark:
            passed.add((employee_id, quiz_id))

    statuses = {}
    for row in rows:
        key = (row.employee_id, row.course_id)
        items = items_by_course[row.course_id]
        done = frozenset(
            item.pk
            for item in items
            if (row.employee_id, item.pk) in lesson_done or (row.employee_id, item.pk) in passed
        )
        progress = CourseProgress(course=row.course, items=items, done_ids=done)
        held = certificates.get(key, [])
        if row.reason == Assignment.Reason.RECERTIFICATION:
            # The course was done before; only activity since the assignment counts as a start.
            started = any(
                lesson_done.get((row.employee_id, item.pk), row.assigned_at) > row.assigned_at for item in items
            ) or last_attempt.get(key, row.assigned_at) > row.assigned_at
        else:
            started = progress.is_started or key in last_attempt
        days_left = (row.due_date - today).days
        if _completed(row, held):
            state = COMPLETED
        elif days_left < 0:
            state = OVERDUE
        elif started:
            state = IN_PROGRESS
        else:
            state = NOT_STARTED
        latest = held[-1] if held else None
        statuses[key] = AssignmentStatus(
            assignment=row,
            state=state,
            due_date=row.due_date,
            days_left=days_left,
            due_soon=state != COMPLETED and 0 <= days_left <= DUE_SOON_DAYS,
            progress=progress,
            best_score=best.get(key),
            certificate=latest,
            certificate_status=latest.status(now) if latest else None,
            cycle=current.get(key, cycles.FIRST),
        )
    return statuses


def assignment_statuses(*, employees, courses=None, today: date | None = None) -> dict[tuple[int, int], AssignmentStatus]:
    """Status of the latest assignment of each (employee, course) pair, keyed by
    (employee_id, course_id). `employees` and `courses` are QuerySets (kept as subqueries) or
    iterables of objects or ids; `courses=None` means every course. Six queries however many
    employees, courses, lessons, attempts or certificates (one when nothing is assigned)."""
    assignments = Assignment.objects.filter(employee__in=_id_filter(employees))
    if courses is not None:
        assignments = assignments.filter(course__in=_id_filter(courses))
    return statuses_of(assignments, today=today)


_URGENCY = {OVERDUE: 0, NOT_STARTED: 1, IN_PROGRESS: 1, COMPLETED: 2}


def _by_urgency(statuses, *, by_name: bool = False) -> list[AssignmentStatus]:
    def key(status):
        name = status.employee.full_name if by_name else ""
        return (_URGENCY[status.state], status.due_date, name, status.course.title, status.assignment.pk)

    return sorted(statuses, key=key)


def assignments_for(*, employee, today: date | None = None, include_completed: bool = False) -> list[AssignmentStatus]:
    """The employee's open assignments for "My learning": overdue first, then by due date.
    `employee` may be None (an account without an employee profile): no assignments. Six queries."""
    if employee is None:
        return []
    statuses = assignment_statuses(employees=[employee], today=today).values()
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


def latest_due_dates(*, employees, courses) -> dict[tuple[int, int], date]:
    """Due date of the latest assignment per (employee id, course id): one light query, for
    filtering and sorting large teams before full statuses are computed for one page."""
    rows = (
        Assignment.objects.filter(employee__in=_id_filter(employees), course__in=_id_filter(courses))
        .order_by("assigned_at", "pk")
        .values_list("employee_id", "course_id", "due_date")
    )
    return {(employee_id, course_id): due for employee_id, course_id, due in rows}
