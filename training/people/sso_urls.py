"""Single sign-on routes, always present (they answer 404 until SSO is configured), so other pages
can link to `oidc_authentication_init` whatever the settings."""

from django.urls import path

from training.people.sso_views import SSOCallbackView, SSOStartView

urlpatterns = [
    path("authenticate/", SSOStartView.as_view(), name="oidc_authentication_init"),
    path("callback/", SSOCallbackView.as_view(), name="oidc_authentication_callback"),
]
