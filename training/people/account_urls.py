"""Signing in, and choosing a password without being signed in: reset and invitation links
(under /accounts/)."""

from django.urls import path

from training.people import accounts
from training.people.sso_views import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("password/reset/", accounts.PasswordResetRequestView.as_view(), name="password_reset"),
    path("password/reset/sent/", accounts.PasswordResetSentView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", accounts.LinkSetPasswordView.as_view(), name="password_reset_confirm"),
    path("invitation/<uidb64>/<token>/", accounts.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("invitation/<uidb64>/<token>/renew/", accounts.invitation_renew, name="invitation_renew"),
]
