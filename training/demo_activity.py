"""A year of made-up learning for the demo people, so a fresh `make run` shows the team grid, the
HR reports, question statistics and certificates with something in them.

Everything goes through the real services (lessons marked done, attempts started and submitted,
certificates issued and revoked) at back-dated moments. `manage.py load_academy --demo-activity`
loads it once: when any demo employee already has activity, it changes nothing. Tests start
without it.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from assessments.certificates.services import add_months, certificate_revoke
from assessments.models import Attempt, Certificate
from assessments.attempts.services import attempt_start, attempt_submit
from modules.models import CoursePage, LessonCompletion, QuizPage
from modules.services import lesson_complete
from training.enrollment.models import Assignment
from training.people.models import Employee

SHIPPED_COURSE = "customer-loyalty-fundamentals"


@dataclass(frozen=True)
class Plan:
    """One person's story: from `started` days ago, one step of the course (a lesson or its quiz)
    a day, `steps` of them (None: the whole course); then what else happens."""

    username: str
    started: int = 0
    steps: int | None = 0
    failed_final: int | None = None  # days ago they failed the final assessment
    revoked: int | None = None  # days ago HR revoked their certificate
    assigned: tuple[int, int] | None = None  # (days ago assigned by their manager, due in days; negative: overdue)


PLANS = [
    Plan("amira", started=45, steps=None, assigned=(50, -20)),  # certified a month ago
    Plan("ben", started=10, steps=6, assigned=(12, 14)),  # half-way, due in two weeks
    Plan("chloe", started=25, steps=12, failed_final=8, assigned=(30, -5)),  # failed the final, overdue
    Plan("dev", assigned=(3, 21)),  # not started yet
    Plan("emma", started=365, steps=None),  # certificate expires within the month
    Plan("felix", started=120, steps=None, revoked=20),  # certificate revoked
    Plan("grace", started=420, steps=None),  # certificate expired
    Plan("hugo", started=20, steps=3, assigned=(25, -2)),  # barely started, overdue
    Plan("isla", started=14, steps=12, assigned=(15, 7)),  # only the final left
    Plan("jonas"),  # nothing at all
]
REVOKE_REASON = "Final assessment taken on a colleague's login; to be retaken under supervision."


def full_marks_response(question: dict):
    """The full-marks answer for a question frozen into an attempt (answer key included)."""
    kind = question["kind"]
    if kind == "single_choice":
        return next(c["id"] for c in question["choices"] if c["correct"])
    if kind == "multiple_choice":
        return [c["id"] for c in question["choices"] if c["correct"]]
    if kind in ("true_false", "numeric"):
        return question["answer"]
    if kind == "short_text":
        return question["accepted"][0]
    if kind == "ordering":
        return [item["id"] for item in question["items"]]
    if kind == "matching":
        return {pair["id"]: pair["answer_id"] for pair in question["pairs"]}
    if kind == "scenario":
        return max(question["options"], key=lambda o: Decimal(o["points"]))["id"]
    return "A thoughtful written answer."


def wrong_response(question: dict):
    """A plausible answer that earns nothing (or little) for a frozen question."""
    kind = question["kind"]
    if kind == "single_choice":
        return next(c["id"] for c in question["choices"] if not c["correct"])
    if kind == "multiple_choice":
        return [c["id"] for c in question["choices"] if not c["correct"]]
    if kind == "true_false":
        return not question["answer"]
    if kind == "numeric":
        return "1" if Decimal(str(question["answer"])) == 0 else "0"
    if kind == "short_text":
        return "I am not sure"
    if kind == "ordering":
        return [item["id"] for item in reversed(question["items"])]
    if kind == "matching":
        answers = [pair["answer_id"] for pair in question["pairs"]]
        return {pair["id"]: answers[(i + 1) % len(answers)] for i, pair in enumerate(question["pairs"])}
    if kind == "scenario":
        return min(question["options"], key=lambda o: Decimal(o["points"]))["id"]
    return ""


def _take_quiz(employee, quiz, *, at: datetime, wrong_share: float, rng: random.Random) -> Attempt:
    attempt = attempt_start(employee=employee, quiz=quiz, now=at, rng=rng)
    wrong = set(rng.sample(range(len(attempt.questions)), round(len(attempt.questions) * wrong_share)))
    answers = {
        question["id"]: wrong_response(question) if i in wrong else full_marks_response(question)
        for i, question in enumerate(attempt.questions)
    }
    return attempt_submit(attempt=attempt, answers=answers, now=at + timedelta(minutes=rng.randint(4, 15)))


def _follow(plan: Plan, employee, steps: list, *, now: datetime, rng: random.Random) -> datetime | None:
    """Walk the course for one person; returns the moment of their last step."""
    last = None
    for day, page in enumerate(steps[: plan.steps] if plan.steps is not None else steps):
        at = now - timedelta(days=plan.started - day, hours=rng.randint(0, 6), minutes=rng.randint(0, 59))
        if isinstance(page, QuizPage):
            # Most pass first time with a slip or two; now and then someone fails and retries.
            if rng.random() < 0.2:
                _take_quiz(employee, page, at=at, wrong_share=0.6, rng=rng)
                at += timedelta(hours=1)
            _take_quiz(employee, page, at=at, wrong_share=rng.choice([0, 0, 0.1, 0.15]), rng=rng)
        else:
            completion, _ = lesson_complete(employee=employee, lesson=page)
            LessonCompletion.objects.filter(pk=completion.pk).update(completed_at=at)
        last = at
    return last


def _backdate_certificate(employee, course, issued_at: datetime) -> Certificate:
    """Date the certificate the course's completion just issued to the moment of that completion.
    Rendering waits for the transaction's commit, so the PDF shows the back-dated date."""
    certificate = Certificate.objects.get(employee=employee, course=course)
    certificate.issued_at = issued_at
    certificate.expires_at = add_months(issued_at, course.certificate_validity_months) if course.certificate_validity_months else None
    certificate.save(update_fields=["issued_at", "expires_at"])
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Certificate), object_id=str(certificate.pk)
    ).update(timestamp=issued_at)
    return certificate


def _has_activity(employees) -> bool:
    return any(
        model.objects.filter(employee__in=employees).exists() for model in (LessonCompletion, Attempt, Certificate, Assignment)
    )


@transaction.atomic
def demo_activity_load(*, now: datetime | None = None, seed: int = 7) -> dict[str, int] | None:
    """Load the PLANS for the demo people; returns what was made, or None when they (or some of
    them) already had activity, or are not all there."""
    now = now or timezone.now()
    rng = random.Random(seed)
    employees = {e.user.username: e for e in Employee.objects.select_related("user", "team__manager__user")
                 .filter(user__username__in=[plan.username for plan in PLANS])}
    if len(employees) < len(PLANS) or _has_activity(employees.values()):
        return None
    course = CoursePage.objects.live().get(slug=SHIPPED_COURSE)
    steps = [page.specific for page in course.get_children().live().order_by("path")]
    hr = get_user_model().objects.get(username="hr")
    for plan in PLANS:
        employee = employees[plan.username]
        finished = _follow(plan, employee, steps, now=now, rng=rng)
        if plan.failed_final is not None:
            final = next(page for page in reversed(steps) if isinstance(page, QuizPage))
            _take_quiz(employee, final, at=now - timedelta(days=plan.failed_final), wrong_share=0.6, rng=rng)
        if plan.steps is None:
            certificate = _backdate_certificate(employee, course, finished)
            if plan.revoked is not None:
                certificate_revoke(certificate=certificate, by=hr, reason=REVOKE_REASON, now=now - timedelta(days=plan.revoked))
        if plan.assigned is not None:
            assigned_days_ago, due_in = plan.assigned
            manager = employee.team.manager.user if employee.team and employee.team.manager else hr
            Assignment.objects.create(employee=employee, course=course, assigned_by=manager,
                                      assigned_at=now - timedelta(days=assigned_days_ago), due_date=timezone.localdate(now) + timedelta(days=due_in))
    people = employees.values()
    return {
        "lessons done": LessonCompletion.objects.filter(employee__in=people).count(),
        "attempts": Attempt.objects.filter(employee__in=people).count(),
        "certificates": Certificate.objects.filter(employee__in=people).count(),
        "assignments": Assignment.objects.filter(employee__in=people).count(),
    }
