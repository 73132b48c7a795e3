"""Sign-in throttling: after repeated failures a username is locked for a cool-off.

django-axes does the counting (settings: AXES_* in training/settings/base.py). Failures are rows in
the database (axes' database handler), so every server process sees the same count; the lock is
keyed on the username only, normalised by `login_username`, so people sharing an office address
are never locked out together and "Amira" counts against "amira".

Everything here plugs into axes or Django's auth through settings, so every sign-in form that calls
`authenticate()` is covered: our login page, Wagtail's /admin/login/ and Django's admin.
- `LoginThrottleBackend`: first in AUTHENTICATION_BACKENDS; refuses a locked username before any
  other backend checks the password.
- `lockout_response`: AXES_LOCKOUT_CALLABLE; the page the form was on, with the lockout message
  as the form's error, answered 429.
- `UnlockOnPasswordChange`: in AUTH_PASSWORD_VALIDATORS; a new password unlocks.
- `login_locked` / `login_unlock`: what HR sees and does on a person's record.
"""

from __future__ import annotations

import logging
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials
from axes.utils import reset

from training.people.sso import username_max_length

log = logging.getLogger(__name__)


def login_username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The username a failure counts against (AXES_USERNAME_CALLABLE): NFKC-normalised as Django's
    login form does, stripped and case-folded, since the roster treats usernames as unique without
    case. None when there is no username (an SSO sign-in), so nothing is counted for it."""
    if credentials:
        raw = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        raw = request.POST.get(settings.AXES_USERNAME_FORM_FIELD) if request is not None else None
    if not isinstance(raw, str) or len(raw) > username_max_length():
        return None  # longer than any login's (axes' own column holds 255 characters)
    return unicodedata.normalize("NFKC", raw).strip().casefold() or None


def _stand_in_request() -> HttpRequest:
    """Axes reads its counts through a request; the lock is by username only, so a bare request
    (no address, no browser) asks exactly the right question."""
    return HttpRequest()


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' backend, also for `authenticate()` calls without a request (the test client's
    `login()`, scripts): axes refuses those with a ValueError; here a locked username is refused
    all the same. Failures without a request are not counted (axes records them only with one),
    and every sign-in page passes its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request if request is not None else _stand_in_request(), username, password, **kwargs)


def lockout_message() -> str:
    minutes = int(get_cool_off().total_seconds() // 60)
    return (
        f"Too many failed sign-ins for this username. Try again in {minutes} minutes, "
        "or ask HR to unlock your account."
    )


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None, credentials=None):
    """AXES_LOCKOUT_CALLABLE. Login views answer with a TemplateResponse holding the form: it is
    rendered again with the lockout message as its only error, so our login page, Wagtail's and
    Django admin's each show it in their own style, where they show wrong passwords. Any other
    response becomes a plain page with the message. Status 429 either way."""
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and form is not None and hasattr(form, "add_error"):
        form._errors = ErrorDict()  # drop "wrong password": that is not why they are refused
        form.add_error(None, ValidationError(lockout_message(), code="locked_out"))
        # Rendered here: axes' middleware runs after the handler has rendered template responses.
        return TemplateResponse(request, original_response.template_name, context, status=429).render()
    return render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)


def login_locked(*, user: AbstractBaseUser) -> bool:
    """Whether `user`'s username is locked out right now, by axes' own rule."""
    username = user.get_username()
    return AxesProxyHandler.is_locked(_stand_in_request(), get_credentials(username))


def login_unlock(*, user: AbstractBaseUser, by: AbstractBaseUser | None) -> int:
    """Forget every counted sign-in failure of `user`, so they can sign in at once. `by` is who
    unlocked (HR on the person's record), or None for a password change. Logged, so an unlock can
    be traced. Returns how many failure records were removed (0: nothing was locked)."""
    removed = reset(username=login_username(None, get_credentials(user.get_username())))
    if removed:
        who = by.get_username() if by is not None else "a password change"
        log.info("Sign-in unlocked for %s by %s (%d failure records removed)", user.get_username(), who, removed)
    return removed


class UnlockOnPasswordChange:
    """Not a validator: Django calls `password_changed()` of every AUTH_PASSWORD_VALIDATORS entry
    whenever a user saved after `set_password()` (password reset, invitation, Wagtail's or Django's
    admin, `changepassword`). That is the one hook every way of setting a password goes through,
    so "a successful reset unlocks" holds whichever view sets it."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            login_unlock(user=user, by=None)

    def get_help_text(self):
        # Django lists every validator's help text under the password field (an empty one shows
        # as an empty bullet), so this one says what it does for the person.
        return "A new password also lifts a sign-in lock after too many failed attempts."
