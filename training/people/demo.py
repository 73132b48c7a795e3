"""Roles and demo people for a fresh site. Idempotent: running it again changes nothing."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from training.people import roles
from training.people.roles import roles_sync
from training.people.models import Employee, Team

DEMO_PASSWORD = "loyalty-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str


# (username, first, last, job title); the first two teams' managers come first.
_MANAGERS = [
    ("manager.north", "Nadia", "Okafor", "Store manager, North"),
    ("manager.south", "Samuel", "Reyes", "Store manager, South"),
]
_TEAMS = {
    "North store": [
        ("amira", "Amira", "Haddad", "Barista"),
        ("ben", "Ben", "Carter", "Cashier"),
        ("chloe", "Chloe", "Dubois", "Shift lead"),
        ("dev", "Dev", "Patel", "Barista"),
        ("emma", "Emma", "Lindqvist", "Host"),
    ],
    "South store": [
        ("felix", "Felix", "Wagner", "Barista"),
        ("grace", "Grace", "Kim", "Cashier"),
        ("hugo", "Hugo", "Martin", "Shift lead"),
        ("isla", "Isla", "Murphy", "Host"),
        ("jonas", "Jonas", "Berg", "Barista"),
    ],
}


def _user(username, first, last, *, email=None, is_staff=False, is_superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": email or f"{username}@academy.example",
            "is_staff": is_staff,
            "is_superuser": is_superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _employee(user, number, title, team=None):
    employee, _ = Employee.objects.get_or_create(
        user=user, defaults={"employee_number": number, "job_title": title, "team": team}
    )
    return employee


@transaction.atomic
def demo_people_load() -> list[DemoLogin]:
    """HR, two managers with a team of five each, an editor and a superuser; returns their logins."""
    groups = roles_sync()
    logins = []

    admin = _user("admin", "Ada", "Admin", is_staff=True, is_superuser=True)
    logins.append(DemoLogin("admin", "Wagtail superuser", admin.get_full_name()))
    editor = _user("editor", "Elliot", "Writer")
    editor.groups.add(groups[roles.EDITOR])
    logins.append(DemoLogin("editor", "Content editor", editor.get_full_name()))

    hr = _user("hr", "Hana", "Ruiz")
    hr.groups.add(groups[roles.HR], groups[roles.EMPLOYEE])
    _employee(hr, "E0001", "HR partner")
    logins.append(DemoLogin("hr", "HR", hr.get_full_name()))

    number = 10
    for (team_name, members), (username, first, last, title) in zip(_TEAMS.items(), _MANAGERS):
        manager_user = _user(username, first, last)
        manager_user.groups.add(groups[roles.MANAGER], groups[roles.EMPLOYEE])
        manager = _employee(manager_user, f"E{number:04d}", title)
        number += 1
        team, _ = Team.objects.get_or_create(name=team_name, defaults={"manager": manager})
        logins.append(DemoLogin(username, f"Manager of {team_name}", manager_user.get_full_name()))
        for username, first, last, title in members:
            user = _user(username, first, last)
            user.groups.add(groups[roles.EMPLOYEE])
            _employee(user, f"E{number:04d}", title, team)
            number += 1
            logins.append(DemoLogin(username, f"Employee, {team_name}", user.get_full_name()))
    return logins
