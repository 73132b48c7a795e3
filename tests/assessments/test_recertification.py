"""Recertification means passing the final assessment again in the new cycle; lessons stay done
unless the course repeats them (assessments/cycles.py)."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from assessments import cycles
from assessments.certificates.services import certificate_issue
from assessments.models import Attempt, Certificate
from assessments.progress import course_standings, courses_progress, progress_matrix, quiz_standings
from assessments.attempts.services import NoAttemptsLeft, attempt_start, attempt_submit
from modules.models import CoursePage, LessonCompletion, LessonPage, QuizPage
from modules.services import lesson_complete
from training.demo_activity import wrong_response
from training.enrollment.models import Assignment
from training.enrollment.selectors import assignment_statuses
from training.enrollment.services import recertifications_create
from training.people.models import Employee

from .conftest import complete_course, pass_quiz

pytestmark = pytest.mark.django_db

DAYS_BEFORE_EXPIRY = 10  # inside the 30-day renewal window


def backdate(employee, days):
    """Move everything the employee did (and their certificates) `days` into the past."""
    delta = timedelta(days=days)
    Attempt.objects.filter(employee=employee).update(
        started_at=F("started_at") - delta, submitted_at=F("submitted_at") - delta, deadline=F("deadline") - delta
    )
    LessonCompletion.objects.filter(employee=employee).update(completed_at=F("completed_at") - delta)
    Certificate.objects.filter(employee=employee).update(issued_at=F("issued_at") - delta, expires_at=F("expires_at") - delta)


def edit(page, **fields):
    """Change a page's fields as an editor's save does (which drops the cached course tree)."""
    for name, value in fields.items():
        setattr(page, name, value)
    page.save(update_fields=list(fields))


def fail_quiz(employee, quiz):
    attempt = attempt_start(employee=employee, quiz=quiz)
    return attempt_submit(attempt=attempt, answers={q["id"]: wrong_response(q) for q in attempt.questions})


@pytest.fixture
def final(course):
    return QuizPage.objects.live().child_of(course).order_by("path").last()


@pytest.fixture
def certified(employee, course):
    """Amira certified about a year ago: her certificate expires in DAYS_BEFORE_EXPIRY days."""
    complete_course(employee, course)
    certificate = Certificate.objects.get(employee=employee, course=course)
    backdate(employee, (certificate.expires_at - timezone.now()).days - DAYS_BEFORE_EXPIRY + 1)
    certificate.refresh_from_db()
    assert DAYS_BEFORE_EXPIRY - 1 <= (certificate.expires_at - timezone.now()).days <= DAYS_BEFORE_EXPIRY
    return certificate


def progress_of(employee, course):
    return courses_progress(employee=employee, courses=[course])[0]


def test_the_final_assessment_is_the_last_live_quiz_of_the_course(course, final):
    assert final.title == "Final assessment"
    assert cycles.final_assessment(progress_of(None, course).items).pk == final.pk


def test_first_certification_is_cycle_one(employee, course):
    assert progress_of(employee, course).cycle == cycles.FIRST
    complete_course(employee, course)
    certificate = Certificate.objects.get(employee=employee, course=course)
    progress = progress_of(employee, course)
    assert certificate.cycle == 1 and progress.is_complete
    assert progress.cycle.number == 1 and progress.cycle.is_met and not progress.cycle.recertification_due


def test_recertification_assignment_needs_the_final_again_lessons_stay_done(employee, course, final, certified):
    [assignment] = recertifications_create()
    assert assignment.reason == Assignment.Reason.RECERTIFICATION
    progress = progress_of(employee, course)
    assert progress.cycle.number == 2 and progress.cycle.recertification_due
    assert progress.cycle.due_date == timezone.localdate(certified.expires_at) == assignment.due_date
    assert not progress.is_complete and progress.next_item.pk == final.pk  # only the final is left
    lessons = LessonPage.objects.live().child_of(course)
    assert all(lesson.pk in progress.done_ids for lesson in lessons)
    assert certificate_issue(employee=employee, course=course) is None  # old progress is not enough
    status = assignment_statuses(employees=[employee], courses=[course])[employee.pk, course.pk]
    assert status.is_open and status.progress.done_count == progress.done_count and status.cycle.number == 2

    pass_quiz(employee, final)  # issues the new certificate on the spot

    renewed = Certificate.objects.get(employee=employee, course=course, cycle=2)
    old = Certificate.objects.get(pk=certified.pk)
    assert renewed.status() == "valid" and renewed.issued_at > assignment.assigned_at
    assert (old.status(), old.expires_at, old.revoked_at) == ("valid", certified.expires_at, None)  # left alone
    progress = progress_of(employee, course)
    assert progress.is_complete and progress.cycle.is_met and not progress.cycle.recertification_due
    assert assignment_statuses(employees=[employee], courses=[course])[employee.pk, course.pk].is_completed


def test_the_attempt_allowance_restarts_per_cycle(employee, course, final):
    assert final.attempts_allowed == 3
    complete_course(employee, course)
    fail_quiz(employee, final)
    fail_quiz(employee, final)  # three attempts used in cycle 1
    with pytest.raises(NoAttemptsLeft):
        attempt_start(employee=employee, quiz=final)
    certificate = Certificate.objects.get(employee=employee, course=course)
    backdate(employee, (certificate.expires_at - timezone.now()).days - DAYS_BEFORE_EXPIRY + 1)

    assert quiz_standings(employee=employee, quizzes=[final])[final.pk].attempts_used == 0
    for _ in range(3):
        fail_quiz(employee, final)  # cycle 2 counts its own
    standing = quiz_standings(employee=employee, quizzes=[final])[final.pk]
    assert standing.attempts_used == 3 and not standing.passed
    with pytest.raises(NoAttemptsLeft):
        attempt_start(employee=employee, quiz=final)
    attempts = Attempt.objects.of(employee).for_quiz(final)
    assert list(attempts.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]  # numbers stay unique
    assert not Certificate.objects.filter(cycle=2).exists()


def test_expiry_without_an_assignment_opens_a_new_cycle(employee, course, final):
    complete_course(employee, course)
    backdate(employee, 400)
    certificate = Certificate.objects.get(employee=employee, course=course)
    assert certificate.status() == "expired" and not Assignment.objects.exists()
    progress = progress_of(employee, course)
    assert progress.cycle.number == 2 and progress.cycle.recertification_due and not progress.is_complete
    assert certificate_issue(employee=employee, course=course) is None
    pass_quiz(employee, final)
    assert Certificate.objects.get(employee=employee, course=course, cycle=2).status() == "valid"


def test_a_course_that_repeats_lessons_needs_everything_again(employee, course, final, certified):
    edit(CoursePage.objects.get(pk=course.pk), recertification_repeats_lessons=True)
    course.refresh_from_db()
    progress = progress_of(employee, course)
    assert progress.cycle.number == 2 and progress.done_count == 0
    pass_quiz(employee, final)
    assert certificate_issue(employee=employee, course=course) is None  # lessons and lesson quizzes left
    lessons = list(LessonPage.objects.live().child_of(course))
    _, done_now = lesson_complete(employee=employee, lesson=lessons[0])
    assert done_now  # an old completion is recorded again for this cycle
    _, again = lesson_complete(employee=employee, lesson=lessons[0])
    assert not again  # and only once
    assert progress_of(employee, course).done_count == 2
    complete_course(employee, course)
    renewed = Certificate.objects.get(employee=employee, course=course, cycle=2)
    assert renewed.status() == "valid" and progress_of(employee, course).is_complete


def test_grading_policy_looks_at_this_cycles_attempts_only(employee, course, final, certified):
    edit(QuizPage.objects.get(pk=final.pk), grading_policy="first")
    final.refresh_from_db()
    assert quiz_standings(employee=employee, quizzes=[final])[final.pk].grade is None  # cycle 1's do not count
    fail_quiz(employee, final)
    pass_quiz(employee, final)
    standing = quiz_standings(employee=employee, quizzes=[final])[final.pk]
    assert not standing.passed and standing.grade < final.pass_mark  # the cycle's first attempt, not cycle 1's
    assert not Certificate.objects.filter(cycle=2).exists()
    cell = progress_matrix(employees=Employee.objects.filter(pk=employee.pk), courses=[course])[employee.pk, course.pk]
    assert cell.done == progress_of(employee, course).done_count and cell.cycle.recertification_due
    edit(QuizPage.objects.get(pk=final.pk), grading_policy="latest")
    final.refresh_from_db()
    assert quiz_standings(employee=employee, quizzes=[final])[final.pk].passed


@pytest.mark.parametrize("policy", ["highest", "first", "average"])
def test_the_grid_and_the_per_person_progress_agree_in_every_cycle(course, final, policy):
    """The grid's set-based form and the per-person form, over people in different cycles."""
    edit(QuizPage.objects.get(pk=final.pk), grading_policy=policy)
    names = ["amira", "ben", "chloe", "dev", "emma", "felix"]
    people = {e.user.username: e for e in Employee.objects.select_related("user").filter(user__username__in=names)}
    for name in ("amira", "ben", "chloe", "dev", "emma"):
        complete_course(people[name], course)
    backdate(people["ben"], 358)  # renewal open, not re-passed
    backdate(people["chloe"], 358)
    pass_quiz(people["chloe"], QuizPage.objects.get(pk=final.pk))  # renewed
    backdate(people["dev"], 400)  # expired
    fail_quiz(people["dev"], QuizPage.objects.get(pk=final.pk))
    backdate(people["emma"], 358)
    edit(CoursePage.objects.get(pk=course.pk), recertification_repeats_lessons=policy == "average")
    course.refresh_from_db()
    lesson_complete(employee=people["emma"], lesson=LessonPage.objects.live().child_of(course).first())
    matrix = progress_matrix(employees=Employee.objects.filter(pk__in=[e.pk for e in people.values()]), courses=[course])
    for name, person in people.items():
        progress = progress_of(person, course)
        cell = matrix[person.pk, course.pk]
        assert (cell.done, cell.cycle) == (progress.done_count, progress.cycle), name
        today, now = timezone.localdate(), timezone.now()
        standing = course_standings(employee=person, courses=[course])[course.pk]
        assert cell.state_at(None, today, now) == standing.state_at(None, today, now), name
    due = {
        (c.employee_id, c.course_id)
        for c in cycles.recertifications_due(Certificate.objects.all(), today=timezone.localdate())
    }
    per_person = {
        (p.pk, course.pk) for p in people.values() if progress_of(p, course).cycle.recertification_due
    }
    assert due == per_person == {(people[name].pk, course.pk) for name in ("ben", "dev", "emma")}


def test_editors_find_repeat_lessons_in_the_course_certificate_panel(client, course):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    assert course.recertification_repeats_lessons is False  # lessons stay done unless asked
    client.force_login(get_user_model().objects.get(username="editor"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert 'name="recertification_repeats_lessons"' in html
