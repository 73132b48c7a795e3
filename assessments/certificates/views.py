"""Certificates over HTTP: public verification by code, downloads, HR revoke and reissue."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from assessments.certificates.services import certificate_reissue, certificate_render, certificate_render_ask, certificate_revoke
from assessments.models import Certificate, IssuedCredential
from training.people.selectors import employees_visible_to, is_hr
from training.private_files import private_file_response
from training.ratelimit import client_address, rate_limit_hit
from training.tasks import tasks_run_where_enqueued

MAX_REASON = 1000


def certificate_verify(request, code: str):
    """Public: valid, expired or revoked, with the name, course and dates; nothing else."""
    if rate_limit_hit(f"verify:{client_address(request)}", limit=settings.VERIFY_RATE_PER_MINUTE, window=60):
        return render(request, "assessments/certificate_rate_limited.html", status=429)
    certificate = Certificate.objects.select_related("employee__user", "course").filter(code=code).first()
    if certificate is None:
        return render(request, "assessments/certificate_not_found.html", status=404)
    context = {
        "certificate": certificate,
        "status": certificate.status(),
        "show_reason": request.user.is_authenticated and is_hr(request.user),
    }
    return render(request, "assessments/certificate_verify.html", context)


def _visible_certificate(request, code: str) -> Certificate:
    """The owner, their manager(s) and HR see a certificate; anyone else gets 404."""
    certificate = get_object_or_404(Certificate.objects.select_related("employee__user", "course"), code=code)
    own = getattr(request.user, "employee", None)
    if certificate.employee_id != getattr(own, "pk", None) and not employees_visible_to(user=request.user).filter(pk=certificate.employee_id).exists():
        raise Http404("No such certificate.")
    return certificate


@login_required
def certificate_download(request, code: str):
    """The only way to a certificate's PDF (stored privately, with no URL of its own)."""
    certificate = _visible_certificate(request, code)
    if certificate.revoked_at:
        return render(request, "assessments/certificate_unavailable.html", {"certificate": certificate, "revoked": True}, status=410)
    if not certificate.pdf:
        if not tasks_run_where_enqueued():  # production: a worker renders it
            certificate_render_ask(certificate=certificate)
            # 202: accepted, the file comes later (a 5xx would log an error for a normal wait).
            return render(request, "assessments/certificate_unavailable.html", {"certificate": certificate, "preparing": True}, status=202)
        try:
            certificate = certificate_render(certificate=certificate)
        except Exception:  # recorded on the certificate; never serve a broken file
            return render(request, "assessments/certificate_unavailable.html", {"certificate": certificate}, status=503)
    filename = f"certificate-{slugify(certificate.course.title)}-{certificate.issued_at:%Y-%m-%d}.pdf"
    return private_file_response(certificate.pdf, filename=filename, content_type="application/pdf")


@login_required
def credential_download(request, code: str):
    """The certificate as an Open Badges 3.0 credential, for a wallet; guarded like the PDF."""
    from assessments.credentials.issuing import MEDIA_TYPE, certificate_credential, credential_filename

    certificate = _visible_certificate(request, code)
    if certificate.revoked_at:
        return render(request, "assessments/certificate_unavailable.html", {"certificate": certificate, "revoked": True}, status=410)
    response = HttpResponse(certificate_credential(certificate).document.encode("utf-8"), content_type=f"{MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{credential_filename(certificate)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def certificate_manage(request, code: str):
    """HR's page for one certificate: its state and history, and the revoke / reissue forms."""
    if not is_hr(request.user):
        raise Http404("No such certificate.")
    certificate = get_object_or_404(Certificate.objects.select_related("employee__user", "course", "revoked_by"), code=code)
    return _manage_page(request, certificate)


def _manage_page(request, certificate, status=200):
    from wagtail.models import ModelLogEntry

    history = ModelLogEntry.objects.for_instance(certificate).select_related("user").order_by("-timestamp")
    credential = IssuedCredential.objects.select_related("key").filter(certificate=certificate).first()
    context = {"certificate": certificate, "history": history, "credential": credential}
    return render(request, "assessments/certificate_manage.html", context, status=status)


class ReasonForm(forms.Form):
    """Why HR revokes or reissues: kept on the certificate and in its history. Empty is refused by
    the services (their message names the action); this refuses NUL characters and essays."""

    reason = forms.CharField(required=False, max_length=MAX_REASON)


@require_POST
@login_required
def certificate_action(request, code: str, action: str):
    if not is_hr(request.user):
        raise Http404("No such certificate.")
    certificate = get_object_or_404(Certificate, code=code)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError(f"Reason: {' '.join(form.errors['reason'])}")
        reason = form.cleaned_data["reason"]
        if action == "revoke":
            certificate_revoke(certificate=certificate, by=request.user, reason=reason)
            messages.success(request, "The certificate is revoked.")
        else:
            certificate = certificate_reissue(certificate=certificate, by=request.user, reason=reason)
            messages.success(request, "A new certificate was issued; the old one is revoked.")
    except ValueError as problem:  # nothing changed: the page again, saying why
        messages.error(request, str(problem))
        return _manage_page(request, certificate, status=400)
    return redirect("certificate_manage", certificate.code)
