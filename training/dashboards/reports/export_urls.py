"""Bulk certificate export, under /admin/reports/ (see training.dashboards.wagtail_hooks)."""

from django.urls import path

from training.dashboards.reports import export_views

urlpatterns = [
    path("certificates/zip/", export_views.certificate_export_start_view, name="certificate_export_start"),
    path("exports/<uuid:pk>/", export_views.certificate_export_view, name="certificate_export"),
    path("exports/<uuid:pk>/status/", export_views.certificate_export_status, name="certificate_export_status"),
    path("exports/<uuid:pk>/download/", export_views.certificate_export_download, name="certificate_export_download"),
]
