"""Derived assignment status: each state, the numbers shown with it, and a fixed query count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Certificate
from assessments.certificates.services import certificate_revoke
from modules.models import LessonPage, QuizPage
from modules.services import lesson_complete
from tests.assessments.conftest import complete_course, pass_quiz
from tests.factories import EmployeeFactory
from training.enrollment.models import Assignment
from training.enrollment.selectors import assignment_statuses, assignments_for, assignments_visible_to
from training.enrollment.services import assignment_create

from modules.course_tree import course_tree

from .conftest import certify

pytestmark = pytest.mark.django_db
QUERIES = 4  # the latest assignments, then progress_matrix: certificates, lessons, grades (outlines: the cached course tree)


def status_of(employee, course, today=None):
    return assignment_statuses(employees=[employee], courses=[course], today=today)[employee.pk, course.pk]


def test_a_fresh_assignment_is_not_started_and_due_soon_within_a_week(north, course, manager_north, today):
    amira, ben = north[:2]
    assignment_create(employees=[amira], course=course, due_date=today + timedelta(days=10), assigned_by=manager_north)
    assignment_create(employees=[ben], course=course, due_date=today + timedelta(days=7), assigned_by=manager_north)

    far, near = status_of(amira, course), status_of(ben, course)
    assert (far.state, far.days_left, far.due_soon, far.percent, far.best_score, far.certificate) == (
        "not_started", 10, False, 0, None, None
    )
    assert (near.state, near.days_left, near.due_soon) == ("not_started", 7, True)
    assert far.assignment.assigned_by == manager_north and far.due_date == today + timedelta(days=10)


def test_a_lesson_done_or_a_quiz_attempted_puts_it_in_progress(north, course, manager_north, today):
    amira, ben = north[:2]
    assignment_create(employees=[amira, ben], course=course, due_date=today + timedelta(days=20), assigned_by=manager_north)
    lesson_complete(employee=amira, lesson=LessonPage.objects.live().child_of(course).first())
    pass_quiz(ben, QuizPage.objects.live().child_of(course).first())

    statuses = assignment_statuses(employees=[amira, ben], today=today)
    amira_status, ben_status = statuses[amira.pk, course.pk], statuses[ben.pk, course.pk]
    assert amira_status.state == ben_status.state == "in_progress"
    assert amira_status.percent == round(100 / 13) and amira_status.progress.done_count == 1
    assert ben_status.best_score == 100 and ben_status.progress.done_count == 1


def test_best_score_is_the_highest_scored_attempt_in_the_course(north, course, manager_north, today):
    from assessments.attempts.services import attempt_start, attempt_submit

    amira = north[0]
    assignment_create(employees=[amira], course=course, due_date=today + timedelta(days=20), assigned_by=manager_north)
    quizzes = list(QuizPage.objects.live().child_of(course))
    attempt_submit(attempt=attempt_start(employee=amira, quiz=quizzes[0]), answers={})  # 0%
    pass_quiz(amira, quizzes[1])  # 100%
    attempt_start(employee=amira, quiz=quizzes[2])  # open: not scored
    status = status_of(amira, course)
    assert status.best_score == 100 and status.progress.done_count == 1  # only the passed quiz counts as done


def test_past_the_due_date_and_not_completed_is_overdue(north, course, manager_north, today):
    amira = north[0]
    assignment_create(employees=[amira], course=course, due_date=today + timedelta(days=3), assigned_by=manager_north)
    lesson_complete(employee=amira, lesson=LessonPage.objects.live().child_of(course).first())

    assert status_of(amira, course, today=today + timedelta(days=3)).state == "in_progress"  # the due day itself
    late = status_of(amira, course, today=today + timedelta(days=5))
    assert (late.state, late.days_left, late.days_overdue, late.due_soon) == ("overdue", -2, 2, False)


def test_completing_the_course_completes_the_assignment_even_after_the_due_date(north, course, manager_north, today):
    amira = north[0]
    assignment_create(employees=[amira], course=course, due_date=today, assigned_by=manager_north)
    complete_course(amira, course)

    status = status_of(amira, course, today=today + timedelta(days=30))
    assert status.state == "completed" and status.is_completed and not status.due_soon
    assert status.percent == 100 and status.best_score == 100
    assert status.certificate == Certificate.objects.get(employee=amira) and status.certificate_status == "valid"


def test_a_certificate_valid_when_assigned_counts_but_an_expired_or_revoked_one_does_not(
    north, course, manager_north, hr_user, today
):
    amira, ben, chloe = north[:3]
    now = timezone.now()
    certify(amira, course, issued_at=now - timedelta(days=100))  # valid
    certify(ben, course, issued_at=now - timedelta(days=400), expires_at=now - timedelta(days=35))  # expired
    revoked = certify(chloe, course, issued_at=now - timedelta(days=10))
    certificate_revoke(certificate=revoked, by=hr_user, reason="Issued by mistake")
    assignment_create(employees=[amira, ben, chloe], course=course, due_date=today + timedelta(days=14), assigned_by=manager_north)

    statuses = assignment_statuses(employees=[amira, ben, chloe], today=today)
    assert statuses[amira.pk, course.pk].state == "completed"
    assert (statuses[ben.pk, course.pk].state, statuses[ben.pk, course.pk].certificate_status) == ("expired", "expired")  # no certificate completes it: the course has expired
    assert (statuses[chloe.pk, course.pk].state, statuses[chloe.pk, course.pk].certificate_status) == ("not_started", "revoked")


def test_a_recertification_needs_a_certificate_issued_after_it(north, course, today):
    amira = north[0]
    old = certify(amira, course, issued_at=timezone.now() - timedelta(days=350))
    assignment = Assignment.objects.create(
        employee=amira, course=course, due_date=timezone.localdate(old.expires_at), assigned_at=timezone.now(),
        reason=Assignment.Reason.RECERTIFICATION,
    )
    status = status_of(amira, course)
    assert status.state == "recertification_due" and status.is_recertification and status.certificate == old
    certify(amira, course, issued_at=assignment.assigned_at + timedelta(minutes=1))
    assert status_of(amira, course).state == "completed"


def test_only_the_latest_assignment_of_a_person_and_course_counts(north, course, manager_north, today):
    amira = north[0]
    first = assignment_create(employees=[amira], course=course, due_date=today, assigned_by=manager_north)[0]
    certify(amira, course, issued_at=timezone.now() - timedelta(days=400), expires_at=timezone.now() - timedelta(days=1))
    Certificate.objects.filter(employee=amira).update(issued_at=first.assigned_at + timedelta(seconds=1))
    # The first one is completed; a later one supersedes it in the statuses.
    second = Assignment.objects.create(employee=amira, course=course, due_date=today + timedelta(days=9), assigned_at=timezone.now())
    statuses = assignment_statuses(employees=[amira], today=today)
    assert list(statuses) == [(amira.pk, course.pk)] and statuses[amira.pk, course.pk].assignment == second


def test_assignment_statuses_costs_the_same_queries_for_5_or_50_employees(
    north, course, manager_north, today, django_assert_num_queries
):
    others = EmployeeFactory.create_batch(45)
    everyone = north + others
    assignment_create(employees=everyone, course=course, due_date=today + timedelta(days=5), assigned_by=manager_north)
    lessons = list(LessonPage.objects.live().child_of(course))
    for employee in everyone[::3]:
        lesson_complete(employee=employee, lesson=lessons[0])
    pass_quiz(north[1], QuizPage.objects.live().child_of(course).first())
    pass_quiz(others[7], QuizPage.objects.live().child_of(course).first())
    certify(north[2], course)
    certify(others[9], course)
    course_tree()  # built once, then cached until a page changes

    with django_assert_num_queries(QUERIES):
        few = assignment_statuses(employees=north, today=today)
    with django_assert_num_queries(QUERIES):
        many = assignment_statuses(employees=everyone, today=today)
    assert len(few) == 5 and len(many) == 50
    with django_assert_num_queries(QUERIES):  # a QuerySet of employees stays a subquery
        assert len(assignment_statuses(employees=type(north[0]).objects.filter(pk__in=[e.pk for e in everyone]))) == 50
    with django_assert_num_queries(0):
        assert assignment_statuses(employees=[]) == {}


def test_my_learning_lists_open_assignments_overdue_first_then_by_due_date(course, catalog, north, manager_north, today):
    from tests.factories import add_course, add_lesson

    amira = north[0]
    second = add_course(catalog, title="Second course")
    add_lesson(second, title="Only lesson")
    third = add_course(catalog, title="Third course")
    add_lesson(third, title="Only lesson")
    done = add_course(catalog, title="Done course")
    assignment_create(employees=[amira], course=course, due_date=today + timedelta(days=30), assigned_by=manager_north)
    assignment_create(employees=[amira], course=second, due_date=today + timedelta(days=2), assigned_by=manager_north)
    assignment_create(employees=[amira], course=third, due_date=today + timedelta(days=6), assigned_by=manager_north)
    assignment_create(employees=[amira], course=done, due_date=today + timedelta(days=1), assigned_by=manager_north)
    certify(amira, done)

    later = today + timedelta(days=4)  # the second course is overdue by then
    assert [s.course.title for s in assignments_for(employee=amira, today=later)] == [
        "Second course", "Third course", "Customer Loyalty Fundamentals"
    ]
    assert [s.state for s in assignments_for(employee=amira, today=later)] == ["overdue", "not_started", "not_started"]
    assert len(assignments_for(employee=amira, today=later, include_completed=True)) == 4
    assert assignments_for(employee=None) == []


def test_a_manager_sees_the_assignments_of_their_team_only(north, course, manager_north, manager_south, hr_user, today):
    from .conftest import employee_named

    felix = employee_named("felix")
    assignment_create(employees=north + [felix], course=course, due_date=today + timedelta(days=5), assigned_by=hr_user)
    assert {s.employee.user.username for s in assignments_visible_to(user=manager_north)} == {e.user.username for e in north}
    assert [s.employee.user.username for s in assignments_visible_to(user=manager_south)] == ["felix"]
    assert len(assignments_visible_to(user=hr_user)) == 6
    assert assignments_visible_to(user=north[0].user) == []
