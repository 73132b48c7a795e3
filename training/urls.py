from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from training.health import healthz
from training.people.accounts import admin_password_reset_redirect

urlpatterns = [
    # For load balancers and monitoring: 200 when database, cache and storages answer (training/health.py).
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    # Our admin pages answer 403 to signed-in people who may not see them (training/admin_access.py).
    path("admin/reports/", include("training.dashboards.reports.urls")),
    path("admin/reports/", include("assessments.statistics.urls")),
    path("admin/people/", include("training.people.urls")),
    # Wagtail's reset form skips people who never chose a password: everyone uses ours.
    path("admin/password_reset/", admin_password_reset_redirect),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Single sign-on (OpenID Connect): /oidc/authenticate/ and the callback /oidc/callback/.
    path("oidc/", include("training.people.sso_urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("training.people.account_urls")),
    path("learning/", include("training.dashboards.urls")),
    path("learning/", include("modules.urls")),
    path("learning/", include("assessments.urls")),
    path("learning/", include("training.enrollment.urls")),
    path("verify/", include("assessments.certificates.verify_urls")),
    # The issuer of our verifiable credentials (did:web of SITE_URL) and its status lists.
    path("", include("assessments.credentials.urls")),
]

# A request too large or with too many fields to read: a 400 naming it (training/errors.py).
handler400 = "training.errors.bad_request"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; keep this last.
urlpatterns += [path("", include(wagtail_urls))]
