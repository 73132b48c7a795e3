"""Attempts and responses: what was asked (frozen), what was answered, and how it scored."""

import math
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel
from wagtail.models import PreviewableMixin

from training.private_files import private_storage, random_name


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

    @property
    def time_limit_minutes(self) -> int | None:
        """The limit this attempt was started with (the person's own, extra time included)."""
        return round((self.deadline - self.started_at).total_seconds() / 60) if self.deadline else None


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


class TimeAccommodationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class TimeAccommodation(models.Model):
    """Extra time for one person (WCAG 2.2.1; Moodle's "user override"): on one quiz, or on every
    timed quiz when `quiz` is empty. The limit becomes standard × factor + extra minutes (either
    may be left out). Granted by HR or the person's manager, with a reason; a new grant for the
    same scope ends the previous one, and ended grants stay as the record of who gave what when.
    The rule that turns it into a limit is `assessments.attempts.selectors.time_limit_for`; the deadline
    is fixed from it when an attempt starts."""

    MAX_FACTOR = Decimal("4")
    MAX_EXTRA_MINUTES = 480

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="time_accommodations")
    quiz = models.ForeignKey(
        "modules.QuizPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Empty: every timed quiz.",
    )
    factor = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    extra_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = TimeAccommodationQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(factor__isnull=False) | Q(extra_minutes__isnull=False), name="accommodation_gives_time"
            ),
            # One current grant per person and scope (a quiz, or all quizzes); two constraints
            # because NULLs are distinct in unique indexes on SQLite and (by default) PostgreSQL.
            models.UniqueConstraint(
                fields=["employee", "quiz"], condition=Q(ended_at__isnull=True, quiz__isnull=False),
                name="one_current_accommodation_per_quiz",
            ),
            models.UniqueConstraint(
                fields=["employee"], condition=Q(ended_at__isnull=True, quiz__isnull=True),
                name="one_current_accommodation_for_all_quizzes",
            ),
        ]

    def __str__(self):
        return f"{self.employee}: {self.describe()}"

    def describe(self) -> str:
        """“×1.5 and 10 extra minutes” and the like, as people read it."""
        parts = []
        if self.factor is not None:
            parts.append(f"×{self.factor.normalize():f}")
        if self.extra_minutes:
            parts.append(f"{self.extra_minutes} extra minute{'s' if self.extra_minutes != 1 else ''}")
        return " and ".join(parts)

    def minutes_for(self, standard_minutes: int) -> int:
        """The extended limit in whole minutes (rounded up: extra time is never cut short)."""
        factor = self.factor if self.factor is not None else Decimal(1)
        return math.ceil(standard_minutes * factor) + (self.extra_minutes or 0)


# The one grammar of a certificate template's body, read by clean() and by rendering: a
# placeholder is exactly {name}, {course}, {date}, {score} or {expires}; {{ and }} are literal
# braces. Anything else in braces (a format spec, a conversion, attribute or index access, an
# unknown name) or a lone brace is refused by clean() and printed as it stands by rendering, which
# never calls str.format: a spec like {name:x>999999999} would build a gigabyte string.
_BODY_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


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
        problems = self.body_problems()
        if problems:
            raise ValidationError({"body": problems})

    def body_problems(self) -> list[str]:
        """What is wrong with the body's braces, each message naming the text at fault (empty when
        it is fine). Only the plain placeholders are allowed: specs, conversions and attribute or
        index access would let an editor make every render slow or read more than the value."""
        plain = ", ".join("{" + name + "}" for name in self.PLACEHOLDERS)
        problems = []
        for match in _BODY_TOKEN.finditer(self.body):
            token, inner = match.group(0), match.group(1)
            if token in ("{{", "}}") or inner in self.PLACEHOLDERS:
                continue
            if inner is None:
                around = self.body[max(0, match.start() - 15) : match.end() + 15].strip()
                side = "opening" if token == "{" else "closing"
                problems.append(f"A lone {side} brace “{token}” in “{around}”: write a placeholder such as {{name}}, or {token}{token} for a brace.")
                continue
            head = re.split(r"[:!.\[]", inner, maxsplit=1)[0]
            if head in self.PLACEHOLDERS and len(head) < len(inner):
                what = {":": "a format spec", "!": "a conversion", ".": "attribute access", "[": "index access"}[inner[len(head)]]
                problems.append(f"“{token}” has {what} (“{inner[len(head):]}”); placeholders take none: write {{{head}}}.")
            else:
                problems.append(f"Unknown placeholder “{token}”; use {plain}.")
        return list(dict.fromkeys(problems))

    def body_filled(self, values: dict[str, str]) -> str:
        """The body with each placeholder replaced by its value and {{ }} by single braces; any
        other brace text (a template saved before clean() refused it) is printed as it stands.
        One pass, no str.format: the time is linear in the body whatever it holds."""

        def replace(match):
            token, inner = match.group(0), match.group(1)
            if token in ("{{", "}}"):
                return token[0]
            return values[inner] if inner in self.PLACEHOLDERS else token

        return _BODY_TOKEN.sub(replace, self.body)

    def serve_preview(self, request, mode_name):
        from django.http import HttpResponse

        from assessments.certificates.pdf import render_sample_pdf

        return HttpResponse(render_sample_pdf(self), content_type="application/pdf")


def certificate_pdf_name(instance, filename) -> str:
    """A random name in private storage: never the public code, which would let anyone who has
    seen a certificate's QR code guess where its file is."""
    return random_name("certificates", ".pdf")


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
    # Rendered, never uploaded; private, served only by the permission-checked download view.
    pdf = models.FileField(upload_to=certificate_pdf_name, storage=private_storage, blank=True, editable=False)
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
        """valid, expired or revoked: derived, never stored (`assessments.progress.certificate_status`)."""
        from assessments.progress import certificate_status

        return certificate_status(self, now)


from assessments.credentials.models import IssuedCredential, IssuerKey  # noqa: E402,F401  (models of this app)
