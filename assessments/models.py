"""Attempts and responses: what was asked (frozen), what was answered, and how it scored."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AttemptQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(state=Attempt.State.IN_PROGRESS)

    def finished(self):
        return self.exclude(state=Attempt.State.IN_PROGRESS)

    def scored(self):
        """Finished attempts with a final score (written answers all graded)."""
        return self.filter(state__in=Attempt.SCORED_STATES)

    def for_quiz(self, quiz):
        return self.filter(quiz=quiz)

    def of(self, employee):
        return self.filter(employee=employee)


class Attempt(models.Model):
    """One go at a quiz. `questions` freezes the drawn questions (answer key included, shuffled
    choice order applied), so editing the quiz later never changes this attempt or its review."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        AWAITING_GRADING = "awaiting_grading", "Awaiting grading"
        GRADED = "graded", "Graded"
        EXPIRED = "expired", "Closed at the time limit"

    SCORED_STATES = (State.SUBMITTED, State.GRADED, State.EXPIRED)

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey("modules.QuizPage", on_delete=models.CASCADE, related_name="attempts")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveSmallIntegerField(help_text="1 for the employee's first attempt at this quiz.")
    questions = models.JSONField(help_text="Frozen question specs, in the order shown.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    percentage = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "quiz"], condition=Q(state="in_progress"), name="one_open_attempt_per_quiz"
            ),
            models.UniqueConstraint(fields=["employee", "quiz", "number"], name="attempt_numbers_unique"),
        ]

    def __str__(self):
        return f"Attempt {self.number} of {self.employee} at {self.quiz_id}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.IN_PROGRESS


class Response(models.Model):
    """The employee's answer to one question of an attempt, saved as it is given."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question_id = models.CharField(max_length=64)
    value = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField()
    points = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, blank=True)
    manual_points = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)
    grader_comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question_id"], name="one_response_per_question")]

    def __str__(self):
        return f"{self.attempt_id}:{self.question_id}"
