"""Extra time on quizzes (WCAG 2.2.1; Moodle's user overrides): given by HR or the person's manager
with a reason, recorded with who and when, enforced by the server from the attempt's start, shown
to the person. Bad input and other people's ids are refused with a 4xx naming the problem."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, TimeAccommodation
from assessments.attempts.selectors import time_limit_for
from assessments.attempts.services import (
    AccommodationRefused,
    attempt_save,
    attempts_close_expired,
    time_accommodation_end,
    time_accommodation_grant,
)
from training.people.models import Employee

from .conftest import choice_token, qtoken, single

pytestmark = pytest.mark.django_db
User = get_user_model()


def person(username) -> Employee:
    return Employee.objects.get(user__username=username)


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def grant_url(employee):
    return reverse("team_member_time", args=[employee.pk])


def test_the_limit_rule(employee, make_quiz):
    hr = User.objects.get(username="hr")
    timed, other, untimed = make_quiz([single()], time_limit_minutes=20), make_quiz([single()], time_limit_minutes=5), make_quiz([single()])
    assert time_limit_for(employee=employee, quiz=timed).minutes == 20 and not time_limit_for(employee=employee, quiz=timed).extended
    everywhere = time_accommodation_grant(employee=employee, granted_by=hr, reason="Dyslexia", factor=Decimal("1.25"))
    assert time_limit_for(employee=employee, quiz=timed).minutes == 25
    assert time_limit_for(employee=employee, quiz=other).minutes == 7  # 6.25 rounded up: extra time is never cut short
    assert time_limit_for(employee=employee, quiz=untimed) is None  # untimed stays untimed
    # A grant for one quiz wins over the one for all quizzes; both factor and minutes add up.
    time_accommodation_grant(employee=employee, granted_by=hr, reason="Screen reader", quiz=timed, factor=Decimal("1.5"), extra_minutes=5)
    limit = time_limit_for(employee=employee, quiz=timed)
    assert (limit.minutes, limit.standard_minutes, limit.extended) == (35, 20, True)
    assert time_limit_for(employee=employee, quiz=other).minutes == 7
    # Others keep the standard limit; an ended grant no longer counts.
    assert time_limit_for(employee=person("ben"), quiz=timed).minutes == 20
    time_accommodation_end(accommodation=everywhere, ended_by=hr)
    assert time_limit_for(employee=employee, quiz=other).minutes == 5


def test_a_new_grant_replaces_the_current_one_for_that_scope_and_keeps_the_record(employee, make_quiz):
    hr = User.objects.get(username="hr")
    first = time_accommodation_grant(employee=employee, granted_by=hr, reason="One", extra_minutes=10)
    second = time_accommodation_grant(employee=employee, granted_by=hr, reason="Two", extra_minutes=15)
    first.refresh_from_db()
    assert first.ended_at is not None and first.ended_by == hr and second.ended_at is None
    assert list(TimeAccommodation.objects.current().filter(employee=employee)) == [second]


def test_granted_by_the_manager_enforced_by_the_server_seen_by_the_employee(client, make_quiz):
    """End to end through the pages: manager.north gives Amira ×1.5 on a 20-minute quiz."""
    amira = person("amira")
    quiz = make_quiz([single("First?"), single("Second?")], time_limit_minutes=20, title="Timed final")
    login(client, "manager.north")
    record = reverse("team_member", args=[amira.pk])
    assert "Give extra time" in client.get(record).content.decode()
    response = client.post(grant_url(amira), {"quiz": quiz.pk, "factor": "1.5", "extra_minutes": "", "reason": "Reads with a screen reader"})
    assert response.status_code == 302 and response["Location"] == record
    grant = TimeAccommodation.objects.get(employee=amira)
    assert (grant.quiz_id, grant.factor, grant.extra_minutes) == (quiz.pk, Decimal("1.50"), None)
    assert grant.granted_by.username == "manager.north" and abs(grant.granted_at - timezone.now()) < timedelta(minutes=1)
    html = client.get(record).content.decode()
    assert "×1.5" in html and "Reads with a screen reader" in html and "Timed final" in html

    # Amira sees her own limit, and the attempt's deadline is fixed from it at the start.
    login(client, "amira")
    assert "30 minute time limit for you, with your extra time (standard 20 minutes)" in client.get(quiz.url).content.decode()
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(employee=amira, quiz=quiz)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=30)
    take = reverse("attempt_take", args=[attempt.pk])
    assert "Your limit: 30 minutes" in client.get(take).content.decode()

    # 25 minutes in (past the standard 20 and its grace, within her 30): a form post is accepted.
    Attempt.objects.filter(pk=attempt.pk).update(started_at=attempt.started_at - timedelta(minutes=25), deadline=attempt.deadline - timedelta(minutes=25))
    saved = client.post(take, {f"q-{qtoken(attempt, 0)}": choice_token(attempt, 0, "Right"), "action": "save"})
    assert saved.status_code == 302 and Attempt.objects.get(pk=attempt.pk).is_open
    assert attempt.responses.exclude(value=None).count() == 1

    # Past her 30 minutes (and the grace), the attempt is closed as the cron job closes any other.
    attempt.refresh_from_db()
    assert attempts_close_expired(now=attempt.deadline + timedelta(seconds=31)) == 1
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.EXPIRED and attempt.submitted_at == attempt.deadline and attempt.score == 1


def test_a_late_save_past_the_extended_limit_is_refused_and_closes_the_attempt(employee, make_quiz):
    from assessments.attempts.services import AttemptClosed, attempt_start

    quiz = make_quiz([single()], time_limit_minutes=10)
    time_accommodation_grant(employee=employee, granted_by=User.objects.get(username="hr"), reason="Extra", extra_minutes=5)
    now = timezone.now()
    attempt = attempt_start(employee=employee, quiz=quiz, now=now)
    answer = {attempt.questions[0]["id"]: attempt.questions[0]["choices"][0]["id"]}
    attempt_save(attempt=attempt, answers=answer, now=now + timedelta(minutes=14))  # standard limit long gone: accepted
    with pytest.raises(AttemptClosed):
        attempt_save(attempt=attempt, answers=answer, now=now + timedelta(minutes=15, seconds=31))
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.EXPIRED


def test_a_grant_changes_only_attempts_started_after_it(employee, make_quiz):
    from assessments.attempts.services import attempt_start

    quiz = make_quiz([single()], time_limit_minutes=10)
    attempt = attempt_start(employee=employee, quiz=quiz)
    time_accommodation_grant(employee=employee, granted_by=User.objects.get(username="hr"), reason="Late", factor=Decimal(2))
    attempt.refresh_from_db()
    assert attempt.time_limit_minutes == 10


@pytest.mark.parametrize("form, field, message", [
    ({"factor": "0"}, "factor", "The factor must be more than 1 and at most 4"),
    ({"factor": "-1.5"}, "factor", "The factor must be more than 1"),
    ({"factor": "1"}, "factor", "The factor must be more than 1"),
    ({"factor": "50"}, "factor", "at most 4 (1.5 gives half as much time again); 50 is not"),
    ({"factor": "1.555"}, "factor", "no more than 2 decimal places"),
    ({"factor": "lots"}, "factor", "Enter a number"),
    ({"extra_minutes": "0"}, "extra_minutes", "Extra minutes must be from 1 to 480; 0 is not"),
    ({"extra_minutes": "-10"}, "extra_minutes", "Extra minutes must be from 1 to 480"),
    ({"extra_minutes": "99999999999999999999"}, "extra_minutes", "Extra minutes must be from 1 to 480"),
    ({}, "factor", "Give a factor (such as 1.5), extra minutes, or both"),
    ({"factor": "1.5", "reason": "  "}, "reason", "This field is required"),
    ({"factor": "1.5", "quiz": "99999999"}, "quiz", "Choose one of the timed quizzes listed"),
    ({"factor": "1.5", "quiz": "18446744073709551616"}, "quiz", "Choose one of the timed quizzes listed"),
    ({"factor": "1.5", "quiz": "untimed"}, "quiz", "Choose one of the timed quizzes listed"),
])
def test_bad_input_is_a_400_naming_the_problem_and_saves_nothing(client, make_quiz, form, field, message):
    untimed = make_quiz([single()])
    amira = person("amira")
    login(client, "manager.north")
    data = {"reason": "Because", **form}
    if data.get("quiz") == "untimed":
        data["quiz"] = untimed.pk
    response = client.post(grant_url(amira), data)
    assert response.status_code == 400
    assert message in response.context["time_form"].errors[field][0]
    assert message.split(" (")[0].replace("“", "") in response.content.decode().replace("&quot;", '"')
    assert not TimeAccommodation.objects.exists()


def test_the_service_refuses_what_the_form_would(employee, make_quiz):
    hr = User.objects.get(username="hr")
    with pytest.raises(AccommodationRefused, match="factor must be more than 1"):
        time_accommodation_grant(employee=employee, granted_by=hr, reason="x", factor=Decimal(0))
    with pytest.raises(AccommodationRefused, match="has no time limit"):
        time_accommodation_grant(employee=employee, granted_by=hr, reason="x", quiz=make_quiz([single()]), extra_minutes=5)
    with pytest.raises(AccommodationRefused, match="only to people in the teams you manage"):
        time_accommodation_grant(employee=employee, granted_by=employee.user, reason="myself", extra_minutes=5)
    assert not TimeAccommodation.objects.exists()


@pytest.mark.parametrize("username, target, status", [
    ("manager.north", "amira", 302),  # their team
    ("manager.north", "felix", 404),  # another manager's team
    ("manager.south", "amira", 404),
    ("hr", "felix", 302),  # HR: anyone
    ("amira", "ben", 404),  # an employee: nobody
    ("amira", "amira", 404),  # nor themself
])
def test_only_hr_and_the_persons_managers_may_grant(client, username, target, status):
    login(client, username)
    response = client.post(grant_url(person(target)), {"extra_minutes": "10", "reason": "Needs it"})
    assert response.status_code == status
    assert TimeAccommodation.objects.filter(employee=person(target)).exists() == (status == 302)


def test_ending_a_grant_is_recorded_and_only_for_someone_the_ender_manages(client):
    amira = person("amira")
    grant = time_accommodation_grant(employee=amira, granted_by=User.objects.get(username="hr"), reason="R", extra_minutes=10)
    end = reverse("team_member_time_end", args=[amira.pk, grant.pk])
    login(client, "manager.south")
    assert client.post(end).status_code == 404
    # The right person's id with someone else's grant id: 404 as well.
    assert client.post(reverse("team_member_time_end", args=[person("felix").pk, grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.ended_at is None
    login(client, "manager.north")
    assert client.post(end).status_code == 302
    grant.refresh_from_db()
    assert grant.ended_at is not None and grant.ended_by.username == "manager.north"
    html = client.get(reverse("team_member", args=[amira.pk])).content.decode()
    assert "ended" in html and "10 extra minutes" in html
