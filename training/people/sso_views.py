"""The login page and the two single sign-on steps: off to the provider, and back.

The protocol is mozilla-django-oidc's; these views only read settings when a request comes (so
SSO can be switched on without new URLs, and tests can point at a provider started at run time)
and turn every way a sign-in can fail into a page that says why, instead of a bare 400 or a
redirect. Add a refusal by raising `SignInRefused(reason)` and adding the reason to REFUSALS.
"""

import logging

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from training.people.sso import ProviderUnavailable, SignInRefused, provider_metadata, username_canonical

logger = logging.getLogger(__name__)

# reason -> (HTTP status, heading, message); "{email}" and "{provider}" are filled in.
REFUSALS = {
    "unknown": (
        403,
        "You are not on the Loyalty Academy roster yet",
        "{provider} signed you in as {email}, but no one with that email address is on our staff "
        "roster. Ask HR to add you to the roster, then sign in again.",
    ),
    "deactivated": (
        403,
        "Your Loyalty Academy account is deactivated",
        "The account for {email} has been deactivated, so it cannot sign in. If you think this is a "
        "mistake, ask HR.",
    ),
    "unverified": (
        403,
        "Your email address is not verified",
        "{provider} did not confirm that the email address {email} is yours, and we match people "
        "by verified email only. Ask IT to verify your address with {provider}.",
    ),
    "ambiguous": (
        403,
        "More than one account uses this email address",
        "Several Loyalty Academy logins use {email}, so we cannot tell which one is you. Ask HR to "
        "correct the roster.",
    ),
    "state": (
        400,
        "This sign-in could not be checked",
        "The answer from {provider} does not belong to a sign-in started in this browser: it may "
        "have taken too long, been started in another browser or tab, or the link was changed. "
        "Please start again.",
    ),
    "cancelled": (
        403,
        "The sign-in did not finish",
        "{provider} reports that the sign-in was cancelled or refused. Please start again.",
    ),
    "failed": (
        400,
        "Signing in did not succeed",
        "Something went wrong while checking your sign-in with {provider}. Please start again; if "
        "it keeps happening, tell IT.",
    ),
    "unavailable": (
        503,
        "Single sign-on is unavailable right now",
        "{provider} cannot be reached at the moment. Please try again in a few minutes.",
    ),
}


def sign_in_refused(request, reason: str, email: str = "") -> TemplateResponse:
    status, heading, message = REFUSALS[reason]
    provider = settings.SSO_BUTTON_LABEL
    context = {
        "reason": reason,
        "heading": heading,
        "message": message.format(email=email or "your address", provider=provider),
        "sso_label": provider,
    }
    return TemplateResponse(request, "people/sso_refused.html", context, status=status)


class SSOStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE challenge kept in the session."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the parent reads endpoints here; we read them per request

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404("Single sign-on is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata().authorization_endpoint
        except ProviderUnavailable:
            logger.exception("OpenID Connect discovery failed")
            return sign_in_refused(request, "unavailable")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: checks state (one use), then the backend checks
    the code with the PKCE verifier, the ID token's signature, issuer, audience and nonce."""

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404("Single sign-on is not configured.")
        state = request.GET.get("state")
        if request.GET.get("error"):
            super().get(request)  # forgets the state and signs out whoever was signed in
            return sign_in_refused(request, "cancelled")
        if not request.GET.get("code") or not state or state not in request.session.get("oidc_states", {}):
            return sign_in_refused(request, "state")
        try:
            return super().get(request)
        except SignInRefused as refused:
            logger.info("Single sign-on refused (%s) for %s", refused.reason, refused.email)
            return sign_in_refused(request, refused.reason, refused.email)
        except ProviderUnavailable:
            logger.exception("OpenID Connect discovery failed")
            return sign_in_refused(request, "unavailable")
        except (SuspiciousOperation, requests.RequestException):
            logger.exception("Single sign-on failed")
            return sign_in_refused(request, "failed")

    def login_failure(self):
        return sign_in_refused(self.request, "failed")


class PasswordLoginForm(AuthenticationForm):
    """Django's login form; while SSO_ONLY is on, a refusal says that passwords are for administrators.
    A deactivated person who gives their right password is told they are deactivated, not that the
    password is wrong (only the right password reveals it, as Django's AllowAllUsersModelBackend)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "inactive": "Your Loyalty Academy account is deactivated. If that is a mistake, ask HR.",
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as refusal:
            if refusal.code == "invalid_login" and self._deactivated_with_right_password():
                raise ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise

    def _deactivated_with_right_password(self) -> bool:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        user = get_user_model()._default_manager.filter(username=username_canonical(username), is_active=False).first()
        return user is not None and bool(password) and user.check_password(password)

    def get_invalid_login_error(self):
        if settings.SSO_ONLY:
            return ValidationError(
                f"Passwords are only for administrators here. Everyone else signs in with {settings.SSO_BUTTON_LABEL}.",
                code="sso_only",
            )
        return super().get_invalid_login_error()


class LoginView(auth_views.LoginView):
    """Our login page: the "Sign in with ..." button when SSO is on; the password form unless
    SSO_ONLY is on (then administrators reach it through a link, `?password=1`)."""

    authentication_form = PasswordLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asked = self.request.method == "POST" or "password" in self.request.GET
        context.update(
            sso_enabled=settings.SSO_ENABLED,
            sso_label=settings.SSO_BUTTON_LABEL,
            sso_only=settings.SSO_ONLY,
            show_password_form=not settings.SSO_ONLY or asked,
        )
        return context
