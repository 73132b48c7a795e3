"""Property test of the progress read model (assessments/progress.py): random histories of lessons,
attempts under all four grading policies, certificates issued, expired and revoked, assignments
with due dates and recertification cycles (due, expired, overdue); the per-person form, the
set-based forms, the assignment statuses, the Overdue report's query, the certificate status
filter and the team grid must all tell the same state, and the same progress. A seeded generator keeps each run reproducible: a failure names
its seed and person."""

import random
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments import scoring
from assessments.models import Attempt, Certificate
from assessments.progress import (
    EXPIRED,
    EXPIRING,
    OVERDUE,
    RECERTIFICATION_DUE,
    REVOKED,
    STATE_LABELS,
    VALID,
    certificate_status,
    certificate_status_q,
    course_standings,
    progress_figure,
    progress_matrix,
    quiz_standings,
)
from modules.models import LessonCompletion, QuizPage
from tests.assessments.conftest import single
from tests.factories import EmployeeFactory, add_course, add_lesson
from training.enrollment.models import Assignment
from training.dashboards.selectors import team_grid
from training.enrollment.selectors import assignment_statuses, assignments_for, course_states, due_of, overdue_assignments
from training.people.models import Employee
from training.people.selectors import employees_visible_to

pytestmark = pytest.mark.django_db

POLICIES = [scoring.HIGHEST, scoring.LATEST, scoring.FIRST, scoring.AVERAGE]
PEOPLE = 14
DAY = timedelta(days=1)


def add_quiz(course, rng, title):
    quiz = QuizPage(
        title=title, questions=[{"type": t, "value": v} for t, v in [single()]],
        grading_policy=rng.choice(POLICIES), pass_mark=rng.choice([50, 70, 80]),
    )
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def build_courses(catalog, rng):
    """Two courses: one keeps lessons done on renewal, one repeats them; a final assessment each."""
    courses = []
    for index, repeats in enumerate((False, True)):
        course = add_course(catalog, title=f"Property course {index}", recertification_repeats_lessons=repeats,
                            certificate_validity_months=12)
        add_lesson(course, title="Lesson one")
        add_quiz(course, rng, "Lesson quiz")
        add_lesson(course, title="Lesson two")
        add_quiz(course, rng, "Final assessment")
        courses.append(course)
    return courses


def history(employee, course, rng, now, manager):
    """A random history of one person in one course. Some people are lapsed: certified about a
    year ago and nothing done since, so their renewal is open and unstarted (recertification due,
    or expired, or overdue once assigned and past due)."""
    pages = list(course.get_children().live().specific().order_by("path"))
    idle = rng.random() < 0.3  # some people have done nothing yet
    lapsed = not idle and rng.random() < 0.4

    def days_ago():
        return rng.randint(400, 800) if lapsed else rng.randint(0, 800)

    for page in [] if idle else pages:
        if isinstance(page, QuizPage):
            states = [rng.choice(["submitted", "graded", "expired", "awaiting_grading"]) for _ in range(rng.randint(0, 4))]
            if rng.random() < 0.25:
                states.append("in_progress")  # at most one open, the latest
            moments = sorted(now - days_ago() * DAY - rng.randint(0, 3600) * timedelta(seconds=1) for _ in states)
            for number, (state, started_at) in enumerate(zip(states, moments), start=1):
                scored = state in Attempt.SCORED_STATES
                Attempt.objects.create(
                    employee=employee, quiz=page, number=number, questions=[], state=state, started_at=started_at,
                    percentage=Decimal(rng.choice([0, 40, 50, 60, 69.99, 70, 75, 80, 100])) if scored else None,
                )
        elif rng.random() < 0.6:
            completion = LessonCompletion.objects.create(employee=employee, lesson=page)
            LessonCompletion.objects.filter(pk=completion.pk).update(completed_at=now - days_ago() * DAY)
    if lapsed:  # one certificate expiring between 15 days ago and 25 days from now: its renewal window is open
        issued = now - rng.randint(340, 380) * DAY
        certificate = Certificate.objects.create(
            employee=employee, course=course, cycle=1, code=f"code-{employee.pk}-{course.pk}-1", issued_at=issued,
            expires_at=issued + 365 * DAY, score=80,
        )
        if rng.random() < 0.8:  # the recertification `send_reminders` assigns, due when the certificate expires
            Assignment.objects.create(
                employee=employee, course=course, assigned_at=now - rng.randint(0, 5) * DAY, assigned_by=manager,
                due_date=timezone.localdate(certificate.expires_at), reason=Assignment.Reason.RECERTIFICATION,
            )
        return
    cycle = 0
    for _ in range(0 if idle else rng.randint(0, 3)):
        issued = now - rng.randint(0, 800) * DAY
        revoked = rng.random() < 0.25
        cycle += 1
        Certificate.objects.create(
            employee=employee, course=course, cycle=cycle, code=f"code-{employee.pk}-{course.pk}-{cycle}", issued_at=issued,
            expires_at=None if rng.random() < 0.15 else issued + 365 * DAY, score=80,
            revoked_at=issued + DAY if revoked else None,
        )
    for assigned in sorted(now - rng.randint(0, rng.choice([40, 500])) * DAY for _ in range(rng.choice([0, 1, 1, 2]))):  # newest last, as made
        Assignment.objects.create(
            employee=employee, course=course, assigned_at=assigned, assigned_by=manager,
            due_date=timezone.localdate(assigned + rng.randint(-10, 60) * DAY),
            reason=rng.choice([Assignment.Reason.ASSIGNED, Assignment.Reason.RECERTIFICATION]),
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_form_and_screen_tells_the_same_state(catalog, client, seed):
    rng = random.Random(seed)
    now, today = timezone.now(), timezone.localdate()
    hr = get_user_model().objects.get(username="hr")
    courses = build_courses(catalog, rng)
    people = EmployeeFactory.create_batch(PEOPLE)
    for person in people:
        for course in courses:
            history(person, course, rng, now, hr)

    latest = {}
    for assignment in Assignment.objects.filter(employee__in=people).order_by("pk"):
        latest[(assignment.employee_id, assignment.course_id)] = assignment
    matrix = progress_matrix(employees=people, courses=courses, now=now)
    statuses = assignment_statuses(employees=people, courses=courses, today=today)
    expected, percent = {}, {}
    for person in people:
        standings = course_standings(employee=person, courses=courses, now=now)
        quizzes = [page for course in courses for page in standings[course.pk].progress.items if page.is_quiz]
        passed = {pk for pk, standing in quiz_standings(employee=person, quizzes=quizzes, now=now).items() if standing.passed}
        # My learning's assignment list, made from the per-person form.
        mine = {s.course.pk: s for s in assignments_for(employee=person, standings=standings, today=today, include_completed=True)}
        for course in courses:
            key = (person.pk, course.pk)
            where = f"seed {seed}, person {person.pk}, {course.title}"
            standing, cell = standings[course.pk], matrix[key]
            assert passed >= {page.pk for page in standing.progress.items if page.pk in standing.progress.done_ids and page.is_quiz}, where
            assert (cell.done, cell.total, cell.cycle, cell.certificate) == (
                standing.progress.done_count, standing.progress.total, standing.cycle, standing.certificate
            ), where
            due = due_of(latest[key]) if key in latest else None
            state = standing.state_at(due, today, now)
            assert cell.state_at(due, today, now) == state, where
            assert (statuses[key].state if key in statuses else None) == (state if due else None), where
            if key in statuses:
                theirs, ours = statuses[key], mine[course.pk]
                assert (ours.state, ours.percent, ours.best_score, ours.certificate, ours.cycle) == (
                    theirs.state, theirs.percent, theirs.best_score, theirs.certificate, theirs.cycle
                ), where
            else:
                assert course.pk not in mine, where
            expected[key] = state
            percent[key] = standing.progress.percent
    assert len(set(expected.values())) >= 4, f"seed {seed} explores too few states: {set(expected.values())}"
    assert RECERTIFICATION_DUE in expected.values(), f"seed {seed} never reaches a recertification due"

    # The SQL form of the state (the team grid's filter, sort and picture), with the latest due date.
    in_sql = {
        (person_id, course.pk): cell
        for person_id, cells in course_states(employees=people, courses=courses, today=today, now=now).items()
        for course, cell in zip(courses, cells, strict=True)
    }
    assert {key: state for key, (state, _) in in_sql.items()} == expected
    assert {key: due for key, (_, due) in in_sql.items()} == {
        key: latest[key].due_date if key in latest else None for key in expected
    }

    # The SQL form of progress (the team grid's progress sort): each course's percent done, and the
    # grid's order by their sum, least first, ties by name.
    group = Employee.objects.filter(pk__in=[person.pk for person in people])
    for course in courses:
        figures = dict(group.annotate(figure=progress_figure(courses=[course], now=now)).values_list("pk", "figure"))
        assert figures == {person.pk: percent[(person.pk, course.pk)] for person in people}, f"seed {seed}, {course.title}"
    by_name = list(group.order_by("user__last_name", "user__first_name", "pk").values_list("pk", flat=True))
    by_progress = sorted(by_name, key=lambda person_id: sum(percent[(person_id, course.pk)] for course in courses))
    assert by_progress != by_name, f"seed {seed}: the progress sort is not tried"
    grid = team_grid(people=group, courses=courses, sort="progress", per_page=PEOPLE)
    assert [row["employee_id"] for row in grid.page] == by_progress, seed

    overdue = {(a.employee_id, a.course_id) for a in overdue_assignments(today=today).filter(employee__in=people)}
    assert overdue == {key for key, state in expected.items() if state == OVERDUE}

    held = list(Certificate.objects.filter(employee__in=people))
    for status in (VALID, EXPIRED, REVOKED):
        in_sql = set(Certificate.objects.filter(employee__in=people).filter(certificate_status_q(status, now=now)))
        assert in_sql == {c for c in held if certificate_status(c, now) == status}, status
    expiring = set(Certificate.objects.filter(employee__in=people).filter(certificate_status_q(EXPIRING, now=now, expiring_within_days=60)))
    assert expiring == {c for c in held if certificate_status(c, now) == VALID and c.expires_at and c.expires_at <= now + 60 * DAY}

    # The team grid (HR sees everyone): its picture counts the states of everyone per course.
    client.force_login(hr)
    everyone = employees_visible_to(user=hr)
    all_cells = progress_matrix(employees=everyone, courses=courses, now=now)
    dues = {(a.employee_id, a.course_id): due_of(a) for a in Assignment.objects.filter(course__in=courses).order_by("pk")}
    for course in courses:
        counts = {state: 0 for state in STATE_LABELS}
        for person_id in everyone.values_list("pk", flat=True):
            counts[all_cells[person_id, course.pk].state_at(dues.get((person_id, course.pk)), today, now)] += 1
        html = client.get(reverse("team"), {"course": course.pk}).content.decode()
        picture = re.search(rf'aria-label="{course.title}: ([^"]*)"', html).group(1)
        assert picture == ", ".join(f"{counts[state]} {label.lower()}" for state, label in STATE_LABELS.items()), seed
