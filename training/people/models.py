from django.conf import settings
from django.db import models


class Team(models.Model):
    """A group of employees led by one manager (an Employee)."""

    name = models.CharField(max_length=120, unique=True)
    manager = models.ForeignKey(
        "Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Employee(models.Model):
    """The workforce side of a login: every learner, manager and HR person has one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employee")
    employee_number = models.CharField(max_length=40, unique=True)
    job_title = models.CharField(max_length=120, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
