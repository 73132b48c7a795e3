from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from assessments.certificates import views as certificate_views
from assessments.credentials import views as credential_views
from training.health import healthz
from training.people.sso_views import LoginView
from training.people.accounts import admin_password_reset_redirect

urlpatterns = [
    # For load balancers and monitoring: 200 when database, cache and storages answer (training/health.py).
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    # Our admin pages answer 403 to signed-in people who may not see them (training/admin_access.py).
    path("admin/reports/", include("training.dashboards.reports.urls")),
    path("admin/people/", include("training.people.urls")),
    # Wagtail's reset form skips people who never chose a password: everyone uses ours.
    path("admin/password_reset/", admin_password_reset_redirect),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/login/", LoginView.as_view(), name="login"),
    # Single sign-on (OpenID Connect): /oidc/authenticate/ and the callback /oidc/callback/.
    path("oidc/", include("training.people.sso_urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("training.people.account_urls")),
    path("learning/", include("training.dashboards.urls")),
    path("learning/", include("modules.urls")),
    path("learning/", include("assessments.urls")),
    path("learning/", include("training.enrollment.urls")),
    path("verify/", credential_views.credential_check, name="credential_check"),
    path("verify/<str:code>/", certificate_views.certificate_verify, name="certificate_verify"),
    # The issuer of our verifiable credentials: did:web of SITE_URL (README "Verifiable credentials").
    path(".well-known/did.json", credential_views.did_json, name="did_json"),
    path("credentials/status/<id:number>", credential_views.status_list, name="credential_status_list"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; keep this last.
urlpatterns += [path("", include(wagtail_urls))]
