"""Deactivation ends access at once: every session of a deactivated person (password or SSO) is
signed out on its next request and removed, whoever deactivated them."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from training.people.models import Employee
from training.people.roster import COLUMNS, roster_import

pytestmark = pytest.mark.django_db
User = get_user_model()
SSO_BACKEND = f"{__name__}.SsoLikeBackend"


class SsoLikeBackend(ModelBackend):
    """Loads a session's user as mozilla-django-oidc's backend does: whatever `is_active` says."""

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id).first()


@pytest.fixture
def sso(settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, SSO_BACKEND]


def sessions(employee) -> list[Client]:
    """Two signed-in sessions of `employee`: one by password, one by SSO."""
    by_password, by_sso = Client(), Client()
    by_password.force_login(employee.user, backend="training.people.sso.PasswordBackend")
    by_sso.force_login(employee.user, backend=SSO_BACKEND)
    for client in (by_password, by_sso):
        assert client.get(reverse("my_learning")).status_code == 200
    return [by_password, by_sso]


def assert_signed_out(clients):
    for client in clients:
        key = client.session.session_key
        answer = client.get(reverse("my_learning"))
        assert answer.status_code == 302 and answer.url.startswith(reverse("login"))
        assert not Session.objects.filter(session_key=key).exists()  # gone, not just ignored


def roster_row(employee, *, active) -> str:
    """The employee's line in a roster file that changes nothing but `active`. Managers are listed
    in the team they manage; HR and editors, in no team, in one of their own."""
    team = employee.team or employee.managed_teams.first()
    manager = team.manager if team is not None and team.manager_id != employee.pk else None
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow(
        [employee.employee_number, employee.full_name, employee.user.email, team.name if team else "Head office",
         manager.user.email if manager else "", employee.job_title, "yes" if active else "no"]
    )
    return line.getvalue()


def test_deactivated_by_the_roster_file(sso):
    amira = Employee.objects.select_related("user", "team__manager__user").get(user__username="amira")
    clients = sessions(amira)
    result = roster_import(data=(",".join(COLUMNS) + "\n" + roster_row(amira, active=False) + "\n").encode())
    assert result.ok and result.updated == 1
    assert_signed_out(clients)
    # Reactivated later, the old sessions stay ended.
    User.objects.filter(pk=amira.user_id).update(is_active=True)
    assert all(client.get(reverse("my_learning")).status_code == 302 for client in clients)


def test_deactivated_as_missing_from_a_full_roster(sso):
    everyone = Employee.objects.select_related("user", "team__manager__user")
    amira = everyone.get(user__username="amira")
    clients = sessions(amira)
    ben = Client()
    ben.force_login(User.objects.get(username="ben"))
    rows = [roster_row(e, active=True) for e in everyone.exclude(pk=amira.pk)]
    result = roster_import(data=("\n".join([",".join(COLUMNS), *rows]) + "\n").encode(), deactivate_missing=True)
    assert result.ok and result.deactivated == 1, result.problems
    assert_signed_out(clients)
    assert ben.get(reverse("my_learning")).status_code == 200  # others stay signed in


def test_deactivated_in_the_admin(sso):
    """Superusers switch `is_active` off on Wagtail's user edit page."""
    amira = Employee.objects.select_related("user").get(user__username="amira")
    clients = sessions(amira)
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    edit = reverse("wagtailusers_users:edit", args=[amira.user_id])
    form = admin.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(username="amira", email=amira.user.email, first_name="Amira", last_name="Haddad", is_active="")
    data["groups"] = [group.pk for group in amira.user.groups.all()]
    answer = admin.post(edit, data)
    assert answer.status_code == 302, answer.context["form"].errors
    assert not User.objects.get(pk=amira.user_id).is_active
    assert_signed_out(clients)
