"""Choosing a password: the reset request, reset links and invitation links.

Both links go through Django's PasswordResetConfirmView (the token moves into the session, the
SetPasswordForm applies the password validators), so anything hooked to Django's reset completion
keeps working; `password_set_by_link` is sent as well. Under SSO_ONLY passwords are off: these
pages send people to the login page instead.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from training.people import invitations
from training.people.signals import password_set_by_link
from training.people.tokens import LinkStatus, invitation_token_generator, reset_token_generator
from training.ratelimit import client_address, rate_limit_hit

HOUR = 3600


def email_allowed(email: str) -> bool:
    """Count one sign-in email to `email` against its hourly allowance (known address or not)."""
    # Hashed: an address may be up to 254 characters, longer than some caches allow in a key.
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return not rate_limit_hit(f"signin-email:{address}", limit=settings.PASSWORD_RESET_EMAILS_PER_HOUR, window=HOUR)


class AcademyPasswordResetForm(PasswordResetForm):
    """Django's form, for every active employee: those who never chose a password (an unusable
    one, as the roster import gives) included, inactive logins never."""

    def get_users(self, email):
        return iter(invitations.users_for_reset(email))


class PasswordsOffMixin:
    def dispatch(self, request, *args, **kwargs):
        if invitations.sso_only():
            messages.info(request, "Sign in with your company account: this site does not use passwords.")
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)


class PasswordResetRequestView(PasswordsOffMixin, auth_views.PasswordResetView):
    """The same answer for every address: nobody is looked up in the request. The lookup and the
    email happen in a background task, and only when neither the address nor the client is over
    its hourly allowance; both are counted on every request, known address or not."""

    form_class = AcademyPasswordResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        client_ok = not rate_limit_hit(
            f"reset-client:{client_address(self.request)}", limit=settings.PASSWORD_RESET_REQUESTS_PER_HOUR, window=HOUR
        )
        if email_allowed(email) and client_ok:
            invitations.password_reset_deliver.enqueue(email=email)
        return redirect(self.success_url)

    def form_invalid(self, form):  # not an address at all: the form again, saying why
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetSentView(PasswordsOffMixin, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class LinkSetPasswordView(PasswordsOffMixin, auth_views.PasswordResetConfirmView):
    """A one-time link: choose a password, then sign in. A used, expired or broken link says which
    and offers a new one."""

    kind = "reset"
    token_generator = reset_token_generator
    form_class = SetPasswordForm
    template_name = "registration/password_set.html"
    success_url = reverse_lazy("login")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        context["days"] = settings.INVITATION_DAYS
        if not context["validlink"]:
            context["link_status"] = str(self.token_generator.status(self.user, self.kwargs.get("token", "")))
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        password_set_by_link.send(sender=type(self), user=form.user, request=self.request, kind=self.kind)
        messages.success(
            self.request, f"Your password is set. Sign in with your username, {form.user.get_username()}, and your new password."
        )
        return response


class InvitationAcceptView(LinkSetPasswordView):
    kind = "invitation"
    token_generator = invitation_token_generator


@require_POST
def invitation_renew(request, uidb64: str, token: str):
    """"Send me a new invitation" from an expired one. Only a genuine expired link renews (so the
    link's owner asks, not someone guessing ids), and the address's hourly allowance applies."""
    if invitations.sso_only():
        return redirect("login")
    user = InvitationAcceptView().get_user(uidb64)
    status = invitation_token_generator.status(user, token)
    if status is not LinkStatus.EXPIRED or not invitations.can_be_invited(user):
        return redirect("invitation_accept", uidb64=uidb64, token=token)
    if email_allowed(user.email):
        invitations.invitations_enqueue(users=[user])
    return render(request, "registration/invitation_renewed.html")


def admin_password_reset_redirect(request):
    """Wagtail's own reset form skips people who never chose a password and is not throttled;
    everyone uses ours instead (one form, one throttle, one email)."""
    return redirect(reverse("password_reset"))
