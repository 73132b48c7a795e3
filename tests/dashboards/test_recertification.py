"""Recertification on the screens: the demo person whose certificate expires within the month
(Emma) is due to recertify, gets the assignment from send_reminders, sees it on My learning and on
her manager's grid, and recertifies by passing the final assessment again."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from assessments.models import Certificate
from assessments.progress import courses_progress, progress_matrix
from modules.models import QuizPage
from tests.assessments.conftest import pass_quiz
from tests.dashboards.test_reports import csv_rows
from training.enrollment.models import Assignment
from training.enrollment.selectors import assignment_statuses
from training.people.models import Employee

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_academy", "--demo-activity", stdout=StringIO())


def person(username):
    return Employee.objects.select_related("user").get(user__username=username)


def due_text(certificate):
    return f"Recertification due {date_format(timezone.localdate(certificate.expires_at), 'j M Y')}"


def test_emma_recertifies_by_passing_the_final_again(demo, client, course):
    emma = person("emma")
    old = Certificate.objects.get(employee=emma)
    call_command("send_reminders", stdout=StringIO())
    assignment = Assignment.objects.get(employee=emma)
    assert assignment.reason == Assignment.Reason.RECERTIFICATION
    assert assignment.due_date == timezone.localdate(old.expires_at)

    client.force_login(emma.user)
    my_learning = client.get(reverse("my_learning")).content.decode()
    assert due_text(old) in my_learning and "Continue with “Final assessment”" in my_learning
    client.force_login(User.objects.get(username="manager.north"))
    grid = client.get(reverse("team")).content.decode()
    assert grid.count('data-testid="recertification-due"') == 1 and due_text(old) in grid
    # Emma's certificate is still valid, but her recertification assignment is open: due, not completed.
    assert f"{course.title}: 1 not started, 1 in progress, 1 overdue, 1 completed, 1 recertification due, 0 expired" in grid
    record = client.get(reverse("team_member", args=[emma.pk])).content.decode()
    assert due_text(old) in record
    # The grid and the per-person progress agree for everyone on the team.
    north = Employee.objects.filter(team__name="North store")
    matrix = progress_matrix(employees=north, courses=[course])
    for employee in north:
        progress = courses_progress(employee=employee, courses=[course])[0]
        assert (matrix[employee.pk, course.pk].done, matrix[employee.pk, course.pk].cycle) == (progress.done_count, progress.cycle)

    pass_quiz(emma, QuizPage.objects.live().child_of(course).order_by("path").last())

    renewed = Certificate.objects.get(employee=emma, cycle=2)
    old.refresh_from_db()
    assert renewed.status() == "valid" and old.status() == "valid" and old.revoked_at is None
    assert assignment_statuses(employees=[emma], courses=[course])[emma.pk, course.pk].is_completed
    grid = client.get(reverse("team")).content.decode()
    assert 'data-testid="recertification-due"' not in grid and ", 0 recertification due," in grid
    client.force_login(emma.user)
    assert "Recertification due" not in client.get(reverse("my_learning")).content.decode()


def test_grace_whose_certificate_expired_is_due_and_no_longer_completed(demo, client, course):
    grace = person("grace")
    expired = Certificate.objects.get(employee=grace)
    assert expired.status() == "expired"
    client.force_login(User.objects.get(username="manager.south"))
    grid = client.get(reverse("team")).content.decode()
    assert due_text(expired) in grid
    cell = progress_matrix(employees=Employee.objects.filter(pk=grace.pk), courses=[course])[grace.pk, course.pk]
    assert cell.state_at(None, timezone.localdate(), timezone.now()) == "expired" and cell.done == cell.total - 1  # lessons done, the final left
    client.force_login(User.objects.get(username="hr"))
    rows = {row["Team"]: row for row in csv_rows(client, "completions")}
    assert rows["South store"]["Recertification due"] == "1"  # Grace; Felix's is revoked (HR's call)
    assert rows["North store"]["Recertification due"] == "1"  # Emma, whose certificate is still valid
    certificates = {row["Employee"]: row["Status"] for row in csv_rows(client, "certificates")}
    assert certificates[grace.full_name] == f"Expired · r{due_text(expired)[1:]}"
    call_command("send_reminders", stdout=StringIO())
    overdue = {row["Employee"]: row["Reason"] for row in csv_rows(client, "overdue")}
    assert overdue[grace.full_name] == due_text(expired)
