"""Course assignments with due dates, and the reminders sent about them.

An assignment's state (not started, in progress, completed, overdue) is derived in
`training.enrollment.selectors`, never stored: it follows from lessons done, quizzes passed and
certificates issued.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef


class AssignmentQuerySet(models.QuerySet):
    def latest_per_course(self):
        """For each (employee, course), only the most recent assignment: older ones were completed
        (or superseded) when it was made, so it is the one that speaks for the pair."""
        newer = Assignment.objects.filter(employee=OuterRef("employee"), course=OuterRef("course"), pk__gt=OuterRef("pk"))
        return self.filter(~Exists(newer))

    def of(self, employee):
        return self.filter(employee=employee)


class Assignment(models.Model):
    """A course someone must complete by a date: assigned by a manager or HR, or made
    automatically when a certificate nears its expiry (reason "recertification").

    There is at most one open (not completed) assignment per employee and course: assigning again
    moves the due date (see `services.assignment_create`). A new one is made only once the previous
    one is completed.
    """

    class Reason(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        RECERTIFICATION = "recertification", "Recertification"

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey("modules.CoursePage", on_delete=models.CASCADE, related_name="assignments")
    due_date = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Empty for assignments the system made (recertification).",
    )
    assigned_at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.ASSIGNED)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["employee", "course"]), models.Index(fields=["due_date"])]

    def __str__(self):
        return f"{self.course} for {self.employee}, due {self.due_date:%Y-%m-%d}"


class ReminderSent(models.Model):
    """An automatic email about an assignment. The unique (assignment, kind) pair is what makes
    every reminder go out at most once, even when two cron runs overlap."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        RECERTIFY = "recertify", "Recertify"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["assignment", "kind"], name="one_reminder_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for assignment {self.assignment_id}"
