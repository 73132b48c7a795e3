"""HR's bulk certificate export in the Wagtail admin: start it, follow its progress, download it.

The work is done by `certificate_export_start` and its task. HR and superusers only; an export is
seen only by the person who asked for it (anyone else gets 404).
"""

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from training.dashboards.certificate_export import (
    certificate_export_params,
    certificate_export_start,
    certificate_export_summary,
)
from training.dashboards.models import CertificateExport
from training.people.selectors import is_hr
from training.private_files import private_file_response


def _own_export(request, pk) -> CertificateExport:
    if not is_hr(request.user):
        raise Http404("No such export.")
    return get_object_or_404(CertificateExport, pk=pk, requested_by=request.user)


def export_message(export: CertificateExport) -> str:
    """The export's state in one sentence, for the page and its status JSON."""
    if export.state == CertificateExport.State.QUEUED:
        return "Waiting to start…"
    if export.state == CertificateExport.State.FAILED:
        return "The export failed; nothing was written."
    text = f"{export.done} of {export.total} certificates"
    if export.state == CertificateExport.State.DONE:
        text += ": the ZIP is ready."
        if export.missing:
            text += (
                f" {export.missing} could not be rendered; manifest.csv lists "
                f"{'it' if export.missing == 1 else 'them'} without a file."
            )
    return text


def _download_url(export: CertificateExport) -> str | None:
    if export.state == CertificateExport.State.DONE and export.file:
        return reverse("certificate_export_download", args=[export.pk])
    return None


class ExportPage(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboards/reports/certificate_export.html"
    page_title = "Certificate export"
    header_icon = "download"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


class CertificateExportStartView(ExportPage):
    """POST the certificate report's filter fields; a bad value is shown (400), naming the field.
    Non-HR users never get here (the reports' URLconf answers 403) and the service checks again."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            export = certificate_export_start(user=request.user, params=request.POST)
        except ValidationError as error:
            back = reverse("academy_report_certificates") + "?" + urlencode(certificate_export_params(request.POST))
            return self.render_to_response(self.get_context_data(problems=error.messages, back_url=back), status=400)
        return redirect("certificate_export", export.pk)


class CertificateExportView(ExportPage):
    """The export's progress bar (updated by export_progress.js), then its download link or error."""

    def get_context_data(self, **kwargs):
        export = _own_export(self.request, self.kwargs["pk"])
        return super().get_context_data(
            export=export,
            summary=certificate_export_summary(export.params),
            message=export_message(export),
            download_url=_download_url(export),
            finished=export.state in (CertificateExport.State.DONE, CertificateExport.State.FAILED),
            **kwargs,
        )


@require_GET
def certificate_export_status(request, pk):
    export = _own_export(request, pk)
    return JsonResponse(
        {
            "state": export.state,
            "done": export.done,
            "total": export.total,
            "missing": export.missing,
            "message": export_message(export),
            "error": export.error,
            "download_url": _download_url(export),
        }
    )


@require_GET
def certificate_export_download(request, pk):
    export = _own_export(request, pk)
    if not _download_url(export):
        raise Http404("This export is not ready.")
    filename = f"certificates-{timezone.localdate(export.created_at).isoformat()}.zip"
    return private_file_response(export.file, filename=filename, content_type="application/zip")


certificate_export_start_view = CertificateExportStartView.as_view()
certificate_export_view = CertificateExportView.as_view()
