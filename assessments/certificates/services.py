"""Certificate life cycle: issue on course completion, render once, revoke, reissue.

Every change is recorded as a Wagtail log entry (who, when, why), which the admin shows in the
certificate's history.
"""

import calendar
import logging
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from assessments import cycles
from assessments.models import Certificate, CertificateTemplate, certificate_pdf_name
from assessments.progress import courses_progress, quiz_standings
from modules.course_tree import course_of
from modules.models import CoursePage
from training.people.models import Employee
from training.ratelimit import rate_limit_hit

logger = logging.getLogger(__name__)
MAX_RENDER_ATTEMPTS = 3


def default_template_ensure() -> CertificateTemplate:
    """The shipped default certificate template (created once; editors may change it)."""
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is None:
        template, _ = CertificateTemplate.objects.get_or_create(name="Loyalty Academy", defaults={"is_default": True})
    return template


def new_code() -> str:
    """192 random bits, URL-safe; never derived from a database id. Never starting with "-", which
    spreadsheets would read as a formula (exports would have to alter the code)."""
    while (code := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return code


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _expiry(course, issued):
    return add_months(issued, course.certificate_validity_months) if course.certificate_validity_months else None


def _course_score(employee, progress, now) -> Decimal | None:
    """Mean of the course's quiz grades under each quiz's policy, in the current cycle (the final
    assessment's grade is this cycle's)."""
    quizzes = [item for item in progress.items if item.is_quiz]
    since = cycles.counted_from(progress.course, progress.items, progress.cycle)
    standings = quiz_standings(employee=employee, quizzes=quizzes, since=since, now=now)
    grades = [s.grade for s in standings.values() if s.grade is not None]
    if not grades:
        return None
    mean = sum(grades) / len(grades)
    return Decimal(mean.numerator) / Decimal(mean.denominator)


def certificate_issue(*, employee: Employee, course: CoursePage, now=None) -> Certificate | None:
    """Issue the certificate when the course is complete in the employee's current cycle; exactly
    once per employee, course and cycle.

    Cycles follow `assessments.cycles`: the next one opens 30 days before the certificate expires
    (when `send_reminders` assigns recertification), and it is complete once the final assessment
    is passed again with attempts of that cycle (everything else too when the course repeats
    lessons). The previous certificate is left valid until its own expiry. A revoked certificate
    is not replaced automatically (HR reissues). Concurrent calls are serialised on the employee
    row and backed by a partial unique constraint. Rendering is queued once the issue has committed.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            Employee.objects.select_for_update().get(pk=employee.pk)
            progress = courses_progress(employee=employee, courses=[course], now=now)[0]
            if progress.cycle.certificate is not None or not progress.is_complete:
                return None  # met already (or revoked: HR decides), or not done yet
            certificate = Certificate.objects.create(
                employee=employee,
                course=course,
                cycle=progress.cycle.number,
                code=new_code(),
                issued_at=now,
                expires_at=_expiry(course, now),
                score=_course_score(employee, progress, now),
            )
            log(certificate, "academy.certificate.issue", user=employee.user)
            transaction.on_commit(lambda: certificate_render_task.enqueue(certificate.pk))
            return certificate
    except IntegrityError:
        return None  # a concurrent request issued it a moment ago


def certificate_issue_after_step(*, employee: Employee, step) -> Certificate | None:
    """The one route from "a step of a course is done" (a lesson marked done, a quiz passed) to
    the certificate: issue it if that step completed the course (`certificate_issue`). The course
    comes from the cached course tree (a course that is not live is read from the database)."""
    course = course_of(step)
    return certificate_issue(employee=employee, course=course) if course else None


def certificate_render(*, certificate: Certificate) -> Certificate:
    """Render and store the PDF, with the certificate's verifiable credential (signed first if need
    be) embedded, unless it is there already. Safe to run again, also concurrently
    and after a worker died half way (README "Background work").

    The PDF is rendered to bytes, written to private storage under a new random name, and only then
    does the row point at it, in one conditional UPDATE: a reader sees no file or a whole one, never
    a half-written one (a crash leaves at worst a file no row names). When another run stored a PDF
    meanwhile, ours is deleted and theirs kept: one file per certificate. A failure is recorded on
    the certificate and raised (so a worker's retry runs it again).
    """
    from assessments.certificates.pdf import render_certificate_pdf
    from assessments.credentials.issuing import certificate_credential, credential_filename

    if certificate.pdf:
        return certificate
    try:
        credential = certificate_credential(certificate)
        pdf = render_certificate_pdf(certificate, credential=(credential_filename(certificate), credential.document))
    except Exception as error:
        Certificate.objects.filter(pk=certificate.pk).update(
            render_error=f"{type(error).__name__}: {error}"[:2000], render_attempts=F("render_attempts") + 1
        )
        certificate.refresh_from_db()
        raise
    storage = certificate.pdf.storage
    name = storage.save(certificate_pdf_name(certificate, "certificate.pdf"), ContentFile(pdf))
    stored = Certificate.objects.filter(pk=certificate.pk, pdf="").update(
        pdf=name, render_error="", render_attempts=F("render_attempts") + 1
    )
    if not stored:  # rendered by another run since we looked: keep theirs
        storage.delete(name)
    certificate.refresh_from_db()
    return certificate


@task()
def certificate_render_task(certificate_id: int) -> None:
    """Raises on failure, so a worker backend retries it (README "Background work")."""
    certificate = Certificate.objects.select_related("employee__user", "course").get(pk=certificate_id)
    try:
        certificate_render(certificate=certificate)
    except Exception:
        logger.exception("Certificate %s failed to render (attempt %s)", certificate_id, certificate.render_attempts)
        raise


def certificates_render_missing() -> tuple[int, int]:
    """Retry every certificate without a PDF; returns (rendered, failed)."""
    rendered = failed = 0
    pending = Certificate.objects.filter(pdf="").select_related("employee__user", "course")
    for certificate in pending:
        try:
            certificate_render(certificate=certificate)
            rendered += 1
        except Exception:  # recorded on the certificate by certificate_render
            failed += 1
    return rendered, failed


def certificate_render_ask(*, certificate: Certificate) -> None:
    """Queue the render of a certificate that a download found without its PDF (a worker is behind,
    or its job was lost with a killed worker), at most once a minute per certificate: on workers,
    no request renders a PDF."""
    if not rate_limit_hit(f"certificate-render:{certificate.pk}", limit=1, window=60):
        certificate_render_task.enqueue(certificate.pk)


def certificates_render_enqueue_pending(*, older_than: timedelta, now=None) -> int:
    """Queue a render for every certificate issued more than `older_than` ago and still without a
    PDF (its job was lost: Redis flushed, retries used up, a worker died before RQ noticed).
    Returns how many were queued; rendering twice is harmless (see certificate_render)."""
    now = now or timezone.now()
    pending = list(Certificate.objects.filter(pdf="", issued_at__lte=now - older_than).values_list("pk", flat=True))
    for certificate_id in pending:
        certificate_render_task.enqueue(certificate_id)
    return len(pending)


def certificate_revoke(*, certificate: Certificate, by, reason: str, now=None) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise ValueError("Give a reason for revoking the certificate.")
    if certificate.revoked_at:
        raise ValueError("This certificate is already revoked.")
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_by = by
    certificate.revoked_reason = reason
    with transaction.atomic():
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
        log(certificate, "academy.certificate.revoke", user=by, data={"reason": reason})
    return certificate


def certificate_reissue(*, certificate: Certificate, by, reason: str, now=None) -> Certificate:
    """Replace a certificate with a new one (new code, issued now): the old one is revoked."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValueError("Give a reason for reissuing the certificate.")
    with transaction.atomic():
        if not certificate.revoked_at:
            certificate_revoke(certificate=certificate, by=by, reason=f"Reissued: {reason}", now=now)
        replacement = Certificate.objects.create(
            employee=certificate.employee,
            course=certificate.course,
            cycle=certificate.cycle,
            code=new_code(),
            issued_at=now,
            expires_at=_expiry(certificate.course, now),
            score=certificate.score,
            reissue_of=certificate,
        )
        log(replacement, "academy.certificate.reissue", user=by, data={"reason": reason, "replaces": certificate.code})
        transaction.on_commit(lambda: certificate_render_task.enqueue(replacement.pk))
    return replacement
