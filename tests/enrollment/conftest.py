from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.certificates.services import new_code
from assessments.models import Certificate
from training.people.models import Employee

User = get_user_model()
NORTH = ["amira", "ben", "chloe", "dev", "emma"]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def north(db):
    """The North store team, in roster order."""
    by_name = {e.user.username: e for e in Employee.objects.filter(user__username__in=NORTH).select_related("user")}
    return [by_name[name] for name in NORTH]


@pytest.fixture
def manager_north(db):
    return User.objects.get(username="manager.north")


@pytest.fixture
def manager_south(db):
    return User.objects.get(username="manager.south")


@pytest.fixture
def hr_user(db):
    return User.objects.get(username="hr")


def employee_named(username) -> Employee:
    return Employee.objects.select_related("user").get(user__username=username)


def certify(employee, course, *, issued_at=None, months_valid=12, expires_at=...):
    """A certificate straight in the table (no PDF): enough for statuses and recertification."""
    issued_at = issued_at or timezone.now()
    if expires_at is ...:
        expires_at = issued_at + timedelta(days=30 * months_valid) if months_valid else None
    cycle = Certificate.objects.filter(employee=employee, course=course).count() + 1
    return Certificate.objects.create(
        employee=employee, course=course, cycle=cycle, code=new_code(), issued_at=issued_at, expires_at=expires_at, score=100
    )
