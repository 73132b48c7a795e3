"""The recertification assignment and the certification cycle open on the same day, and the
assignment is completed by passing the final assessment again (assessments/cycles.py)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from assessments import cycles
from assessments.models import Certificate
from assessments.progress import courses_progress
from modules.models import QuizPage
from tests.assessments.conftest import complete_course, pass_quiz
from tests.assessments.test_recertification import backdate, fail_quiz
from training.enrollment.models import Assignment
from training.enrollment.selectors import assignment_statuses, overdue_assignments
from training.enrollment.services import recertifications_create

pytestmark = pytest.mark.django_db


def status_of(employee, course, today=None):
    return assignment_statuses(employees=[employee], courses=[course], today=today)[employee.pk, course.pk]


def test_the_assignment_is_made_the_day_the_new_cycle_opens(employee, course):
    complete_course(employee, course)
    backdate(employee, 300)
    certificate = Certificate.objects.get(employee=employee)
    opens = cycles.renewal_opens_on(certificate.expires_at)
    day_before = timezone.make_aware(datetime.combine(opens - timedelta(days=1), time(23, 59)))
    assert cycles.cycle_of([certificate], now=day_before).number == 1
    assert recertifications_create(today=opens - timedelta(days=1)) == []
    assert cycles.cycle_of([certificate], now=timezone.make_aware(datetime.combine(opens, time.min))).number == 2
    [assignment] = recertifications_create(today=opens)
    assert assignment.due_date == timezone.localdate(certificate.expires_at)


def test_a_recertification_assignment_is_completed_by_passing_the_final_again(employee, course):
    final = QuizPage.objects.live().child_of(course).order_by("path").last()
    complete_course(employee, course)
    backdate(employee, 358)
    [assignment] = recertifications_create()
    status = status_of(employee, course)
    assert status.state == "recertification_due" and status.cycle.recertification_due
    assert status.progress.done_count == status.progress.total - 1  # lessons and lesson quizzes stay done
    assert courses_progress(employee=employee, courses=[course])[0].next_item.pk == final.pk
    fail_quiz(employee, final)
    assert status_of(employee, course).state == "in_progress"
    pass_quiz(employee, final)
    status = status_of(employee, course)
    assert status.state == "completed" and status.certificate.cycle == 2 and not status.cycle.recertification_due


def test_an_expired_certificate_is_overdue_until_the_final_is_passed_again(employee, course):
    final = QuizPage.objects.live().child_of(course).order_by("path").last()
    complete_course(employee, course)
    backdate(employee, 400)
    [assignment] = recertifications_create()
    assert assignment.reason == Assignment.Reason.RECERTIFICATION
    assert list(overdue_assignments()) == [assignment]
    assert status_of(employee, course).state == "overdue"
    pass_quiz(employee, final)
    assert list(overdue_assignments()) == [] and status_of(employee, course).is_completed
