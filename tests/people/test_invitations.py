"""Invitations: who gets one, what it says, its one-time link, and HR's ways to send it again."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import path, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.clock import clock, empty_cache  # noqa: F401 (fixtures)
from training.enrollment.models import Assignment
from training.people.invitations import invitation_url, invitations_send, never_signed_in
from training.people.models import Employee
from training.people.roster import COLUMNS, roster_import
from training.people.tokens import LinkStatus, invitation_token_generator, reset_token_generator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
User = get_user_model()
NORTH = "manager.north@academy.example"
NEW = (
    "N100,Nora Newcomer,nora@shop.example,North store,{north},Associate,yes\n"
    "N101,Omar Onboard,omar@shop.example,North store,{north},Associate,\n"
    "N102,Pia Parked,pia@shop.example,North store,{north},Associate,no\n"
).format(north=NORTH)
ROSTER = (",".join(COLUMNS) + "\n" + NEW).encode()


def link_of(message) -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def hr():
    return User.objects.get(username="hr")


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def test_every_new_active_employee_of_an_import_gets_one_invitation(hr):
    result = roster_import(data=ROSTER, invited_by=hr)

    assert result.created == 3 and result.invited == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["nora@shop.example", "omar@shop.example"]
    message = next(m for m in mail.outbox if m.to == ["nora@shop.example"])
    assert message.subject == "Hana Ruiz invites you to Loyalty Academy"
    assert "Hana Ruiz has invited you" in message.body and "nora@shop.example" in message.body  # the username
    assert link_of(message).startswith("http://127.0.0.1:8000/accounts/invitation/")
    assert link_of(message) in message.alternatives[0].content  # the HTML part has the same link

    mail.outbox.clear()
    assert roster_import(data=ROSTER, invited_by=hr).invited == 0  # nobody new: nobody invited
    assert mail.outbox == []


def test_the_import_command_invites_and_says_how_many(tmp_path, capsys):
    (tmp_path / "roster.csv").write_bytes(ROSTER)
    call_command("import_roster", str(tmp_path / "roster.csv"))
    assert "2 invitation(s) sent" in capsys.readouterr().out
    assert mail.outbox[0].subject == "You are invited to Loyalty Academy"


def test_the_roster_page_says_how_many_invitations_went_out(hr_client):
    upload = SimpleUploadedFile("roster.csv", ROSTER, content_type="text/csv")
    html = hr_client.post(reverse("people_roster_import"), {"file": upload}).content.decode()
    assert re.search(r'data-count="invited">2<', html)
    assert "Hana Ruiz has invited you" in mail.outbox[0].body  # the uploader is the inviter


def test_an_invitation_lists_the_assigned_courses(course, hr):
    roster_import(data=ROSTER, invite=False)
    nora = Employee.objects.get(employee_number="N100")
    Assignment.objects.create(
        employee=nora, course=course, due_date=date(2031, 3, 14), assigned_by=hr, assigned_at=timezone.now()
    )

    assert invitations_send(users=[nora.user, nora.user], invited_by=hr) == 1  # listed twice, sent once
    body = mail.outbox[0].body
    assert f"- {course.title}, due Friday 14 March 2031" in body


def test_an_invitation_link_is_not_a_reset_link_and_vice_versa():
    user = User.objects.get(username="amira")
    invitation, reset = invitation_token_generator.make_token(user), reset_token_generator.make_token(user)
    assert invitation_token_generator.check_token(user, invitation)
    assert reset_token_generator.check_token(user, reset)
    assert not invitation_token_generator.check_token(user, reset)
    assert not reset_token_generator.check_token(user, invitation)


def test_an_invitation_lasts_invitation_days_not_the_reset_timeout(clock, settings):
    settings.INVITATION_DAYS, settings.PASSWORD_RESET_TIMEOUT = 14, 3 * 24 * 3600
    user = User.objects.get(username="amira")
    token = invitation_token_generator.make_token(user)
    clock.advance(days=13, hours=23)
    assert invitation_token_generator.status(user, token) is LinkStatus.VALID
    clock.advance(hours=2)
    assert invitation_token_generator.status(user, token) is LinkStatus.EXPIRED
    settings.INVITATION_DAYS = 30  # the setting is read when checking
    assert invitation_token_generator.status(user, token) is LinkStatus.VALID


def test_an_invitation_is_used_up_by_choosing_a_password_or_signing_in():
    roster_import(data=ROSTER, invite=False)
    nora, omar = (User.objects.get(email=f"{n}@shop.example") for n in ("nora", "omar"))
    nora_token, omar_token = (invitation_token_generator.make_token(u) for u in (nora, omar))
    assert invitation_token_generator.status(nora, "abc-def") is LinkStatus.INVALID

    nora.set_password("a long and unusual phrase")
    nora.save()
    assert invitation_token_generator.status(nora, nora_token) is LinkStatus.USED

    omar.last_login = omar.date_joined + timedelta(minutes=1)  # signed in another way (SSO)
    omar.save()
    assert invitation_token_generator.status(omar, omar_token) is LinkStatus.USED


def test_send_invitations_command_invites_everyone_who_never_signed_in_once(capsys):
    roster_import(data=ROSTER, invite=False)
    expected = set(never_signed_in().values_list("email", flat=True))
    assert {"nora@shop.example", "omar@shop.example"} <= expected and "pia@shop.example" not in expected

    call_command("send_invitations", "--never-signed-in")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert f"{len(expected)} invitation(s) sent" in capsys.readouterr().out

    mail.outbox.clear()
    call_command("send_invitations", "nora@shop.example", "omar@shop.example", "nora@shop.example")
    assert sorted(m.to[0] for m in mail.outbox) == ["nora@shop.example", "omar@shop.example"]
    with pytest.raises(CommandError, match="nobody@shop.example"):
        call_command("send_invitations", "nobody@shop.example")
    with pytest.raises(CommandError):
        call_command("send_invitations")


def test_hr_resends_one_persons_invitation_from_their_record(hr_client):
    amira = Employee.objects.get(user__username="amira")
    record = reverse("team_member", args=[amira.pk])
    assert "Resend invitation" in hr_client.get(record).content.decode()
    assert hr_client.get(reverse("team_member_invite", args=[amira.pk])).status_code == 405

    response = hr_client.post(reverse("team_member_invite", args=[amira.pk]), follow=True)
    assert response.redirect_chain[-1][0] == record
    assert "An invitation is being sent to Amira" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[amira.user.email]]


def test_only_hr_may_resend_an_invitation(client):
    manager = User.objects.get(username="manager.north")
    amira = Employee.objects.get(user__username="amira")
    client.force_login(manager)
    assert "Resend invitation" not in client.get(reverse("team_member", args=[amira.pk])).content.decode()
    assert client.post(reverse("team_member_invite", args=[amira.pk])).status_code == 404
    assert mail.outbox == []


def test_hr_resends_invitations_to_everyone_who_never_signed_in_after_confirming(hr_client):
    roster_import(data=ROSTER, invite=False)
    count = never_signed_in().count()
    roster_page = hr_client.get(reverse("people_roster_import")).content.decode()
    assert f"Resend invitations to everyone who has never signed in ({count})" in roster_page

    confirm = hr_client.get(reverse("people_invitations_resend")).content.decode()
    assert f"Send {count} invitations" in confirm and mail.outbox == []  # nothing before confirming

    response = hr_client.post(reverse("people_invitations_resend"), follow=True)
    assert f"Invitations are being sent to {count} people who have never signed in." in response.content.decode()
    assert len(mail.outbox) == count == len({m.to[0] for m in mail.outbox})


def test_only_hr_reaches_the_resend_page(client):
    client.force_login(User.objects.get(username="manager.north"))
    assert client.post(reverse("people_invitations_resend")).status_code == 403
    assert mail.outbox == []


def sso_urls():
    from training.urls import urlpatterns

    return [path("oidc/authenticate/", lambda request: None, name="oidc_authentication_init"), *urlpatterns]


urlpatterns = sso_urls()


@pytest.mark.urls(__name__)
def test_with_sso_only_the_invitation_links_to_the_sso_login(settings, hr):
    settings.SSO_ONLY = True
    roster_import(data=ROSTER, invited_by=hr)
    body = mail.outbox[0].body
    assert "http://127.0.0.1:8000/oidc/authenticate/" in body
    assert "/accounts/invitation/" not in body and "password" not in body.lower()


def test_an_expired_invitation_offers_a_new_one(client, clock, settings):
    roster_import(data=ROSTER, invite=False)
    nora = User.objects.get(email="nora@shop.example")
    link = path_of(invitation_url(user=nora))
    clock.advance(days=settings.INVITATION_DAYS, minutes=1)

    html = client.get(link).content.decode()
    assert 'data-link-status="expired"' in html and "Send me a new invitation" in html
    uid = urlsafe_base64_encode(force_bytes(nora.pk))
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("invitation_renew", args=[uid, token]))
    assert "A new invitation is on its way" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["nora@shop.example"]]
    fresh = path_of(link_of(mail.outbox[0]))
    assert client.get(fresh, follow=True).context["validlink"]


def test_only_a_genuine_expired_invitation_renews(client):
    roster_import(data=ROSTER, invite=False)
    nora = User.objects.get(email="nora@shop.example")
    uid = urlsafe_base64_encode(force_bytes(nora.pk))
    valid = invitation_token_generator.make_token(nora)
    for token in (valid, "1-abc", reset_token_generator.make_token(nora)):
        response = client.post(reverse("invitation_renew", args=[uid, token]))
        assert response.status_code == 302
    assert mail.outbox == []


def test_course_emails_tell_someone_who_never_signed_in_how_to_choose_a_password(course, hr):
    from training.enrollment.services import assignment_create

    roster_import(data=ROSTER, invite=False)
    nora = Employee.objects.get(employee_number="N100")
    amira = Employee.objects.get(user__username="amira")
    amira.user.last_login = timezone.now()
    amira.user.save()
    assignment_create(employees=[nora, amira], course=course, due_date=date(2031, 3, 14), assigned_by=hr)
    by_address = {m.to[0]: m for m in mail.outbox}
    first_time = "First time here? Choose your password at http://127.0.0.1:8000/accounts/password/reset/"
    assert first_time in by_address["nora@shop.example"].body
    assert "/accounts/password/reset/" in by_address["nora@shop.example"].alternatives[0].content
    assert first_time not in by_address[amira.user.email].body


def test_a_failed_invitation_is_raised_for_a_retry_and_logged_with_the_person_others_still_go(hr, monkeypatch, caplog):
    """One task per person: Omar's mail server failure (a mock at the SMTP boundary, which we do
    not own) fails his task only; Nora's mail goes out once. Without a worker's retries left,
    the failure is logged as given up, with his name and address."""
    from django.core.mail.backends.locmem import EmailBackend

    send = EmailBackend.send_messages

    def refuse_omar(self, messages):
        if messages[0].to == ["omar@shop.example"]:
            raise ConnectionRefusedError("SMTP down")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_omar)
    result = roster_import(data=ROSTER, invited_by=hr)
    assert result.invited == 2  # both queued
    assert [m.to for m in mail.outbox] == [["nora@shop.example"]]
    gave_up = [r.getMessage() for r in caplog.records if r.levelname == "ERROR" and "Could not send" in r.getMessage()]
    assert len(gave_up) == 1 and "omar@shop.example" in gave_up[0] and "gave up" in gave_up[0]
