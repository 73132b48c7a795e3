from django.urls import include, path
from wagtail.utils.urlpatterns import decorate_urlpatterns

from training.dashboards.reports import views
from training.admin_access import admin_area
from training.people.selectors import is_hr


def _report(route, view_class, name):
    return [
        path(route, view_class.as_view(), name=name),
        path(f"{route}results/", view_class.as_view(results_only=True), name=f"{name}_results"),
    ]


urlpatterns = decorate_urlpatterns(
    [
        *_report("completions/", views.CompletionsReport, "academy_report_completions"),
        *_report("attempts/", views.AttemptsReport, "academy_report_attempts"),
        path("attempts/answers/", views.ResponsesExport.as_view(), name="academy_report_responses"),
        *_report("certificates/", views.CertificatesReport, "academy_report_certificates"),
        *_report("overdue/", views.OverdueReport, "academy_report_overdue"),
        path("", include("training.dashboards.reports.export_urls")),
    ],
    admin_area(is_hr),
)

