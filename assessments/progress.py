"""Progress: the one place where "passed", "started", "completed", "overdue", "recertification
due", "expired" and a certificate's status are decided.

Each rule is a small pure function here, and each has two forms that callers read:
- per person (`quiz_standings`, `courses_progress`, `course_standings`): one employee, a few
  queries, for the pages an employee sees and for certification;
- set-based (`progress_matrix`, `course_states`, `progress_figure`, `assignments_overdue`,
  `certificate_status_q`): everyone a manager or HR sees, aggregated in SQL, for the team grid
  (its states, its progress sort), the reports and reminders.
Both forms end in the same pure functions (`quiz_passed`, `course_state`, `certificate_status`),
and `tests/assessments/test_progress_model.py` generates random histories to keep them in
agreement. Certification cycles (which work counts after a renewal opens) come from
`assessments.cycles`.

The workforce side owns assignments (`training.enrollment`), which this app may not import: an
assignment reaches these rules as a `Due` (when it was made, when it is due, whether it is a
recertification).
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db import connection
from django.db.models import Case, Count, DateTimeField, Exists, Expression, F, IntegerField, Max, OuterRef, Q, Value, When
from django.utils import timezone

from assessments import cycles, scoring
from assessments.models import Attempt, Certificate
from modules import selectors as module_selectors
from modules.course_tree import course_tree
from modules.models import CoursePage, LessonCompletion

# --- Certificate status ------------------------------------------------------------------------

VALID, EXPIRED, REVOKED = "valid", "expired", "revoked"
EXPIRING = "expiring"  # a report filter: valid, and expiring within some days


def certificate_status(certificate, now: datetime | None = None) -> str:
    """valid, expired or revoked on `now`: derived, never stored (`Certificate.status` asks here)."""
    if certificate.revoked_at:
        return REVOKED
    if certificate.expires_at and certificate.expires_at <= (now or timezone.now()):
        return EXPIRED
    return VALID


def certificate_status_q(status: str, *, now: datetime, expiring_within_days: int = 30) -> Q:
    """The set-based form of `certificate_status(c, now) == status` (plus EXPIRING: valid and
    expiring within the days given), as a filter on Certificate."""
    current = Q(revoked_at__isnull=True)
    if status == REVOKED:
        return Q(revoked_at__isnull=False)
    if status == EXPIRED:
        return current & Q(expires_at__lte=now)
    valid = current & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    if status == EXPIRING:
        return valid & Q(expires_at__lte=now + timedelta(days=expiring_within_days))
    if status == VALID:
        return valid
    raise ValueError(f"Unknown certificate status {status!r}")


# --- Quiz standing -----------------------------------------------------------------------------


def quiz_grade(policy: str, percentages) -> Fraction | None:
    """The grade over the percentages of the attempts that count, in order, under the quiz's
    grading policy (highest, latest, first, average); None without any."""
    return scoring.grade_over_attempts(policy, [Fraction(p) for p in percentages])


def quiz_passed(grade, pass_mark) -> bool:
    """Passed: a grade at or above the pass mark (exact: a Fraction or Decimal against a number)."""
    return grade is not None and grade >= pass_mark


# --- Course state ------------------------------------------------------------------------------

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
OVERDUE = "overdue"
RECERTIFICATION_DUE = "recertification_due"
EXPIRED_COURSE = "expired"
STATE_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    OVERDUE: "Overdue",
    COMPLETED: "Completed",
    RECERTIFICATION_DUE: "Recertification due",
    EXPIRED_COURSE: "Expired",
}


@dataclass(frozen=True)
class Due:
    """What the progress rules need of an employee's latest assignment of a course."""

    assigned_at: datetime
    due_date: date
    renewal: bool = False  # a recertification assignment


def certificate_completes(certificate, due: Due | None, now: datetime) -> bool:
    """Whether a certificate makes the course completed. Never when revoked. Without an
    assignment: while it is valid. For an assignment: issued on or after it was made; or, for a
    plain assignment, already valid when it was made (nothing left to do). A recertification
    needs a certificate newer than the assignment."""
    if certificate.revoked_at is not None:
        return False
    if due is None:
        return certificate.expires_at is None or certificate.expires_at > now
    if certificate.issued_at >= due.assigned_at:
        return True
    return not due.renewal and (certificate.expires_at is None or certificate.expires_at > due.assigned_at)


def started_in(cycle: cycles.Cycle, last_activity: datetime | None) -> bool:
    """Started: anything done (a lesson marked done, an attempt started) that counts in the cycle."""
    return last_activity is not None and cycle.counts(last_activity)


def course_state(*, certificates, due: Due | None, cycle: cycles.Cycle, started: bool, today: date, now: datetime) -> str:
    """The one definition of where an employee stands in a course:

    completed            a certificate completes it (`certificate_completes`);
    overdue              else, an assignment past its due date;
    in_progress          else, started in the current cycle (`started_in`);
    recertification_due  else, a renewal cycle open (the certificate expires within 30 days) ...
    expired              ... or the certificate it renews has expired;
    not_started          otherwise.
    """
    if any(certificate_completes(c, due, now) for c in certificates):
        return COMPLETED
    if due is not None and due.due_date < today:
        return OVERDUE
    if started:
        return IN_PROGRESS
    if cycle.recertification_due:
        return EXPIRED_COURSE if certificate_status(cycle.renews, now) == EXPIRED else RECERTIFICATION_DUE
    return NOT_STARTED


def assignments_overdue(assignments, *, today: date, renewal: Q):
    """The set-based form of `course_state(...) == OVERDUE` for an Assignment QuerySet (one row
    per employee and course): past the due date and no certificate completes it. `renewal` is
    the filter that picks recertification assignments (enrollment owns the model)."""
    current = Certificate.objects.filter(employee=OuterRef("employee"), course=OuterRef("course"), revoked_at__isnull=True)
    issued_since = current.filter(issued_at__gte=OuterRef("assigned_at"))
    valid_when_assigned = current.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=OuterRef("assigned_at")))
    return (
        assignments.filter(due_date__lt=today)
        .exclude(Exists(issued_since))
        .exclude(~renewal & Exists(valid_when_assigned))
    )


def moment_of(today: date | None) -> tuple[date, datetime]:
    """`today` and the moment certificates are judged at (now, or the start of another day)."""
    from datetime import time

    real_today = timezone.localdate()
    if today is None or today == real_today:
        return real_today, timezone.now()
    return today, timezone.make_aware(datetime.combine(today, time.min))

@dataclass(frozen=True)
class PersonRecord:
    """Everything progress is decided from for one employee: their certificates (oldest first),
    lesson completions as (lesson id, completed at), and attempts (oldest first, without the frozen
    questions). The per-person functions below take it (`record=`) so that a page asking several
    of them reads it once: three queries whatever the number of courses, lessons or attempts."""

    certificates: tuple = ()
    completions: tuple = ()
    attempts: tuple = ()


def person_record(*, employee) -> PersonRecord:
    if employee is None:
        return PersonRecord()
    return PersonRecord(
        certificates=tuple(Certificate.objects.filter(employee=employee).order_by("issued_at", "pk")),
        completions=tuple(LessonCompletion.objects.filter(employee=employee).values_list("lesson_id", "completed_at")),
        attempts=tuple(Attempt.objects.of(employee).defer("questions").order_by("started_at", "pk")),
    )


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


def quiz_standings(
    *, employee, quizzes, since: dict[int, datetime] | None = None, now=None, record: PersonRecord | None = None
) -> dict[int, QuizStanding]:
    """Standing per quiz id over the attempts of the employee's current certification cycle: a
    quiz in `since` (quiz id -> cycle start; computed by `quiz_counted_from` when not given)
    counts only attempts started from then on, for its grade and its allowance alike. Reads the
    employee's `record`; without it, one query for the attempts plus what `quiz_counted_from`
    costs when `since` is not given."""
    quizzes = list(quizzes)
    if employee is None or not quizzes:
        attempts = ()
    elif record is not None:
        attempts = record.attempts
    else:
        attempts = Attempt.objects.of(employee).filter(quiz__in=[q.pk for q in quizzes]).defer("questions").order_by("started_at", "pk")
    if since is None:
        since = quiz_counted_from(employee=employee, quizzes=quizzes, now=now, record=record)
    attempts_by_quiz: dict[int, list[Attempt]] = {quiz.pk: [] for quiz in quizzes}
    for attempt in attempts:
        if attempt.quiz_id in attempts_by_quiz and (attempt.quiz_id not in since or attempt.started_at >= since[attempt.quiz_id]):
            attempts_by_quiz[attempt.quiz_id].append(attempt)
    standings = {}
    for quiz in quizzes:
        attempts = attempts_by_quiz[quiz.pk]
        grade = quiz_grade(quiz.grading_policy, [a.percentage for a in attempts if a.state in Attempt.SCORED_STATES])
        standings[quiz.pk] = QuizStanding(
            grade=grade,
            passed=quiz_passed(grade, quiz.pass_mark),
            attempts_used=len(attempts),
            open_attempt=next((a for a in attempts if a.is_open), None),
            awaiting_grading=sum(1 for a in attempts if a.state == Attempt.State.AWAITING_GRADING),
        )
    return standings


def course_cycles(*, employee, courses, now=None, record: PersonRecord | None = None) -> dict[int, cycles.Cycle]:
    """The employee's current certification cycle per course id (see `assessments.cycles`).
    Reads the certificates of the employee's `record` (one query when not given)."""
    courses = list(courses)
    if employee is None or not courses:
        return {course.pk: cycles.FIRST for course in courses}
    course_ids = {course.pk for course in courses}
    held = record.certificates if record is not None else Certificate.objects.filter(employee=employee, course__in=course_ids)
    found = cycles.cycles_by_pair([c for c in held if c.course_id in course_ids], now=now)
    return {course.pk: found.get((employee.pk, course.pk), cycles.FIRST) for course in courses}


def quiz_counted_from(*, employee, quizzes, now=None, record: PersonRecord | None = None) -> dict[int, datetime]:
    """Quiz id -> the start of the cycle from which its attempts count, for quizzes that must be
    passed again in the employee's current cycle (`cycles.counted_from`). Reads the certificates
    of the employee's `record` (one query when not given), and the cached course tree: one more
    query when the employee holds a certificate of a course no longer published."""
    quizzes = list(quizzes)
    if employee is None or not quizzes:
        return {}
    course_paths = {quiz.path[: -CoursePage.steplen] for quiz in quizzes}
    held = list(record.certificates if record is not None else Certificate.objects.filter(employee=employee, course__path__in=course_paths))
    live = {course.pk: course for course in course_tree().courses}
    unknown = {c.course_id for c in held if c.course_id not in live}  # courses no longer published
    courses = {pk: course for pk, course in live.items() if course.path in course_paths}
    if unknown:
        courses |= CoursePage.objects.filter(pk__in=unknown, path__in=course_paths).in_bulk()
    certificates = [c for c in held if c.course_id in courses]
    found = cycles.cycles_by_pair(certificates, now=now)
    renewing = {c.course_id: courses[c.course_id] for c in certificates if found[(employee.pk, c.course_id)].starts_at is not None}
    if not renewing:
        return {}
    outlines = module_selectors.course_outlines(renewing.values())
    since = {}
    for course_id, course in renewing.items():
        since.update(cycles.counted_from(course, outlines[course_id], found[(employee.pk, course_id)]))
    return since


def courses_progress(*, employee, courses, now=None, record: PersonRecord | None = None) -> list[module_selectors.CourseProgress]:
    """Course progress in the employee's current certification cycle, where a quiz counts as done
    once passed under its grading policy. In a renewal cycle the final assessment (and, when the
    course repeats lessons, everything) counts only from the cycle's start; each progress carries
    its `cycle`. Reads the employee's `record` (three queries when not given) and the cached
    course tree."""
    courses = list(courses)
    if employee is not None and courses:
        record = record or person_record(employee=employee)
    current = course_cycles(employee=employee, courses=courses, now=now, record=record)
    by_id = {course.pk: course for course in courses}

    def counted_from(outlines):
        since = {}
        for course_id, items in outlines.items():
            since.update(cycles.counted_from(by_id[course_id], items, current[course_id]))
        return since

    def passed(quizzes, since):
        standings = quiz_standings(employee=employee, quizzes=quizzes, since=since, now=now, record=record)
        return {pk for pk, standing in standings.items() if standing.passed}

    progress = module_selectors.courses_progress(
        employee=employee, courses=courses, passed_quizzes=passed, counted_from=counted_from,
        completions=record.completions if record is not None else None,
    )
    return [replace(item, cycle=current[item.course.pk]) for item in progress]


def certificates_of(*, employee, record: PersonRecord | None = None) -> list[Certificate]:
    """The employee's certificates, oldest first (so a dict by course keeps the latest)."""
    if employee is None:
        return []
    if record is not None:
        return list(record.certificates)
    return list(Certificate.objects.filter(employee=employee).order_by("issued_at", "pk"))


@dataclass(frozen=True)
class CourseStanding:
    """The per-person form of a course's state: `progress` (what is done in the current cycle),
    the certificates held (oldest first) and the latest activity, read by `course_state`."""

    progress: module_selectors.CourseProgress
    certificates: tuple
    last_activity: datetime | None
    best_score: Decimal | None = None  # the best counted attempt's percentage in any quiz of the course

    @property
    def cycle(self) -> cycles.Cycle:
        return self.progress.cycle

    @property
    def cell(self) -> "CourseCell":
        """The same standing as the set-based form's row, for assignment lists."""
        return CourseCell(self.progress.done_count, self.progress.total, self.best_score, self.certificate,
                          self.cycle, self.certificates, started_in(self.cycle, self.last_activity))

    @property
    def certificate(self):
        return self.certificates[-1] if self.certificates else None

    def state_at(self, due: Due | None, today: date, now: datetime) -> str:
        return course_state(certificates=self.certificates, due=due, cycle=self.cycle,
                            started=started_in(self.cycle, self.last_activity), today=today, now=now)


def course_standings(*, employee, courses, now=None, record: PersonRecord | None = None) -> dict[int, CourseStanding]:
    """The per-person form: each course's progress, certificates and latest activity for one
    employee, by course id, from the employee's `record` (three queries when not given)."""
    courses = list(courses)
    if employee is not None and courses:
        record = record or person_record(employee=employee)
    progress = courses_progress(employee=employee, courses=courses, now=now, record=record)
    held: dict[int, list] = {}
    last: dict[int, datetime] = {}
    best: dict[int, Decimal] = {}
    if employee is not None and courses:
        for certificate in record.certificates:
            held.setdefault(certificate.course_id, []).append(certificate)
        course_of = {page.pk: item.course.pk for item in progress for page in item.items}
        for page_id, moment in [*record.completions, *((a.quiz_id, a.started_at) for a in record.attempts)]:
            course_id = course_of.get(page_id)
            if course_id is not None and (course_id not in last or moment > last[course_id]):
                last[course_id] = moment
        since = {pk: moment for item in progress for pk, moment in cycles.counted_from(item.course, item.items, item.cycle).items()}
        for attempt in record.attempts:
            course_id = course_of.get(attempt.quiz_id)
            if course_id is None or attempt.state not in Attempt.SCORED_STATES or attempt.percentage is None:
                continue
            if attempt.quiz_id not in since or attempt.started_at >= since[attempt.quiz_id]:
                best[course_id] = max(best.get(course_id, attempt.percentage), attempt.percentage)
    return {
        item.course.pk: CourseStanding(progress=item, certificates=tuple(held.get(item.course.pk, ())),
                                       last_activity=last.get(item.course.pk), best_score=best.get(item.course.pk))
        for item in progress
    }


class CourseCell(NamedTuple):
    """One employee's standing in one course, for grids and assignment lists (a tuple: grids make
    thousands). The set-based form's row; `state_at` reads it through `course_state`."""

    done: int
    total: int
    best_score: Decimal | None  # the best counted attempt's percentage in any quiz of the course
    certificate: Certificate | None  # the latest, of any cycle
    cycle: cycles.Cycle = cycles.FIRST
    certificates: tuple = ()  # all of the pair's certificates, oldest first
    started: bool = False  # `started_in` the pair's cycle

    @property
    def percent(self) -> int:
        return module_selectors.percent_done(self.done, self.total)

    @property
    def done_count(self) -> int:
        return self.done

    def state_at(self, due: Due | None, today: date, now: datetime) -> str:
        return course_state(certificates=self.certificates, due=due, cycle=self.cycle,
                            started=self.started, today=today, now=now)

    @property
    def best_score_percent(self):
        return None if self.best_score is None else round(float(self.best_score))


def _ids(employees):
    """A QuerySet of Employees stays a subquery; a list of Employees or ids becomes a list of ids."""
    if hasattr(employees, "values_list"):
        return employees.values("pk")
    return [getattr(e, "pk", e) for e in employees]


def progress_matrix(*, employees, courses, now=None, outlines=None) -> dict[tuple[int, int], CourseCell]:
    """Every (employee id, course id) cell in six queries (two more when anyone is in a renewal
    cycle), whatever the number of people: the
    set-based form of `courses_progress` (the same certification cycles, from `assessments.cycles`,
    and the same quiz rule, `quiz_passed`).

    `employees` may be a QuerySet (used as a subquery) or a list of Employees or ids. HR sees
    thousands of people with hundreds of thousands of completions and attempts, so SQL counts and
    takes maxima where it can, and the Python loops work on plain ids and values. Work that counts
    only from a cycle's start (the final assessment; everything in courses that repeat lessons)
    comes back with its moment and is judged in Python against the pair's cycle.
    """
    courses = list(courses)
    employee_filter = _ids(employees)
    outlines = outlines if outlines is not None else module_selectors.course_outlines(courses)
    course_of = {page.pk: course_id for course_id, items in outlines.items() for page in items}
    quizzes = {page.pk: page for items in outlines.values() for page in items if page.is_quiz}
    lesson_ids = [pk for pk in course_of if pk not in quizzes]
    repeating = {course.pk for course in courses if course.recertification_repeats_lessons}
    per_cycle = {  # pages done again in a renewal cycle (cycles.counted_from, for any cycle start)
        page.pk for course in courses for page in outlines[course.pk]
        if course.pk in repeating or page is cycles.final_assessment(outlines[course.pk])
    }
    certificates: dict[tuple[int, int], list[Certificate]] = {}
    for certificate in Certificate.objects.filter(employee__in=employee_filter, course__in=courses).order_by("issued_at", "pk"):
        certificates.setdefault((certificate.employee_id, certificate.course_id), []).append(certificate)
    current = {key: cycles.cycle_of(held, now=now) for key, held in certificates.items()}

    def counts(employee_id, course_id, moment):
        return current.get((employee_id, course_id), cycles.FIRST).counts(moment)

    # Started: any activity in a first cycle; in a renewal cycle, activity since its start, so
    # only those pairs need moments (datetimes are what make big fetches slow).
    active: set[tuple[int, int]] = set()
    renewing = {key: cycle for key, cycle in current.items() if cycle.starts_at is not None}
    course_of_lesson = Case(*(When(lesson_id=pk, then=Value(course_of[pk])) for pk in lesson_ids), output_field=IntegerField())
    repeated_lessons = [pk for pk in lesson_ids if pk in per_cycle]
    # Lessons done, counted in SQL per (employee id, course id); in courses that repeat lessons
    # per completion moment too, so Python can drop those from before the cycle's start.
    when_done = (
        Case(When(lesson_id__in=repeated_lessons, then=F("completed_at")), default=None, output_field=DateTimeField())
        if repeated_lessons
        else Value(None, output_field=DateTimeField())
    )
    done: dict[tuple[int, int], int] = {}
    lessons = LessonCompletion.objects.filter(employee__in=employee_filter, lesson_id__in=lesson_ids)
    attempts = Attempt.objects.filter(employee__in=employee_filter, quiz_id__in=list(quizzes))
    if lesson_ids:
        for employee_id, course_id, moment, count in (
            lessons.values("employee_id", course=course_of_lesson, moment=when_done)
            .annotate(count=Count("pk"))
            .values_list("employee_id", "course", "moment", "count")
        ):
            active.add((employee_id, course_id))
            if moment is None or counts(employee_id, course_id, moment):
                done[(employee_id, course_id)] = done.get((employee_id, course_id), 0) + count
    is_scored = Q(state__in=Attempt.SCORED_STATES)
    # Under the "highest" policy the grade is the best percentage, so SQL does it (per attempt
    # moment for quizzes counted per cycle, as for lessons); the other policies need every
    # percentage in order.
    highest = [pk for pk, q in quizzes.items() if q.grading_policy == scoring.HIGHEST]
    highest_per_cycle = [pk for pk in highest if pk in per_cycle]
    when_started = (
        Case(When(quiz_id__in=highest_per_cycle, then=F("started_at")), default=None, output_field=DateTimeField())
        if highest_per_cycle
        else Value(None, output_field=DateTimeField())
    )
    grades: dict[tuple[int, int], tuple[Fraction, Decimal]] = {}  # (employee id, quiz id) -> (grade, best)
    # Both read every attempt, scored or not, so that any attempt marks the pair as started.
    for employee_id, quiz_id, moment, top in (
        attempts.filter(quiz_id__in=highest)
        .values("employee_id", "quiz_id", moment=Case(When(is_scored, then=when_started), default=None, output_field=DateTimeField()))
        .annotate(best=Max("percentage", filter=is_scored))
        .values_list("employee_id", "quiz_id", "moment", "best")
    ):
        active.add((employee_id, course_of[quiz_id]))
        if top is None:
            continue  # no scored attempt (in this group)
        if moment is None or counts(employee_id, course_of[quiz_id], moment):
            top = max(grades.get((employee_id, quiz_id), (top, top))[1], top)
            grades[(employee_id, quiz_id)] = (top, top)  # quiz_grade(HIGHEST, ...) is the maximum, taken by SQL
    in_order: dict[tuple[int, int], list[Decimal]] = {}
    others_per_cycle = [pk for pk in quizzes if pk not in highest and pk in per_cycle]
    when_started = (
        Case(When(quiz_id__in=others_per_cycle, then=F("started_at")), default=None, output_field=DateTimeField())
        if others_per_cycle
        else Value(None, output_field=DateTimeField())
    )
    for employee_id, quiz_id, state, percentage, started_at in (
        attempts.filter(quiz_id__in=[pk for pk in quizzes if pk not in highest])
        .order_by("started_at", "pk")
        .values_list("employee_id", "quiz_id", "state", "percentage", when_started)
    ):
        active.add((employee_id, course_of[quiz_id]))
        if state not in Attempt.SCORED_STATES:
            continue
        if started_at is None or counts(employee_id, course_of[quiz_id], started_at):
            in_order.setdefault((employee_id, quiz_id), []).append(percentage)
    for (employee_id, quiz_id), percentages in in_order.items():
        grades[(employee_id, quiz_id)] = (quiz_grade(quizzes[quiz_id].grading_policy, percentages), max(percentages))
    if renewing:
        renewing_ids = sorted({employee_id for employee_id, _ in renewing})
        latest: dict[tuple[int, int], datetime] = {}
        for employee_id, page_id, moment in [
            *lessons.filter(employee_id__in=renewing_ids).order_by().values("employee_id", "lesson_id")
            .annotate(moment=Max("completed_at")).values_list("employee_id", "lesson_id", "moment"),
            *attempts.filter(employee_id__in=renewing_ids).order_by().values("employee_id", "quiz_id")
            .annotate(moment=Max("started_at")).values_list("employee_id", "quiz_id", "moment"),
        ]:
            key = (employee_id, course_of[page_id])
            if key in renewing and (key not in latest or moment > latest[key]):
                latest[key] = moment
        active -= {key for key, cycle in renewing.items() if not started_in(cycle, latest.get(key))}
    best: dict[tuple[int, int], Decimal] = {}
    for (employee_id, quiz_id), (grade, top) in grades.items():
        key = (employee_id, course_of[quiz_id])
        if quiz_passed(grade, quizzes[quiz_id].pass_mark):
            done[key] = done.get(key, 0) + 1
        best[key] = max(best.get(key, top), top)
    employee_ids = employee_filter.values_list("pk", flat=True) if hasattr(employee_filter, "values_list") else employee_filter
    totals = [(course.pk, len(outlines[course.pk])) for course in courses]
    cells = {}
    for employee_id in employee_ids:
        for course_id, total in totals:
            key = (employee_id, course_id)
            held = certificates.get(key, ())
            cells[key] = CourseCell(
                done.get(key, 0), total, best.get(key), held[-1] if held else None,
                current.get(key, cycles.FIRST), tuple(held), key in active,
            )
    return cells


# --- Course state in SQL: the set-based form of `course_state` -----------------------------------


@dataclass(frozen=True)
class AssignmentTable:
    """Where the SQL course state reads assignments, which the workforce side owns: the table (an
    (employee, course) pair's `Due` is its row with the highest id, as `latest_per_course`) and the
    reason that marks a recertification (`Due.renewal`)."""

    table: str
    renewal_reason: str


def _in(ids) -> str:
    """An SQL list of integer ids (ints from the database, so inlining them is safe)."""
    return ", ".join(str(int(pk)) for pk in ids) or "NULL"


def _renews_sql(employee: str, course_id: int) -> str:
    """SQL for the id of the certificate whose renewal opened the current cycle of `employee` (an
    id column) in the course (`cycles.cycle_of`'s `renews`: not revoked, its window open, latest
    by expiry, cycle and id), or NULL. One parameter: `cycles.renewal_open_before(today)`."""
    return f"""(SELECT c.id FROM {Certificate._meta.db_table} c WHERE c.employee_id = {employee} AND c.course_id = {int(course_id)}
     AND c.revoked_at IS NULL AND c.expires_at IS NOT NULL AND c.expires_at < %s
     ORDER BY c.expires_at DESC, c.cycle DESC, c.id DESC LIMIT 1)"""


def _in_cycle_sql(renews: str, column: str) -> tuple[str, list]:
    """SQL for `Cycle.counts(column)` in the renewal cycle opened by the certificate aliased
    `renews`: the moment's local date is on or after the day the window opened (the cycle starts
    at that day's local midnight, `cycles.renewal_opens_on`)."""
    ops, tzname = connection.ops, timezone.get_current_timezone_name()
    day, day_params = ops.datetime_cast_date_sql(column, (), tzname)
    renewal_day, renewal_params = ops.datetime_cast_date_sql(f"{renews}.expires_at", (), tzname)
    if connection.vendor == "sqlite":
        opens_on = f"date({renewal_day}, '-{cycles.RENEWAL_WINDOW_DAYS} days')"
    else:
        opens_on = f"({renewal_day} - {cycles.RENEWAL_WINDOW_DAYS})"
    return f"{day} >= {opens_on}", [*day_params, *renewal_params]


def course_states(*, employees, courses, assignments: AssignmentTable, today: date, now: datetime, outlines=None) -> dict[int, tuple]:
    """Employee id -> one (state, the latest assignment's due date or None) per course, in the
    order of `courses`, for everyone in `employees` (a QuerySet, kept as a subquery, or a list of
    Employees or ids): `course_state` decided by the database in one query whatever the number of
    people, so a grid over thousands reads one small row per person instead of their history.
    Each WHEN below is one line of `course_state`, in its order;
    `tests/assessments/test_progress_model.py` keeps the two forms equal.

    A cell's cycle (`cycles.cycle_of`) is its `renews` certificate: the one, not revoked, whose
    renewal window has opened (`cycles.renewal_open_before`), latest by (expiry, cycle, id); it is
    met by the latest certificate of the next cycle number when that one is not revoked. Work
    counts in a renewal cycle when its local date is on or after the window's first day (the
    cycle starts at that day's local midnight)."""
    courses = list(courses)
    if not courses:
        return {}
    if hasattr(employees, "values_list"):
        people_sql, people_params = employees.order_by().values("pk").query.sql_with_params()
    else:
        people_sql, people_params = _in(getattr(e, "pk", e) for e in employees), ()
    outlines = outlines if outlines is not None else module_selectors.course_outlines(courses)
    certificate, lesson, attempt = Certificate._meta.db_table, LessonCompletion._meta.db_table, Attempt._meta.db_table
    employee = Certificate._meta.get_field("employee").related_model._meta.db_table
    now_value, today_value = connection.ops.adapt_datetimefield_value(now), connection.ops.adapt_datefield_value(today)
    open_before = connection.ops.adapt_datetimefield_value(cycles.renewal_open_before(timezone.localdate(now)))
    columns, column_params, lookups, lookup_params, joins = [], [], [], [], []
    for n, course in enumerate(courses):
        course_id, items = int(course.pk), outlines[course.pk]
        lessons, quizzes = _in(p.pk for p in items if not p.is_quiz), _in(p.pk for p in items if p.is_quiz)
        d, r = f"d{n}", f"r{n}"  # the pair's latest assignment and the certificate its cycle renews
        completed_in_cycle, completed_params = _in_cycle_sql(r, "l.completed_at")
        started_in_cycle, started_params = _in_cycle_sql(r, "t.started_at")
        pair = f"employee_id = p.employee_id AND {{0}}.course_id = {course_id}"
        columns.append(f"""CASE
  WHEN EXISTS (SELECT 1 FROM {certificate} c WHERE c.{pair.format('c')} AND c.revoked_at IS NULL
               AND (({d}.id IS NULL AND (c.expires_at IS NULL OR c.expires_at > %s))
                    OR c.issued_at >= {d}.assigned_at
                    OR ({d}.reason <> %s AND (c.expires_at IS NULL OR c.expires_at > {d}.assigned_at))))
    THEN '{COMPLETED}'
  WHEN {d}.due_date < %s THEN '{OVERDUE}'
  WHEN {r}.id IS NULL AND (
      EXISTS (SELECT 1 FROM {lesson} l WHERE l.employee_id = p.employee_id AND l.lesson_id IN ({lessons}))
      OR EXISTS (SELECT 1 FROM {attempt} t WHERE t.employee_id = p.employee_id AND t.quiz_id IN ({quizzes})))
    THEN '{IN_PROGRESS}'
  WHEN {r}.id IS NOT NULL AND (
      EXISTS (SELECT 1 FROM {lesson} l WHERE l.employee_id = p.employee_id AND l.lesson_id IN ({lessons})
              AND {completed_in_cycle})
      OR EXISTS (SELECT 1 FROM {attempt} t WHERE t.employee_id = p.employee_id AND t.quiz_id IN ({quizzes})
                 AND {started_in_cycle}))
    THEN '{IN_PROGRESS}'
  WHEN {r}.id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM {certificate} m WHERE m.{pair.format('m')} AND m.cycle = {r}.cycle + 1 AND m.revoked_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM {certificate} o WHERE o.{pair.format('o')} AND o.cycle = m.cycle
                      AND (o.issued_at > m.issued_at OR (o.issued_at = m.issued_at AND o.id > m.id))))
    THEN CASE WHEN {r}.expires_at <= %s THEN '{EXPIRED_COURSE}' ELSE '{RECERTIFICATION_DUE}' END
  ELSE '{NOT_STARTED}'
END, {d}.due_date""")
        column_params += [now_value, assignments.renewal_reason, today_value, *completed_params, *started_params, now_value]
        lookups.append(f"""(SELECT a.id FROM {assignments.table} a WHERE a.employee_id = e.id AND a.course_id = {course_id}
     ORDER BY a.id DESC LIMIT 1) AS due{n},
    {_renews_sql("e.id", course_id)} AS renews{n}""")
        lookup_params.append(open_before)
        joins.append(f"LEFT JOIN {assignments.table} {d} ON {d}.id = p.due{n} LEFT JOIN {certificate} {r} ON {r}.id = p.renews{n}")
    sql = (
        f"SELECT p.employee_id, {', '.join(columns)}\n"
        f"FROM (SELECT e.id AS employee_id, {', '.join(lookups)} FROM {employee} e WHERE e.id IN ({people_sql})) p\n"
        + "\n".join(joins)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*column_params, *lookup_params, *people_params])
        rows = cursor.fetchall()
    def as_date(value):  # SQLite may give the text
        return date.fromisoformat(value) if isinstance(value, str) else value

    return {row[0]: tuple((row[i], as_date(row[i + 1])) for i in range(1, len(row), 2)) for row in rows}


# --- Progress in SQL: the set-based form of `CourseCell.percent`, for the team grid's sort --------


def _quizzes_passed_sql(quizzes, counted) -> str:
    """SQL for how many of `quizzes` the employee has passed (`quiz_passed(quiz_grade(policy,
    percentages), pass_mark)`) over the scored attempts that count: `counted(quiz)` is the SQL
    condition (alias t) picking that quiz's. One line per grading policy: under "highest" one
    attempt at the pass mark is enough, so those quizzes share one count; "first" and "latest"
    read one attempt in order; "average" is compared exactly, in units of the percentage's last
    decimal place (SQLite may hold floats)."""
    scored = ", ".join(f"'{state}'" for state in Attempt.SCORED_STATES)
    attempts = f"FROM {Attempt._meta.db_table} t WHERE t.employee_id = {{employee}} AND t.state IN ({scored})"
    terms = []
    highest = [quiz for quiz in quizzes if quiz.grading_policy == scoring.HIGHEST]
    if highest:
        passing = " OR ".join(f"({counted(quiz)} AND t.percentage >= {int(quiz.pass_mark)})" for quiz in highest)
        terms.append(f"(SELECT COUNT(DISTINCT t.quiz_id) {attempts} AND ({passing}))")
    for quiz in (quiz for quiz in quizzes if quiz.grading_policy != scoring.HIGHEST):
        mark, policy, own = int(quiz.pass_mark), quiz.grading_policy, f"{attempts} AND {counted(quiz)}"
        if policy in (scoring.FIRST, scoring.LATEST):
            order = "" if policy == scoring.FIRST else " DESC"
            passed = f"(SELECT t.percentage {own} ORDER BY t.started_at{order}, t.id{order} LIMIT 1) >= {mark}"
        elif policy == scoring.AVERAGE:
            unit = 10 ** Attempt._meta.get_field("percentage").decimal_places
            passed = f"EXISTS (SELECT 1 {own} GROUP BY t.employee_id HAVING ROUND(SUM(t.percentage) * {unit}) >= {mark * unit} * COUNT(*))"
        else:
            raise ValueError(f"Unknown grading policy {policy!r}")
        terms.append(f"CASE WHEN {passed} THEN 1 ELSE 0 END")
    return " + ".join(terms) or "0"


class _PerEmployee(Expression):
    """SQL about each employee of the QuerySet it annotates: `{employee}` in `sql` stands for the
    employee's id column, under whatever alias the query gives it."""

    def __init__(self, sql: str, params: list):
        super().__init__(output_field=IntegerField())
        self.sql, self.params, self.employee = sql, params, F("pk")

    def get_source_expressions(self):
        return [self.employee]

    def set_source_expressions(self, expressions):
        (self.employee,) = expressions

    def as_sql(self, compiler, connection):
        column, _ = compiler.compile(self.employee)  # a column: no parameters
        return self.sql.replace("{employee}", column), self.params


def progress_figure(*, courses, now: datetime, outlines=None):
    """The team grid's progress figure, to annotate an Employee QuerySet with (and sort by): the
    sum over `courses` of each course's `percent_done`, counting, as `courses_progress` does per
    person and `progress_matrix` per page, the lessons done and the quizzes passed under their
    grading policy (`_quizzes_passed_sql`) in the person's current certification cycle (work on
    the pages `cycles.counted_from` names counts from the cycle's start). One subquery per
    person, so the database sorts thousands without sending their history;
    `tests/assessments/test_progress_model.py` keeps it equal to the per-person form."""
    courses = list(courses)
    if not courses:
        return Value(0, output_field=IntegerField())
    outlines = outlines if outlines is not None else module_selectors.course_outlines(courses)
    lesson, certificate = LessonCompletion._meta.db_table, Certificate._meta.db_table
    open_before = connection.ops.adapt_datetimefield_value(cycles.renewal_open_before(timezone.localdate(now)))
    figures, params, joins = [], [], []
    for n, course in enumerate(courses):
        items, r = outlines[course.pk], f"r{n}"  # r: the certificate the pair's cycle renews, if any
        final = cycles.final_assessment(items)
        per_cycle = {page.pk for page in items if course.recertification_repeats_lessons or page is final}

        def in_cycle(column):
            sql, sql_params = _in_cycle_sql(r, column)
            params.extend(sql_params)
            return f"({r}.id IS NULL OR {sql})"

        done = []
        lessons = [page.pk for page in items if not page.is_quiz]
        if lessons:
            done.append(f"""(SELECT COUNT(*) FROM {lesson} l WHERE l.employee_id = {{employee}}
  AND (l.lesson_id IN ({_in(pk for pk in lessons if pk not in per_cycle)})
       OR (l.lesson_id IN ({_in(pk for pk in lessons if pk in per_cycle)}) AND {in_cycle("l.completed_at")})))""")
        quizzes = [page for page in items if page.is_quiz]
        if quizzes:
            done.append(_quizzes_passed_sql(
                quizzes, lambda quiz: f"t.quiz_id = {int(quiz.pk)}" + (f" AND {in_cycle('t.started_at')}" if quiz.pk in per_cycle else "")
            ))
        percents = " ".join(f"WHEN {k} THEN {module_selectors.percent_done(k, len(items))}" for k in range(len(items) + 1))
        figures.append(f"CASE {' + '.join(done) or '0'} {percents} ELSE 0 END")
        joins.append(f"LEFT JOIN {certificate} {r} ON {r}.id = {_renews_sql('{employee}', course.pk)}")
    sql = f"(SELECT {' + '.join(figures)} FROM (SELECT 1 AS one) o {' '.join(joins)})"
    return _PerEmployee(sql, [*params, *[open_before] * len(courses)])
