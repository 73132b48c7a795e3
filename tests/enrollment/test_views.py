"""The assign form and the "send reminder" button: who may use them and what they may touch."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from training.enrollment.models import Assignment
from training.enrollment.services import assignment_create
from training.people.models import Team

from .conftest import employee_named

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
ASSIGN = "/learning/assign/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_urls():
    assert reverse("assignment_create") == ASSIGN
    assert reverse("assignment_remind", args=[7]) == "/learning/assignments/7/remind/"


def test_a_manager_is_offered_only_their_own_team(client, manager_north, north):
    client.force_login(manager_north)
    response = client.get(ASSIGN)
    assert response.status_code == 200
    form = response.context["form"]
    assert [team.name for team in form.fields["team"].queryset] == ["North store"]
    assert {e.user.username for e in form.fields["people"].queryset} == {e.user.username for e in north}
    html = response.content.decode()
    assert "Amira Haddad" in html and "Felix Wagner" not in html and "South store" not in html
    assert "Customer Loyalty Fundamentals" in html


def test_a_manager_assigns_chosen_people(client, manager_north, north, course, today, mailoutbox):
    client.force_login(manager_north)
    due = today + 14 * DAY
    response = client.post(
        ASSIGN, {"course": course.pk, "people": [north[0].pk, north[1].pk], "due_date": due.isoformat()}, follow=True
    )
    assert response.redirect_chain == [(ASSIGN, 302)]
    assert messages_of(response) == [f"Assigned Customer Loyalty Fundamentals to 2 people, due {due:%-d %B %Y}."]
    assert set(Assignment.objects.values_list("employee__user__username", flat=True)) == {"amira", "ben"}
    # The test settings' immediate task backend runs each queued "assigned" email at once.
    assert sorted(m.to[0] for m in mailoutbox) == ["amira@academy.example", "ben@academy.example"]
    assert {m.subject for m in mailoutbox} == {f"New course for you: Customer Loyalty Fundamentals, due {due:%-d %B %Y}"}
    html = response.content.decode()
    assert 'data-testid="team-assignments"' in html and "Send reminder" in html


def test_a_manager_assigns_the_whole_team(client, manager_north, north, course, today):
    client.force_login(manager_north)
    north_store = Team.objects.get(name="North store")
    response = client.post(
        ASSIGN, {"course": course.pk, "team": north_store.pk, "people": [north[0].pk], "due_date": today.isoformat()}, follow=True
    )
    assert messages_of(response) == [f"Assigned Customer Loyalty Fundamentals to 5 people, due {today:%-d %B %Y}."]
    assert Assignment.objects.count() == 5


def test_assigning_someone_elses_employee_is_refused_with_a_form_error(client, manager_north, north, course, today):
    client.force_login(manager_north)
    felix = employee_named("felix")
    response = client.post(
        ASSIGN, {"course": course.pk, "people": [north[0].pk, felix.pk], "due_date": (today + DAY).isoformat()}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["people"] == [
        f"You can only assign people whose records you may see; employee {felix.pk} is not one of them."
    ]
    south = Team.objects.get(name="South store")
    response = client.post(ASSIGN, {"course": course.pk, "team": south.pk, "due_date": (today + DAY).isoformat()})
    assert "team" in response.context["form"].errors
    assert not Assignment.objects.exists() and mail.outbox == []


def test_the_form_explains_a_past_date_and_an_empty_choice(client, manager_north, north, course, today):
    client.force_login(manager_north)
    yesterday = today - DAY
    response = client.post(ASSIGN, {"course": course.pk, "people": [north[0].pk], "due_date": yesterday.isoformat()})
    assert response.status_code == 400
    assert response.context["form"].errors["due_date"] == [
        f"The due date {yesterday:%-d %B %Y} is in the past; choose today or a later date."
    ]
    response = client.post(ASSIGN, {"course": course.pk, "due_date": today.isoformat()})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Choose a team or at least one person to assign the course to."]
    assert not Assignment.objects.exists()


def test_hr_may_assign_anyone(client, hr_user, course, today):
    client.force_login(hr_user)
    response = client.get(ASSIGN)
    assert {t.name for t in response.context["form"].fields["team"].queryset} == {"North store", "South store"}
    felix, amira = employee_named("felix"), employee_named("amira")
    response = client.post(ASSIGN, {"course": course.pk, "people": [felix.pk, amira.pk], "due_date": today.isoformat()}, follow=True)
    assert messages_of(response)[0].startswith("Assigned Customer Loyalty Fundamentals to 2 people")
    assert Assignment.objects.filter(assigned_by=hr_user).count() == 2


def test_an_employee_gets_404_and_a_visitor_the_login_page(client, north, course, today):
    response = client.get(ASSIGN)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(north[0].user)
    assert client.get(ASSIGN).status_code == 404
    assert client.post(ASSIGN, {"course": course.pk, "people": [north[1].pk], "due_date": today.isoformat()}).status_code == 404
    assert not Assignment.objects.exists()


def test_the_assign_page_costs_the_same_queries_for_a_small_or_big_team(client, hr_user, north, course, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EmployeeFactory

    client.force_login(hr_user)
    assignment_create(employees=north, course=course, due_date=today + 5 * DAY, assigned_by=hr_user)
    client.get(ASSIGN)  # warm the caches (site root paths)
    with CaptureQueriesContext(connection) as small:
        client.get(ASSIGN)
    team = Team.objects.get(name="North store")
    assignment_create(
        employees=EmployeeFactory.create_batch(20, team=team), course=course, due_date=today + 5 * DAY, assigned_by=hr_user
    )
    with CaptureQueriesContext(connection) as big:
        response = client.get(ASSIGN)
    assert len(response.context["statuses"]) == 25
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]


@pytest.fixture
def amira_assignment(north, course, manager_north, today):
    assignment = assignment_create(employees=north[:1], course=course, due_date=today + 5 * DAY, assigned_by=manager_north)[0]
    mail.outbox.clear()
    return assignment


def test_a_manager_reminds_their_own_people_and_goes_back(client, manager_north, amira_assignment):
    client.force_login(manager_north)
    url = reverse("assignment_remind", args=[amira_assignment.pk])
    response = client.post(url, {"next": "/learning/"}, follow=True)
    assert response.redirect_chain == [("/learning/", 302)]
    assert messages_of(response) == ["A reminder about Customer Loyalty Fundamentals is being sent to Amira Haddad."]
    response = client.post(url, {"next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[0][0] == ASSIGN
    assert messages_of(response) == ["A reminder about Customer Loyalty Fundamentals is being sent to Amira Haddad."]
    assert [m.to for m in mail.outbox] == [["amira@academy.example"]] * 2


def test_the_remind_button_is_404_for_anyone_who_may_not_see_the_person(client, manager_south, north, amira_assignment):
    url = reverse("assignment_remind", args=[amira_assignment.pk])
    for user in (manager_south, north[0].user, north[1].user):
        client.force_login(user)
        assert client.post(url).status_code == 404
    client.force_login(manager_south)
    assert client.get(url).status_code == 405
    assert client.post(reverse("assignment_remind", args=[999999])).status_code == 404
    assert mail.outbox == []


def test_hr_may_remind_anyone_and_an_inactive_person_is_explained(client, hr_user, amira_assignment):
    amira = amira_assignment.employee.user
    amira.is_active = False
    amira.save()
    client.force_login(hr_user)
    response = client.post(reverse("assignment_remind", args=[amira_assignment.pk]), follow=True)
    assert messages_of(response) == ["Amira Haddad has no active account with an email address, so no reminder was sent."]
    assert mail.outbox == []


def test_my_learning_include_renders_an_employees_assignments(rf, north, course, manager_north, today):
    from django.template.loader import render_to_string

    from training.enrollment.selectors import assignments_for

    assignment_create(employees=north[:1], course=course, due_date=today + 2 * DAY, assigned_by=manager_north)
    html = render_to_string(
        "enrollment/includes/my_assignments.html",
        {"assignments": assignments_for(employee=north[0])},
        request=rf.get("/learning/"),
    )
    assert "Assigned to you" in html and "Customer Loyalty Fundamentals" in html and "in 2 days" in html
    assert 'href="/customer-loyalty-fundamentals/"' in html


def test_a_mail_server_failure_is_not_a_server_error_and_is_logged_with_the_person(
    client, manager_north, amira_assignment, monkeypatch, caplog
):
    """The button only queues the reminder; the task's failure (raised, so a worker retries it) is
    logged with the person, and the page is unaffected. A mock at the SMTP boundary: we do not own
    the mail server."""
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    client.force_login(manager_north)
    response = client.post(reverse("assignment_remind", args=[amira_assignment.pk]), follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["A reminder about Customer Loyalty Fundamentals is being sent to Amira Haddad."]
    gave_up = [r for r in caplog.records if r.levelname == "ERROR" and "Could not send" in r.getMessage()]
    assert len(gave_up) == 1 and "amira@academy.example" in gave_up[0].getMessage() and "gave up" in gave_up[0].getMessage()
    assert mail.outbox == []


def test_assigning_only_queues_one_email_task_per_person_and_each_sends_once(client, manager_north, north, course, today, settings, mailoutbox):
    """With a worker's backend the request sends no mail: it queues one task per person (so a retry
    never mails anyone twice), and the page says what it did as before."""
    settings.TASKS = {**settings.TASKS, "background": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    client.force_login(manager_north)
    due = today + 7 * DAY
    response = client.post(ASSIGN, {"course": course.pk, "people": [e.pk for e in north[:3]], "due_date": due.isoformat()}, follow=True)
    assert messages_of(response) == [f"Assigned Customer Loyalty Fundamentals to 3 people, due {due:%-d %B %Y}."]
    assert mailoutbox == []
    queued = task_backends["background"].results
    assert sorted((result.task.name, result.kwargs["assignment_id"]) for result in queued) == sorted(
        ("assigned_email_deliver", pk) for pk in Assignment.objects.values_list("pk", flat=True)
    )
    assert [result.task.call(**result.kwargs) for result in queued] == [True, True, True]  # what a worker does
    assert sorted(m.to[0] for m in mailoutbox) == ["amira@academy.example", "ben@academy.example", "chloe@academy.example"]
    assert queued[0].task.call(**queued[0].kwargs) is False and len(mailoutbox) == 3  # run again: sent already


def test_a_failed_assigned_email_is_raised_for_a_retry_and_logged_with_the_person(
    client, manager_north, north, course, today, monkeypatch, caplog, mailoutbox
):
    """The task raises (so a worker retries it) and records nothing, so the retry sends it; the
    final failure is logged with the person. A mock at the SMTP boundary: we do not own the mail
    server."""
    from django.core.mail.backends.locmem import EmailBackend

    from training.enrollment.models import ReminderSent
    from training.enrollment.services import assigned_email_deliver

    def broken(self, messages):
        raise ConnectionRefusedError("SMTP down")

    client.force_login(manager_north)
    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", broken)
        response = client.post(ASSIGN, {"course": course.pk, "people": [north[0].pk], "due_date": today.isoformat()}, follow=True)
    assert messages_of(response) == [f"Assigned Customer Loyalty Fundamentals to 1 person, due {today:%-d %B %Y}."]
    gave_up = [r.getMessage() for r in caplog.records if r.levelname == "ERROR" and "Could not send" in r.getMessage()]
    assert len(gave_up) == 1 and "amira@academy.example" in gave_up[0] and "gave up" in gave_up[0]
    assert mailoutbox == [] and not ReminderSent.objects.exists()
    assert assigned_email_deliver.call(assignment_id=Assignment.objects.get().pk) is True  # the retry
    assert [m.to for m in mailoutbox] == [["amira@academy.example"]]
