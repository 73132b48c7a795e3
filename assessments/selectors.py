"""Reads of quiz results and course progress including quizzes."""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Avg, Case, Count, DateTimeField, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Length, Substr
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from assessments import cycles, scoring
from assessments.models import Attempt, Certificate, Response, TimeAccommodation
from assessments.scoring import statistics
from modules import selectors as module_selectors
from modules.models import CoursePage, LessonCompletion, QuizPage
from training.people.selectors import employees_visible_to, is_hr


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


@dataclass(frozen=True)
class TimeLimit:
    """A person's time limit on a quiz: the quiz's own, or extended by their accommodation."""

    minutes: int
    standard_minutes: int
    accommodation: TimeAccommodation | None = None

    @property
    def extended(self) -> bool:
        return self.minutes != self.standard_minutes


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
    grants = TimeAccommodation.objects.current().filter(Q(quiz=quiz) | Q(quiz__isnull=True), employee=employee)
    grant = min(grants, key=lambda g: g.quiz_id is None, default=None)  # this quiz's own grant first
    if grant is None:
        return TimeLimit(minutes=standard, standard_minutes=standard)
    return TimeLimit(minutes=grant.minutes_for(standard), standard_minutes=standard, accommodation=grant)


def quiz_standings(*, employee, quizzes, since: dict[int, datetime] | None = None, now=None) -> dict[int, QuizStanding]:
    """Standing per quiz id over the attempts of the employee's current certification cycle: a
    quiz in `since` (quiz id -> cycle start; computed by `quiz_counted_from` when not given)
    counts only attempts started from then on, for its grade and its allowance alike. One query
    for any number of quizzes, plus what `quiz_counted_from` costs."""
    quizzes = list(quizzes)
    if since is None:
        since = quiz_counted_from(employee=employee, quizzes=quizzes, now=now)
    attempts_by_quiz: dict[int, list[Attempt]] = {quiz.pk: [] for quiz in quizzes}
    if employee is not None and quizzes:
        for attempt in Attempt.objects.of(employee).filter(quiz__in=[q.pk for q in quizzes]).order_by("started_at", "pk"):
            if attempt.quiz_id not in since or attempt.started_at >= since[attempt.quiz_id]:
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


def course_cycles(*, employee, courses, now=None) -> dict[int, cycles.Cycle]:
    """The employee's current certification cycle per course id (see `assessments.cycles`).
    One query (none without an employee)."""
    courses = list(courses)
    if employee is None or not courses:
        return {course.pk: cycles.FIRST for course in courses}
    found = cycles.cycles_by_pair(
        Certificate.objects.filter(employee=employee, course__in=[course.pk for course in courses]), now=now
    )
    return {course.pk: found.get((employee.pk, course.pk), cycles.FIRST) for course in courses}


def quiz_counted_from(*, employee, quizzes, now=None) -> dict[int, datetime]:
    """Quiz id -> the start of the cycle from which its attempts count, for quizzes that must be
    passed again in the employee's current cycle (`cycles.counted_from`). One query; two more
    when one of their courses is in a renewal cycle."""
    quizzes = list(quizzes)
    if employee is None or not quizzes:
        return {}
    course_paths = {quiz.path[: -CoursePage.steplen] for quiz in quizzes}
    certificates = list(Certificate.objects.filter(employee=employee, course__path__in=course_paths).select_related("course"))
    found = cycles.cycles_by_pair(certificates, now=now)
    renewing = {c.course_id: c.course for c in certificates if found[(employee.pk, c.course_id)].starts_at is not None}
    if not renewing:
        return {}
    outlines = module_selectors.course_outlines(renewing.values())
    since = {}
    for course_id, course in renewing.items():
        since.update(cycles.counted_from(course, outlines[course_id], found[(employee.pk, course_id)]))
    return since


def courses_progress(*, employee, courses, now=None) -> list[module_selectors.CourseProgress]:
    """Course progress in the employee's current certification cycle, where a quiz counts as done
    once passed under its grading policy. In a renewal cycle the final assessment (and, when the
    course repeats lessons, everything) counts only from the cycle's start; each progress carries
    its `cycle`. One query more than `modules.selectors.courses_progress` plus the attempts."""
    courses = list(courses)
    current = course_cycles(employee=employee, courses=courses, now=now)
    by_id = {course.pk: course for course in courses}

    def counted_from(outlines):
        since = {}
        for course_id, items in outlines.items():
            since.update(cycles.counted_from(by_id[course_id], items, current[course_id]))
        return since

    def passed(quizzes, since):
        standings = quiz_standings(employee=employee, quizzes=quizzes, since=since, now=now)
        return {pk for pk, standing in standings.items() if standing.passed}

    progress = module_selectors.courses_progress(
        employee=employee, courses=courses, passed_quizzes=passed, counted_from=counted_from
    )
    return [replace(item, cycle=current[item.course.pk]) for item in progress]


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


def certificates_of(*, employee) -> list[Certificate]:
    """The employee's certificates, oldest first (so a dict by course keeps the latest)."""
    if employee is None:
        return []
    return list(Certificate.objects.filter(employee=employee).order_by("issued_at", "pk"))


class CourseCell(NamedTuple):
    """One employee's standing in one course, for team grids (a tuple: grids make thousands)."""

    done: int
    total: int
    best_score: Decimal | None  # the best counted attempt's percentage in any quiz of the course
    certificate: Certificate | None  # the latest, of any cycle
    cycle: cycles.Cycle = cycles.FIRST

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def state(self) -> str:
        """A valid certificate keeps the cell completed until it expires, even while its
        recertification is due (`cycle.recertification_due` says so next to it)."""
        if self.certificate is not None and self.certificate.status() == "valid":
            return "completed"
        if self.total and self.done == self.total:
            return "completed"
        return "in_progress" if self.done or self.best_score is not None else "not_started"

    @property
    def best_score_percent(self):
        return None if self.best_score is None else round(float(self.best_score))


def progress_matrix(*, employees, courses, now=None) -> dict[tuple[int, int], CourseCell]:
    """Every (employee id, course id) cell in six queries, whatever the number of people: the set-
    based form of `courses_progress` (the same certification cycles, from `assessments.cycles`).

    `employees` may be a QuerySet (used as a subquery) or a list of Employees. HR sees thousands of
    people with hundreds of thousands of completions and attempts, so SQL counts and takes maxima
    where it can, and the Python loops work on plain ids and values. Work that counts only from a
    cycle's start (the final assessment; everything in courses that repeat lessons) comes back
    with its moment and is judged in Python against the pair's cycle.
    """
    courses = list(courses)
    outlines = module_selectors.course_outlines(courses)
    course_of = {page.pk: course_id for course_id, items in outlines.items() for page in items}
    quizzes = {page.pk: page for items in outlines.values() for page in items if page.is_quiz}
    lesson_ids = [pk for pk in course_of if pk not in quizzes]
    repeating = {course.pk for course in courses if course.recertification_repeats_lessons}
    per_cycle = {  # pages done again in a renewal cycle (cycles.counted_from, for any cycle start)
        page.pk for course in courses for page in outlines[course.pk]
        if course.pk in repeating or page is cycles.final_assessment(outlines[course.pk])
    }
    all_certificates = list(Certificate.objects.filter(employee__in=employees, course__in=courses).order_by("issued_at", "pk"))
    certificates = {(c.employee_id, c.course_id): c for c in all_certificates}
    current = cycles.cycles_by_pair(all_certificates, now=now)

    def counts(employee_id, course_id, moment):
        return current.get((employee_id, course_id), cycles.FIRST).counts(moment)

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
    for employee_id, course_id, moment, count in (
        LessonCompletion.objects.filter(employee__in=employees, lesson_id__in=lesson_ids)
        .values("employee_id", course=course_of_lesson, moment=when_done)
        .annotate(count=Count("pk"))
        .values_list("employee_id", "course", "moment", "count")
    ):
        if moment is None or counts(employee_id, course_id, moment):
            done[(employee_id, course_id)] = done.get((employee_id, course_id), 0) + count
    scored = Attempt.objects.filter(employee__in=employees, state__in=Attempt.SCORED_STATES)
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
    grades: dict[tuple[int, int], tuple[Decimal, Decimal]] = {}  # (employee id, quiz id) -> (grade, best)
    for employee_id, quiz_id, moment, top in (
        scored.filter(quiz_id__in=highest)
        .values("employee_id", "quiz_id", moment=when_started)
        .annotate(best=Max("percentage"))
        .values_list("employee_id", "quiz_id", "moment", "best")
    ):
        if moment is None or counts(employee_id, course_of[quiz_id], moment):
            top = max(grades.get((employee_id, quiz_id), (top, top))[1], top)
            grades[(employee_id, quiz_id)] = (top, top)
    in_order: dict[tuple[int, int], list[Decimal]] = {}
    for employee_id, quiz_id, percentage, started_at in (
        scored.filter(quiz_id__in=[pk for pk in quizzes if pk not in highest])
        .order_by("started_at", "pk")
        .values_list("employee_id", "quiz_id", "percentage", "started_at")
    ):
        if quiz_id not in per_cycle or counts(employee_id, course_of[quiz_id], started_at):
            in_order.setdefault((employee_id, quiz_id), []).append(percentage)
    for (employee_id, quiz_id), percentages in in_order.items():
        grade = scoring.grade_over_attempts(quizzes[quiz_id].grading_policy, [Fraction(p) for p in percentages])
        grades[(employee_id, quiz_id)] = (grade, max(percentages))
    best: dict[tuple[int, int], Decimal] = {}
    for (employee_id, quiz_id), (grade, top) in grades.items():
        key = (employee_id, course_of[quiz_id])
        if grade >= quizzes[quiz_id].pass_mark:  # a Decimal or a Fraction against a whole number: exact
            done[key] = done.get(key, 0) + 1
        best[key] = max(best.get(key, top), top)
    employee_ids = employees.values_list("pk", flat=True) if hasattr(employees, "values_list") else [e.pk for e in employees]
    totals = [(course.pk, len(outlines[course.pk])) for course in courses]
    return {
        (employee_id, course_id): CourseCell(
            done.get((employee_id, course_id), 0),
            total,
            best.get((employee_id, course_id)),
            certificates.get((employee_id, course_id)),
            current.get((employee_id, course_id), cycles.FIRST),
        )
        for employee_id in employee_ids
        for course_id, total in totals
    }


# --- Question statistics per quiz (editors and HR) ------------------------------------------


@dataclass(frozen=True)
class ChoiceStatistics:
    id: str
    label: str
    is_correct: bool
    count: int  # attempts that picked it
    share: Fraction  # of the attempts asked the question

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class QuestionStatistics:
    position: int  # 1-based: the live quiz's order, then questions since removed from it
    id: str
    prompt: str
    kind: str
    times_asked: int
    unanswered: int
    facility: Fraction | None
    discrimination: float | None
    choices: tuple[ChoiceStatistics, ...]  # single and multiple choice only
    weak_reasons: tuple[str, ...]

    @property
    def weak(self) -> bool:
        return bool(self.weak_reasons)

    @property
    def kind_label(self) -> str:
        """The question block's label, as editors know it."""
        block = QuizPage._meta.get_field("questions").stream_block.child_blocks.get(self.kind)
        return str(block.label) if block else self.kind

    @property
    def facility_percent(self):
        return None if self.facility is None else round(float(self.facility) * 100, 1)

    @property
    def discrimination_display(self) -> str:
        """Two decimals, rounded down, so a value flagged as below 0.2 never shows as 0.20."""
        if self.discrimination is None:
            return ""
        return str(Decimal(str(self.discrimination)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class QuizStatistics:
    quiz: QuizPage
    attempt_count: int
    mean_percentage: Fraction | None
    distribution: tuple[int, ...]  # scoring.statistics.score_distribution bins
    questions: tuple[QuestionStatistics, ...]

    @property
    def mean_percent(self):
        return None if self.mean_percentage is None else round(float(self.mean_percentage), 1)


CHOICE_KINDS = ("single_choice", "multiple_choice")


def _choice_key(choice, live_keys: dict) -> str:
    """Choices are followed by id. Choices stored without list-item ids get fresh ids each time the
    quiz loads, so a choice whose id the live quiz does not know is matched by its text."""
    return live_keys.get(choice.id) or live_keys.get(choice.text) or f"text:{choice.text}"


def _picked_keys(value, keys: dict):
    """A choice answer (an id, or a list of ids) as choice keys; None stays None."""
    if value is None:
        return None
    return [keys[choice_id] for choice_id in ([value] if isinstance(value, str) else value) if choice_id in keys]


def quiz_statistics(*, quiz) -> QuizStatistics:
    """Per-question facility, discrimination and choice picks, and the score distribution, over
    the quiz's scored attempts. Two queries, whatever the number of attempts.

    Questions are matched across attempts by their id in the frozen spec; texts and answer keys
    come from the latest attempt that asked them (questions never asked yet: the live quiz).
    """
    attempts = list(
        Attempt.objects.scored().for_quiz(quiz).order_by("started_at", "pk").values_list("pk", "questions", "percentage")
    )
    answers = {
        (attempt_id, question_id): (value, points)
        for attempt_id, question_id, value, points in Response.objects.filter(
            attempt__quiz=quiz, attempt__state__in=Attempt.SCORED_STATES
        ).values_list("attempt_id", "question_id", "value", "points")
    }
    live = {spec.id: spec for spec in quiz.question_specs()}
    live_keys = {
        spec.id: {c.id: c.id for c in spec.choices} | {c.text: c.id for c in spec.choices}
        for spec in live.values()
        if spec.kind in CHOICE_KINDS
    }
    latest: dict[str, scoring.Question] = dict(live)
    choices_seen: dict[str, dict[str, scoring.Choice]] = {  # question id -> choice key -> latest choice
        question_id: {c.id: c for c in live[question_id].choices} for question_id in live_keys
    }
    scores: list[dict[str, tuple[Fraction, Fraction]]] = []
    values: dict[str, list] = {}
    for attempt_id, questions, _ in attempts:
        attempt_scores = {}
        for data in questions:
            spec = scoring.question_from_data(data)
            latest[spec.id] = spec
            value, points = answers.get((attempt_id, spec.id), (None, None))
            attempt_scores[spec.id] = (Fraction(points or 0), spec.max_points)
            if spec.kind in CHOICE_KINDS:
                keys = {c.id: _choice_key(c, live_keys.get(spec.id, {})) for c in spec.choices}
                choices_seen.setdefault(spec.id, {}).update({keys[c.id]: c for c in spec.choices})
                value = _picked_keys(value, keys)
            values.setdefault(spec.id, []).append(value)
        scores.append(attempt_scores)

    order = list(live) + [question_id for question_id in latest if question_id not in live]
    rows = []
    for position, question_id in enumerate(order, start=1):
        spec = latest[question_id]
        figures = statistics.question_figures(scores, question_id)
        given = values.get(question_id, [])
        choices = ()
        if spec.kind in CHOICE_KINDS:
            picks = statistics.choice_picks(given)
            seen = choices_seen.get(question_id, {})
            # The live quiz's order first (its choices were put in first), then the rest by text.
            editor_order = [c.id for c in getattr(live.get(question_id), "choices", ())]
            keys = editor_order + sorted((key for key in seen if key not in editor_order), key=lambda key: seen[key].text)
            choices = tuple(
                ChoiceStatistics(
                    id=key,
                    label=seen[key].text,
                    is_correct=seen[key].correct,
                    count=picks[key],
                    share=Fraction(picks[key], len(given)) if given else Fraction(0),
                )
                for key in keys
            )
        rows.append(
            QuestionStatistics(
                position=position,
                id=question_id,
                prompt=spec.prompt,
                kind=spec.kind,
                times_asked=figures.times_asked,
                unanswered=sum(1 for value in given if value is None),
                facility=figures.facility,
                discrimination=figures.discrimination,
                choices=choices,
                weak_reasons=figures.weak_reasons,
            )
        )
    percentages = [Fraction(percentage) for _, _, percentage in attempts]
    return QuizStatistics(
        quiz=quiz,
        attempt_count=len(attempts),
        mean_percentage=sum(percentages, Fraction(0)) / len(percentages) if percentages else None,
        distribution=statistics.score_distribution(percentages),
        questions=tuple(rows),
    )


def quizzes_for_statistics(*, user):
    """QuizPages whose statistics `user` may see: all for HR and superusers, else those they can edit."""
    if not user.is_authenticated:
        return QuizPage.objects.none()
    if is_hr(user):
        return QuizPage.objects.all()
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return QuizPage.objects.filter(pk__in=editable.values("pk"))


def quiz_statistics_summaries(*, user):
    """The quizzes of quizzes_for_statistics in tree order, each annotated with course_title,
    scored_attempts and mean_percentage (None without scored attempts), in one query."""
    scored = Q(attempts__state__in=Attempt.SCORED_STATES)
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    return (
        quizzes_for_statistics(user=user)
        .annotate(
            course_title=Subquery(Page.objects.filter(path=parent_path).values("title")[:1]),
            scored_attempts=Count("attempts", filter=scored),
            mean_percentage=Avg("attempts__percentage", filter=scored),
        )
        .order_by("path")
    )


def can_see_quiz_statistics(*, user, quiz) -> bool:
    """HR and superusers see every quiz's statistics; editors those of the quizzes they can edit.
    `quiz` may be a plain Page of a quiz (page listings)."""
    return user.is_authenticated and (quiz.permissions_for_user(user).can_edit() or is_hr(user))


def can_see_any_quiz_statistics(*, user) -> bool:
    """HR and superusers, and anyone who can edit at least one quiz (the list and its menu item)."""
    return user.is_authenticated and (is_hr(user) or quizzes_for_statistics(user=user).exists())
