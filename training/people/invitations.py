"""Invitations: the email that tells a new employee who invited them, what they have been
assigned, and gives them a one-time link to choose a password (or, with SSO_ONLY, the SSO login).

Nothing is stored: the link is an invitation token (training/people/tokens.py), so it expires
after INVITATION_DAYS and stops working once a password is chosen or the person signs in. Sending
again simply makes a fresh link; the older ones keep working until then.

Pages never send mail themselves: they queue one `invitation_deliver` task per person
(`invitations_enqueue`), so a retry after a failed send re-sends only that person's mail, never one
to someone who already has theirs. `send_invitations` (cron, the operator's terminal) sends in its
own process with `invitations_send` and prints what went out.

The invitation lists the person's assigned courses through the reverse relation
`employee.assignments` (no import of training.enrollment, which depends on this app).
"""

import logging
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from training.people.tokens import invitation_token_generator, reset_token_generator
from training.tasks import send_failure_log

logger = logging.getLogger(__name__)


def sso_only() -> bool:
    """Passwords are off and everyone signs in through SSO (the SSO work defines SSO_ONLY)."""
    return bool(getattr(settings, "SSO_ONLY", False))


def sso_login_url() -> str:
    """Where an SSO-only invitation points: the OpenID Connect start, or the login page (which
    offers it) where that URL is not installed."""
    try:
        return settings.SITE_URL + reverse("oidc_authentication_init")
    except NoReverseMatch:
        return settings.SITE_URL + reverse("login")


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def invitation_url(*, user) -> str:
    """The absolute one-time link in `user`'s invitation (the SSO login under SSO_ONLY)."""
    if sso_only():
        return sso_login_url()
    token = invitation_token_generator.make_token(user)
    return settings.SITE_URL + reverse("invitation_accept", args=[_uid(user), token])


def reset_url(*, user) -> str:
    """The absolute one-time link of a password reset email."""
    token = reset_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", args=[_uid(user), token])


def can_be_invited(user) -> bool:
    """Active people with an address; invitations never reactivate anyone."""
    return bool(user.is_active and user.email)


def never_signed_in() -> QuerySet:
    """Active employees with an address who have never signed in (last_login is None)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, last_login__isnull=True, employee__isnull=False)
        .exclude(email="")
        .order_by("pk")
    )


def _assignments_by_user(user_ids: list[int]) -> dict[int, list]:
    """Each person's latest assignment per live course, soonest due first: one query per 500
    people, so a whole roster's invitations cost a handful of queries. The model is looked up by
    name: training.enrollment depends on this app, not the other way round."""
    Assignment = apps.get_model("enrollment", "Assignment")
    latest: dict[tuple[int, int], object] = {}
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start : start + 500]
        query = Assignment.objects.filter(employee__user_id__in=chunk, course__live=True)
        for assignment in query.select_related("course", "employee").order_by("pk"):
            latest[(assignment.employee.user_id, assignment.course_id)] = assignment
    by_user: dict[int, list] = {}
    for (user_id, _), assignment in latest.items():
        by_user.setdefault(user_id, []).append(assignment)
    for assignments in by_user.values():
        assignments.sort(key=lambda assignment: (assignment.due_date, assignment.course.title))
    return by_user


def _message(user, *, subject_template: str, template: str, context: dict, connection=None) -> EmailMultiAlternatives:
    context = {"name": user.first_name or user.get_full_name() or user.get_username(), "site_url": settings.SITE_URL,
               "login_url": settings.SITE_URL + reverse("login"), **context}
    subject = " ".join(render_to_string(subject_template, context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[user.email], connection=connection
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def invitation_email(*, user, invited_by=None, assignments=None, connection=None) -> EmailMultiAlternatives:
    """The invitation for `user`, plain text with an HTML alternative (templates/emails/invitation*).
    `assignments`: their assigned courses, when the caller has loaded them already."""
    if assignments is None:
        assignments = _assignments_by_user([user.pk]).get(user.pk, [])
    context = {
        "user": user,
        "invited_by": invited_by,
        "assignments": assignments,
        "url": invitation_url(user=user),
        "sso_only": sso_only(),
        "days": settings.INVITATION_DAYS,
    }
    return _message(
        user, subject_template="emails/invitation_subject.txt", template="emails/invitation", context=context,
        connection=connection,
    )


def password_reset_email(*, user, connection=None) -> EmailMultiAlternatives:
    """The reset email for `user` (templates/emails/password_reset*)."""
    context = {
        "user": user,
        "url": reset_url(user=user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "reset_page_url": settings.SITE_URL + reverse("password_reset"),
    }
    return _message(
        user, subject_template="emails/password_reset_subject.txt", template="emails/password_reset", context=context,
        connection=connection,
    )


def invitations_send(*, users: Iterable, invited_by=None) -> int:
    """Send an invitation to each of `users` who can be invited, once each however often they are
    listed; returns how many went out. One mail connection for the lot. A failed send is logged
    and skipped (the person can be invited again from their record or with send_invitations).
    """
    unique = {user.pk: user for user in users if can_be_invited(user)}
    if not unique:
        return 0
    assignments = _assignments_by_user(list(unique))
    sent = 0
    connection = get_connection()
    with connection:
        for user in unique.values():
            try:
                invitation_email(
                    user=user, invited_by=invited_by, assignments=assignments.get(user.pk, []), connection=connection
                ).send()
            except Exception:
                logger.exception("Could not send the invitation to user %s", user.pk)
                continue
            sent += 1
    logger.info("%s sent %s invitation(s)", invited_by or "The system", sent)
    return sent


def users_for_reset(email: str) -> list:
    """Who gets a reset email for `email`: every active login with that address (compared without
    case), whether or not they ever chose a password, so imported employees can start here too.
    Inactive logins never (a deactivated person must not get back in by email)."""
    User = get_user_model()
    return list(User.objects.filter(email__iexact=email.strip(), is_active=True).exclude(email="").order_by("pk"))


def invitations_enqueue(*, users: Iterable, invited_by=None) -> int:
    """Queue an invitation for each of `users` who can be invited, once each however often they are
    listed; returns how many were queued (what a page says). One task per person, so a retry never
    mails anyone twice. Call it once the people are committed: a worker may start at once."""
    unique = [user.pk for user in {user.pk: user for user in users if can_be_invited(user)}.values()]
    invited_by_id = invited_by.pk if invited_by is not None else None
    for user_id in unique:
        invitation_deliver.enqueue(user_id=user_id, invited_by_id=invited_by_id)
    logger.info("%s queued %s invitation(s)", invited_by or "The system", len(unique))
    return len(unique)


@task(backend="background")
def invitation_deliver(*, user_id: int, invited_by_id: int | None = None) -> bool:
    """Send one person's invitation; raises when the mail server fails, so a worker tries again.
    False (nothing sent) when the person has gone or can no longer be invited."""
    User = get_user_model()
    user = User.objects.filter(pk=user_id).first()
    if user is None or not can_be_invited(user):
        logger.info("No invitation for user %s: gone, inactive or without an address", user_id)
        return False
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id is not None else None
    try:
        invitation_email(user=user, invited_by=invited_by).send()
    except Exception:
        send_failure_log(logger, "invitation", user, then=", send it again from the admin")
        raise
    logger.info("Sent the invitation to user %s", user.pk)
    return True


@task(backend="background")
def password_reset_deliver(*, email: str) -> int:
    """The reset request's work, off the request: the page answers before anyone is looked up, so
    known and unknown addresses get the same response in the same time. Queues one mail per login
    with that address (see `password_reset_email_deliver`); returns how many."""
    users = users_for_reset(email)
    for user in users:
        password_reset_email_deliver.enqueue(user_id=user.pk)
    return len(users)


@task(backend="background")
def password_reset_email_deliver(*, user_id: int) -> bool:
    """Send one reset email; raises when the mail server fails, so a worker tries again."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    try:
        password_reset_email(user=user).send()
    except Exception:
        send_failure_log(logger, "password reset email", user, then=", send it again from the admin")
        raise
    return True
