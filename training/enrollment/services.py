"""Writes for assignments: assigning courses, reminder emails and recertification.

Every automatic email is recorded as a ReminderSent row inside the same transaction that sends it,
so each (assignment, kind) goes out at most once: running `send_reminders` twice sends nothing new,
and a failed send leaves no record, so the next run tries again. Inactive users and users without
an email address get no email (and no record, so they are reminded if they come back).

To add a reminder kind: add it to ReminderSent.Kind (and a migration), add
templates/emails/assignment_<kind>{_subject.txt,.txt,.html}, and decide when `reminders_send` sends it.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task
from wagtail.log_actions import log

from assessments import cycles
from assessments.models import Certificate
from modules.models import CoursePage
from training.enrollment.models import Assignment, ReminderSent
from training.enrollment.selectors import assignment_statuses, statuses_of
from training.people.models import Employee
from training.tasks import send_failure_log

logger = logging.getLogger(__name__)

DUE_SOON_REMINDER_DAYS = 3
RECERTIFY_AHEAD_DAYS = cycles.RENEWAL_WINDOW_DAYS  # the day the certificate's next cycle opens
MANUAL = "reminder"  # the template set for a manager's "send reminder" button (never deduplicated)


# Emails ---------------------------------------------------------------------------------------


def _home() -> str:
    """The employee's home page (My learning, in the dashboards above this app), as the project's
    LOGIN_REDIRECT_URL setting names it."""
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _absolute(url: str | None) -> str:
    if not url:
        return settings.SITE_URL + _home()
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def can_email(user) -> bool:
    """Only active users with an address get email."""
    return bool(user.is_active and user.email)


def assignment_email(*, assignment: Assignment, kind: str, today: date | None = None, sent_by=None) -> EmailMultiAlternatives:
    """The email about `assignment` for `kind` (a ReminderSent kind, or "reminder" for a manager's
    nudge), plain text with an HTML alternative, from templates/emails/assignment_<kind>*."""
    today = today or timezone.localdate()
    employee, course = assignment.employee, assignment.course
    context = {
        "assignment": assignment,
        "employee": employee,
        "name": employee.user.first_name or employee.full_name,
        "course": course,
        "due_date": assignment.due_date,
        "days_left": (assignment.due_date - today).days,
        "days_overdue": (today - assignment.due_date).days,
        "course_url": _absolute(course.get_url()),
        "my_learning_url": _absolute(_home()),
        "assigned_by": assignment.assigned_by,
        "sent_by": sent_by,
        "site_url": settings.SITE_URL,
        # Someone who has never signed in (fresh from the roster import) has no password yet.
        "first_time_url": None if employee.user.last_login else settings.SITE_URL + reverse("password_reset"),
    }
    subject = " ".join(render_to_string(f"emails/assignment_{kind}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/assignment_{kind}.txt", context),
        to=[employee.user.email],
    )
    message.attach_alternative(render_to_string(f"emails/assignment_{kind}.html", context), "text/html")
    return message


def _send_once(assignment: Assignment, kind: str, *, today: date | None = None) -> bool:
    """Send the `kind` email unless it went out before; True when sent now. A mail server failure
    raises and leaves no record (the row and the send share one transaction)."""
    if not can_email(assignment.employee.user):
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(assignment=assignment, kind=kind, sent_at=timezone.now())
            assignment_email(assignment=assignment, kind=kind, today=today).send()
    except IntegrityError:
        return False  # sent already (perhaps by a run a moment ago)
    logger.info("Sent %s email for assignment %s to %s", kind, assignment.pk, assignment.employee.user.email)
    return True


def _remind_once(assignment: Assignment, kind: str, *, today: date | None = None) -> bool:
    """`_send_once` for a cron run: a failure is logged and the next run retries."""
    try:
        return _send_once(assignment, kind, today=today)
    except Exception:
        logger.exception("Could not send the %s email for assignment %s; the next run retries.", kind, assignment.pk)
        return False


# Assigning --------------------------------------------------------------------------------------


def assignment_create(
    *,
    employees: Iterable[Employee],
    course: CoursePage,
    due_date: date,
    assigned_by,
    today: date | None = None,
) -> list[Assignment]:
    """Assign `course` to each employee, due on `due_date`; returns their assignments.

    An employee with an open assignment for the course keeps it with the new due date (no
    duplicate); one whose latest assignment is completed and whose certificate is still valid keeps
    that one unchanged (nothing to do); anyone else gets a new assignment. Each employee with an open
    assignment receives the "assigned" email once, queued for a worker (`assigned_email_deliver`,
    one task per person) after the assignments are committed. Refuses a due date before `today`.
    Permission to assign these people is the caller's business (the view limits them to
    `employees_visible_to(user=...)`).
    """
    today = today or timezone.localdate()
    if due_date < today:
        raise ValueError(f"The due date {date_format(due_date, 'j F Y')} is in the past; choose today or a later date.")
    unique = list({employee.pk: employee for employee in employees}.values())
    if not unique:
        return []
    ids = [employee.pk for employee in unique]
    now = timezone.now()
    chosen: dict[int, Assignment] = {}
    with transaction.atomic():
        # Serialise concurrent assignments of the same people, so nobody gets two open ones.
        list(Employee.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        statuses = assignment_statuses(employees=ids, courses=[course.pk], today=today)
        for employee in unique:
            status = statuses.get((employee.pk, course.pk))
            if status is not None and status.is_open:
                assignment = status.assignment
                if assignment.due_date != due_date:
                    assignment.due_date = due_date
                    assignment.save(update_fields=["due_date"])
            elif status is not None and status.certificate_status == "valid":
                assignment = status.assignment
            else:
                assignment = Assignment.objects.create(
                    employee=employee,
                    course=course,
                    due_date=due_date,
                    assigned_by=assigned_by,
                    assigned_at=now,
                    reason=Assignment.Reason.ASSIGNED,
                )
            chosen[employee.pk] = assignment
    logger.info("%s assigned %s to %s employees, due %s", assigned_by, course, len(chosen), due_date)
    open_now = {key for key, status in assignment_statuses(employees=ids, courses=[course.pk], today=today).items() if status.is_open}
    for employee in unique:
        if (employee.pk, course.pk) in open_now and can_email(employee.user):
            assigned_email_deliver.enqueue(assignment_id=chosen[employee.pk].pk)
    return [chosen[employee.pk] for employee in unique]


@task(backend="background")
def assigned_email_deliver(*, assignment_id: int) -> bool:
    """The queued "assigned" email: sent at most once (ReminderSent), so a retry or a second
    assignment of the same course sends nothing new; raises when the mail server fails, so a worker
    tries again. False when the assignment has gone, the person cannot get email any more, or it
    was sent already."""
    assignment = Assignment.objects.select_related("employee__user", "course").filter(pk=assignment_id).first()
    if assignment is None:
        return False
    try:
        return _send_once(assignment, ReminderSent.Kind.ASSIGNED)
    except Exception:
        send_failure_log(logger, "“assigned” email", assignment.employee.user, about=f" about {assignment.course}")
        raise


# Reminders --------------------------------------------------------------------------------------


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Send what is due today, each at most once per assignment; returns counts per kind.

    - recertify: an open recertification assignment not yet announced (normally announced by
      `recertifications_create` already; this catches a failed send);
    - overdue: past its due date and not completed;
    - due_soon: due within DUE_SOON_REMINDER_DAYS days and not completed, unless the assignment
      was announced (assigned or recertify email) inside that window already.
    At most one email per assignment per run, and no due_soon or overdue email on the day the
    assignment was announced (so a recertification of an already expired certificate is not
    followed by "overdue" in the same cron run). Only the latest assignment of an employee and
    course counts; courses that are not live and inactive users are skipped. A fixed number of
    queries plus one insert and one email per reminder sent.
    """
    today = today or timezone.localdate()
    sent = ReminderSent.objects.filter(assignment=OuterRef("pk"))
    needs_due_soon = Q(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_REMINDER_DAYS)) & ~Exists(
        sent.filter(kind=ReminderSent.Kind.DUE_SOON)
    )
    needs_overdue = Q(due_date__lt=today) & ~Exists(sent.filter(kind=ReminderSent.Kind.OVERDUE))
    needs_recertify = Q(reason=Assignment.Reason.RECERTIFICATION) & ~Exists(sent.filter(kind=ReminderSent.Kind.RECERTIFY))
    candidates = Assignment.objects.filter(course__live=True, employee__user__is_active=True).exclude(
        employee__user__email=""
    ).filter(needs_due_soon | needs_overdue | needs_recertify)
    statuses = [status for status in statuses_of(candidates, today=today).values() if status.is_open]
    announced: dict[int, datetime] = {}
    done: set[tuple[int, str]] = set()
    for assignment_id, kind, sent_at in ReminderSent.objects.filter(
        assignment__in=[status.assignment.pk for status in statuses]
    ).values_list("assignment_id", "kind", "sent_at"):
        done.add((assignment_id, kind))
        if kind in (ReminderSent.Kind.ASSIGNED, ReminderSent.Kind.RECERTIFY):
            announced[assignment_id] = max(sent_at, announced.get(assignment_id, sent_at))

    counts = {ReminderSent.Kind.DUE_SOON.value: 0, ReminderSent.Kind.OVERDUE.value: 0, ReminderSent.Kind.RECERTIFY.value: 0}
    for status in statuses:
        assignment = status.assignment
        window_opened = timezone.make_aware(
            datetime.combine(assignment.due_date - timedelta(days=DUE_SOON_REMINDER_DAYS), time.min)
        )
        announced_today = assignment.pk in announced and timezone.localdate(announced[assignment.pk]) >= today
        if status.is_recertification and (assignment.pk, ReminderSent.Kind.RECERTIFY) not in done:
            kind = ReminderSent.Kind.RECERTIFY
        elif announced_today:
            continue  # one email a day is enough; the next run follows up
        elif status.days_left < 0 and (assignment.pk, ReminderSent.Kind.OVERDUE) not in done:
            kind = ReminderSent.Kind.OVERDUE
        elif (
            0 <= status.days_left <= DUE_SOON_REMINDER_DAYS
            and (assignment.pk, ReminderSent.Kind.DUE_SOON) not in done
            and not (assignment.pk in announced and announced[assignment.pk] >= window_opened)
        ):
            kind = ReminderSent.Kind.DUE_SOON
        else:
            continue
        if _remind_once(assignment, kind, today=today):
            counts[kind.value] += 1
    return counts


def reminder_enqueue(*, assignment: Assignment, sent_by) -> bool:
    """A manager's "send reminder" button: queues the reminder for a worker (one task per
    reminder, so a retry never mails it twice). False (nothing queued) when the employee cannot
    get email (inactive, or no address)."""
    user = assignment.employee.user
    if not can_email(user):
        logger.info("%s tried to remind %s about assignment %s: no active address", sent_by, user, assignment.pk)
        return False
    reminder_deliver.enqueue(assignment_id=assignment.pk, sent_by_id=sent_by.pk)
    return True


def reminder_send_now(*, assignment: Assignment, sent_by) -> bool:
    """Send a manager's reminder in this process: always (no deduplication), logged with who sent
    it. False when the employee cannot get email (inactive, or no address)."""
    user = assignment.employee.user
    if not can_email(user):
        logger.info("%s tried to remind %s about assignment %s: no active address", sent_by, user, assignment.pk)
        return False
    assignment_email(assignment=assignment, kind=MANUAL, sent_by=sent_by).send()
    log(assignment, "academy.assignment.remind", user=sent_by, data={"to": user.email})
    logger.info("%s sent a reminder for assignment %s to %s", sent_by, assignment.pk, user.email)
    return True


@task(backend="background")
def reminder_deliver(*, assignment_id: int, sent_by_id: int) -> bool:
    """The queued reminder: raises when the mail server fails, so a worker tries again; the final
    failure is logged with the person. False when the assignment has gone or the person cannot
    get email any more."""
    assignment = Assignment.objects.select_related("employee__user", "course").filter(pk=assignment_id).first()
    sent_by = get_user_model().objects.filter(pk=sent_by_id).first()
    if assignment is None:
        return False
    try:
        return reminder_send_now(assignment=assignment, sent_by=sent_by)
    except Exception:
        send_failure_log(logger, "reminder", assignment.employee.user, about=f" about {assignment.course}")
        raise


# Recertification --------------------------------------------------------------------------------


def recertifications_create(*, today: date | None = None, ahead_days: int = RECERTIFY_AHEAD_DAYS) -> list[Assignment]:
    """Assign recertification for every current (not revoked) certificate that expires within
    `ahead_days` days (or has expired) and is the employee's latest for its course, unless the
    employee already has an open assignment for that course. The new assignment is due on the
    expiry date and its "recertify" email goes out once. Skips inactive users and courses that are
    not live. Returns the assignments made. A fixed number of queries plus the writes.

    By default this is the day the certificate's next cycle opens (`assessments.cycles`), in
    which the employee must pass the final assessment again (and redo the lessons if the course
    says so). A larger `ahead_days` only announces it earlier: the cycle, and what counts toward
    it, still opens RENEWAL_WINDOW_DAYS days before expiry.
    """
    today = today or timezone.localdate()
    horizon = cycles.renewal_open_before(today + timedelta(days=ahead_days - cycles.RENEWAL_WINDOW_DAYS))
    newer = Certificate.objects.current().filter(employee=OuterRef("employee"), course=OuterRef("course")).filter(
        Q(issued_at__gt=OuterRef("issued_at")) | Q(issued_at=OuterRef("issued_at"), pk__gt=OuterRef("pk"))
    )
    expiring = list(
        Certificate.objects.current()
        .filter(expires_at__isnull=False, expires_at__lt=horizon, course__live=True, employee__user__is_active=True)
        .filter(~Exists(newer))
        .select_related("employee__user", "course")
        .order_by("expires_at", "pk")
    )
    if not expiring:
        return []
    created = []
    with transaction.atomic():
        list(Employee.objects.select_for_update().filter(pk__in={c.employee_id for c in expiring}).values_list("pk", flat=True))
        statuses = assignment_statuses(
            employees={c.employee_id for c in expiring}, courses={c.course_id for c in expiring}, today=today
        )
        now = timezone.now()
        for certificate in expiring:
            status = statuses.get((certificate.employee_id, certificate.course_id))
            if status is not None and status.is_open:
                continue
            created.append(
                Assignment.objects.create(
                    employee=certificate.employee,
                    course=certificate.course,
                    due_date=timezone.localdate(certificate.expires_at),
                    assigned_by=None,
                    assigned_at=now,
                    reason=Assignment.Reason.RECERTIFICATION,
                )
            )
    for assignment in created:
        _remind_once(assignment, ReminderSent.Kind.RECERTIFY, today=today)
    if created:
        logger.info("Created %s recertification assignments", len(created))
    return created
