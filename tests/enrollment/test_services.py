"""Assigning, reminders (each at most once), recertification and who gets email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.assessments.conftest import complete_course
from training.enrollment.models import Assignment, ReminderSent
from training.enrollment.selectors import assignment_statuses
from training.enrollment.services import (
    assignment_create,
    recertifications_create,
    reminder_send_now,
    reminders_send,
)

from .conftest import certify

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def subjects(to=None):
    return [m.subject for m in mail.outbox if to is None or m.to == [to]]


def test_assigning_makes_one_assignment_each_and_emails_each_person_once(north, course, manager_north, today, settings):
    due = today + 14 * DAY
    made = assignment_create(employees=north, course=course, due_date=due, assigned_by=manager_north)

    assert [a.employee for a in made] == north
    assert all(a.reason == "assigned" and a.assigned_by == manager_north and a.due_date == due for a in made)
    assert len(mail.outbox) == 5
    message = mail.outbox[0]
    assert message.to == ["amira@academy.example"]
    assert message.subject == f"New course for you: Customer Loyalty Fundamentals, due {due:%-d %B %Y}"
    assert f"{settings.SITE_URL}/customer-loyalty-fundamentals/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Customer Loyalty Fundamentals" in html and "Nadia Okafor" in html
    assert ReminderSent.objects.filter(kind="assigned").count() == 5


def test_the_email_links_to_the_course_on_the_site_url(north, course, manager_north, today, settings):
    settings.SITE_URL = "https://academy.example.com"
    assignment_create(employees=north[:1], course=course, due_date=today + 3 * DAY, assigned_by=manager_north)
    body = mail.outbox[0].body
    assert "https://academy.example.com/customer-loyalty-fundamentals/" in body
    assert "https://academy.example.com/learning/" in body
    assert 'href="https://academy.example.com/customer-loyalty-fundamentals/"' in mail.outbox[0].alternatives[0][0]


def test_assigning_again_moves_the_due_date_instead_of_duplicating(north, course, manager_north, hr_user, today):
    amira, ben = north[:2]
    first = assignment_create(employees=[amira], course=course, due_date=today + 10 * DAY, assigned_by=manager_north)[0]
    again = assignment_create(employees=[amira, ben, amira], course=course, due_date=today + 20 * DAY, assigned_by=hr_user)

    assert again[0].pk == first.pk and len(again) == 2
    assert Assignment.objects.filter(employee=amira).count() == 1
    first.refresh_from_db()
    assert first.due_date == today + 20 * DAY and first.assigned_by == manager_north
    assert subjects("amira@academy.example") == [subjects("amira@academy.example")[0]]  # told once
    assert len(mail.outbox) == 2  # amira once, ben once


def test_a_completed_assignment_is_kept_and_a_lapsed_one_replaced(north, course, manager_north, today):
    amira, ben = north[:2]
    assignment_create(employees=[amira, ben], course=course, due_date=today + 5 * DAY, assigned_by=manager_north)
    complete_course(amira, course)
    # Ben completed it a year ago (his certificate came after that assignment) and it has lapsed.
    now = timezone.now()
    Assignment.objects.filter(employee=ben).update(assigned_at=now - 400 * DAY)
    certify(ben, course, issued_at=now - 380 * DAY, expires_at=now - 15 * DAY)
    assert assignment_statuses(employees=[ben])[ben.pk, course.pk].state == "completed"
    mail.outbox.clear()

    # Amira holds a valid certificate: nothing to do and no email.
    kept = assignment_create(employees=[amira], course=course, due_date=today + 9 * DAY, assigned_by=manager_north)
    assert Assignment.objects.filter(employee=amira).count() == 1 and kept[0].due_date == today + 5 * DAY
    assert mail.outbox == []
    # Ben's certificate has expired: a new assignment, and its email.
    new = assignment_create(employees=[ben], course=course, due_date=today + 9 * DAY, assigned_by=manager_north)
    assert Assignment.objects.filter(employee=ben).count() == 2 and new[0].due_date == today + 9 * DAY
    assert assignment_statuses(employees=[ben])[ben.pk, course.pk].state == "expired"  # to be done again
    assert [m.to for m in mail.outbox] == [["ben@academy.example"]]


def test_someone_already_certified_gets_a_completed_assignment_and_no_email(north, course, manager_north, today):
    amira = north[0]
    certify(amira, course, issued_at=timezone.now() - 30 * DAY)
    assignment_create(employees=[amira], course=course, due_date=today + 5 * DAY, assigned_by=manager_north)
    assert assignment_statuses(employees=[amira])[amira.pk, course.pk].state == "completed"
    assert mail.outbox == []


def test_a_due_date_in_the_past_is_refused_naming_it(north, course, manager_north, today):
    yesterday = today - DAY
    with pytest.raises(ValueError, match=f"due date {yesterday:%-d %B %Y} is in the past"):
        assignment_create(employees=north, course=course, due_date=yesterday, assigned_by=manager_north)
    assert not Assignment.objects.exists() and mail.outbox == []
    assert assignment_create(employees=north[:1], course=course, due_date=today, assigned_by=manager_north)  # today is fine


def test_reminders_go_out_once_per_event(north, course, manager_north, today):
    amira, ben, chloe = north[:3]
    assignment_create(employees=[amira, ben, chloe], course=course, due_date=today + 10 * DAY, assigned_by=manager_north)
    complete_course(chloe, course)
    mail.outbox.clear()

    assert reminders_send(today=today) == {"due_soon": 0, "overdue": 0, "recertify": 0}
    assert reminders_send(today=today + 7 * DAY) == {"due_soon": 2, "overdue": 0, "recertify": 0}
    assert reminders_send(today=today + 7 * DAY) == {"due_soon": 0, "overdue": 0, "recertify": 0}
    assert reminders_send(today=today + 9 * DAY) == {"due_soon": 0, "overdue": 0, "recertify": 0}
    assert subjects() == [f"Reminder: Customer Loyalty Fundamentals is due in 3 days ({today + 10 * DAY:%-d %B %Y})"] * 2
    assert sorted(m.to[0] for m in mail.outbox) == ["amira@academy.example", "ben@academy.example"]  # chloe is done

    mail.outbox.clear()
    assert reminders_send(today=today + 11 * DAY) == {"due_soon": 0, "overdue": 2, "recertify": 0}
    assert reminders_send(today=today + 11 * DAY) == {"due_soon": 0, "overdue": 0, "recertify": 0}
    assert reminders_send(today=today + 40 * DAY) == {"due_soon": 0, "overdue": 0, "recertify": 0}
    assert subjects() == [f"Overdue: Customer Loyalty Fundamentals was due {today + 10 * DAY:%-d %B %Y}"] * 2
    assert ReminderSent.objects.filter(kind="overdue").count() == 2


def test_an_assignment_first_seen_late_gets_only_the_overdue_reminder(north, course, manager_north, today):
    assignment_create(employees=north[:1], course=course, due_date=today + 2 * DAY, assigned_by=manager_north)
    mail.outbox.clear()
    # Already announced within the due-soon window: no separate "due soon" email.
    assert reminders_send(today=today + DAY) == {"due_soon": 0, "overdue": 0, "recertify": 0}
    assert reminders_send(today=today + 5 * DAY) == {"due_soon": 0, "overdue": 1, "recertify": 0}
    assert reminders_send(today=today + 5 * DAY)["overdue"] == 0


def test_inactive_users_get_no_email(north, course, manager_north, hr_user, today):
    amira, ben = north[:2]
    amira.user.is_active = False
    amira.user.save()
    made = assignment_create(employees=[amira, ben], course=course, due_date=today + 5 * DAY, assigned_by=manager_north)
    assert len(made) == 2 and [m.to for m in mail.outbox] == [["ben@academy.example"]]
    mail.outbox.clear()
    assert reminders_send(today=today + 3 * DAY)["due_soon"] == 1
    assert reminders_send(today=today + 9 * DAY)["overdue"] == 1
    assert reminder_send_now(assignment=made[0], sent_by=manager_north) is False
    assert all(m.to == ["ben@academy.example"] for m in mail.outbox)
    assert not ReminderSent.objects.filter(assignment__employee=amira).exists()


def test_a_failed_send_is_not_recorded_and_the_next_run_retries(north, course, manager_north, today, monkeypatch):
    assignment_create(employees=north[:1], course=course, due_date=today + 10 * DAY, assigned_by=manager_north)
    mail.outbox.clear()
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise ConnectionRefusedError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", broken)
        assert reminders_send(today=today + 8 * DAY)["due_soon"] == 0
    assert not ReminderSent.objects.filter(kind="due_soon").exists()
    assert reminders_send(today=today + 8 * DAY)["due_soon"] == 1


def test_the_send_reminder_button_always_sends_and_is_logged(north, course, manager_north, today):
    assignment = assignment_create(employees=north[:1], course=course, due_date=today + 5 * DAY, assigned_by=manager_north)[0]
    mail.outbox.clear()
    assert reminder_send_now(assignment=assignment, sent_by=manager_north) is True
    assert reminder_send_now(assignment=assignment, sent_by=manager_north) is True
    assert subjects() == [f"Reminder from Nadia Okafor: Customer Loyalty Fundamentals, due {today + 5 * DAY:%-d %B %Y}"] * 2
    entries = ModelLogEntry.objects.for_instance(assignment).filter(action="academy.assignment.remind")
    assert entries.count() == 2 and entries.first().user == manager_north
    # The automatic reminders are unaffected.
    assert reminders_send(today=today + 3 * DAY)["due_soon"] == 1


def test_recertification_is_assigned_ahead_of_expiry_once(north, course, today):
    amira, ben, chloe = north[:3]
    now = timezone.now()
    soon = certify(amira, course, issued_at=now - 340 * DAY, expires_at=now + 20 * DAY)
    certify(ben, course, issued_at=now - 200 * DAY, expires_at=now + 160 * DAY)  # not yet
    certify(chloe, course, issued_at=now, expires_at=None)  # never expires
    made = recertifications_create(today=today)
    assert [(a.employee, a.reason, a.due_date, a.assigned_by) for a in made] == [
        (amira, "recertification", timezone.localdate(soon.expires_at), None)
    ]
    assert subjects() == [f"Time to recertify: Customer Loyalty Fundamentals, due {timezone.localdate(soon.expires_at):%-d %B %Y}"]
    assert recertifications_create(today=today) == []
    assert recertifications_create(today=today + 5 * DAY) == []  # still open
    assert reminders_send(today=today)["recertify"] == 0  # announced already
    assert len(mail.outbox) == 1

    # Ben's turn comes 30 days before his expiry.
    assert recertifications_create(today=today + 129 * DAY) == []
    assert [a.employee for a in recertifications_create(today=today + 131 * DAY)] == [ben]


def test_recertification_completed_by_a_new_certificate_and_then_due_again(north, course, today):
    amira = north[0]
    now = timezone.now()
    certify(amira, course, issued_at=now - 340 * DAY, expires_at=now + 20 * DAY)
    first = recertifications_create(today=today)[0]
    renewed = certify(amira, course, issued_at=now + 21 * DAY, expires_at=now + 386 * DAY)
    status = assignment_statuses(employees=[amira])[amira.pk, course.pk]
    assert status.state == "completed" and status.certificate == renewed
    assert recertifications_create(today=today + 30 * DAY) == []
    again = recertifications_create(today=today + 360 * DAY)
    assert len(again) == 1 and again[0].pk != first.pk and again[0].due_date == timezone.localdate(renewed.expires_at)


def test_recertification_skips_inactive_people_revoked_certificates_and_open_assignments(
    north, course, manager_north, hr_user, today
):
    from assessments.certificates.services import certificate_revoke

    amira, ben, chloe = north[:3]
    now = timezone.now()
    for employee in (amira, ben, chloe):
        certify(employee, course, issued_at=now - 350 * DAY, expires_at=now + 10 * DAY)
    amira.user.is_active = False
    amira.user.save()
    certificate_revoke(certificate=ben.certificates.get(), by=hr_user, reason="Cheated")
    assert recertifications_create(today=today) == [chloe.assignments.get()]
    assert [m.to for m in mail.outbox] == [["chloe@academy.example"]]


def test_send_reminders_command_prints_counts_and_a_second_run_sends_nothing(north, course, manager_north, today, capsys):
    now = timezone.now()
    certify(north[0], course, issued_at=now - 340 * DAY, expires_at=now + 20 * DAY)
    assignment_create(employees=north[1:3], course=course, due_date=today + 2 * DAY, assigned_by=manager_north)
    Assignment.objects.filter(employee__in=north[1:3]).update(assigned_at=now - 10 * DAY)
    ReminderSent.objects.update(sent_at=now - 10 * DAY)
    mail.outbox.clear()

    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "Recertification assignments created: 1" in out
    assert "due_soon emails sent: 2" in out and "recertify emails sent: 1" in out and "overdue emails sent: 0" in out
    assert len(mail.outbox) == 3

    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "Recertification assignments created: 0" in out and "due_soon emails sent: 0" in out
    assert len(mail.outbox) == 3

    call_command("send_reminders", today=(today + 3 * DAY).isoformat())
    assert "overdue emails sent: 2" in capsys.readouterr().out


def test_an_already_expired_certificate_gets_one_email_a_day(north, course, today):
    amira = north[0]
    now = timezone.now()
    expired = certify(amira, course, issued_at=now - 400 * DAY, expires_at=now - 35 * DAY)
    call_command("send_reminders")
    assert [a.due_date for a in amira.assignments.all()] == [timezone.localdate(expired.expires_at)]
    assert subjects() == [f"Time to recertify: Customer Loyalty Fundamentals, due {timezone.localdate(expired.expires_at):%-d %B %Y}"]
    assert reminders_send(today=today) == {"due_soon": 0, "overdue": 0, "recertify": 0}
    assert reminders_send(today=today + DAY)["overdue"] == 1
