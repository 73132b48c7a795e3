"""Attempts and responses: what was asked (frozen), what was answered, and how it scored."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.models import PreviewableMixin


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
    revision = models.PositiveBigIntegerField(
        default=0, help_text="When the answer was changed (ms, made monotonic); an older write never replaces it."
    )
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


class CertificateTemplate(PreviewableMixin, models.Model):
    """How a course's certificates look. Editors manage these as snippets; the preview renders a
    sample PDF. Body text may use {name}, {course}, {date}, {score} and {expires}."""

    PLACEHOLDERS = ("name", "course", "date", "score", "expires")

    name = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=120, default="Certificate of completion")
    body = models.TextField(
        default="This certifies that {name} has completed {course} on {date} with a score of {score}.",
        help_text="Placeholders: {name}, {course}, {date}, {score}, {expires}.",
    )
    signatory_name = models.CharField(max_length=120, default="Head of Learning")
    signatory_title = models.CharField(max_length=120, blank=True, default="Loyalty Academy")
    signature_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accent_colour = models.CharField(
        max_length=7, default="#1f4e79", validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #1f4e79.")]
    )
    is_default = models.BooleanField(default=False, help_text="Used by courses that pick no template.")

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("signatory_name"),
        FieldPanel("signatory_title"),
        FieldPanel("signature_image"),
        FieldPanel("logo"),
        FieldPanel("accent_colour"),
        FieldPanel("is_default"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        import string

        try:
            fields = {field for _, field, _, _ in string.Formatter().parse(self.body) if field is not None}
        except ValueError as error:
            raise ValidationError({"body": f"Check the braces in the text: {error}."}) from None
        unknown = sorted(fields - set(self.PLACEHOLDERS))
        if unknown:
            raise ValidationError(
                {"body": f"Unknown placeholder {{{unknown[0]}}}; use {', '.join('{' + p + '}' for p in self.PLACEHOLDERS)}."}
            )

    def serve_preview(self, request, mode_name):
        from django.http import HttpResponse

        from assessments.certificates import render_sample_pdf

        return HttpResponse(render_sample_pdf(self), content_type="application/pdf")


class CertificateQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """Proof that an employee completed a course. The code (>= 128 random bits) is the only
    public handle; the PDF is rendered once, stored, and served from storage ever after."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey("modules.CoursePage", on_delete=models.PROTECT, related_name="certificates")
    cycle = models.PositiveSmallIntegerField(default=1, help_text="1 for the first certification, 2 after renewal ...")
    code = models.CharField(max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_reason = models.TextField(blank=True)
    reissue_of = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reissued_as")
    pdf = models.FileField(upload_to="certificates/", blank=True)
    render_error = models.TextField(blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "course", "cycle"],
                condition=Q(revoked_at__isnull=True),
                name="one_current_certificate_per_cycle",
            )
        ]

    def __str__(self):
        return f"{self.course} · {self.employee}"

    def status(self, now=None) -> str:
        """valid, expired or revoked: derived, never stored."""
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= (now or timezone.now()):
            return "expired"
        return "valid"
