"""Bulk certificate export: one ZIP of the stored certificate PDFs that match the HR certificate
report's filter, with a manifest.csv, built by a background task whose progress a page follows.

The ZIP only reads stored files; a certificate that has no PDF yet is rendered (and stored) first.
A certificate that still cannot be rendered is listed in the manifest with its error instead of a
file, and the export completes. A revoked certificate is listed with its status and no file, as
its single download refuses it (410). Certificates are read in small batches and files are copied
in chunks, so memory stays flat however many certificates match.
"""

import csv
import io
import logging
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from assessments.certificates.pdf import verification_url
from assessments.certificates.services import certificate_render
from training.dashboards.models import CertificateExport
from training.dashboards.reports.filters import (
    EXPIRING_WITHIN_DAYS,
    CertificateFilterSet,
    certificates_report_queryset,
    filter_problems,
)
from training.dashboards.reports.spreadsheets import neutralise
from training.people.selectors import is_hr
from training.tasks import retry_follows

logger = logging.getLogger(__name__)

# The certificate report's filter fields as the form posts them (the date range posts two).
PARAM_NAMES = ("course", "team", "issued_from", "issued_to", "status", "expiring_within", "credentials")
CREDENTIALS_PARAM = "credentials"  # "on": each PDF with its verifiable credential (.json); not a filter
MANIFEST_HEADINGS = [
    "File", "Employee number", "Name", "Team", "Course", "Issued", "Expires",
    "Status", "Score", "Code", "Verification URL", "Problem", "Credential file",
]  # fmt: skip
BATCH_SIZE = 100
COPY_CHUNK = 64 * 1024
PROGRESS_EVERY = 10  # certificates between progress writes to the database ...
PROGRESS_SECONDS = 1.0  # ... or sooner when rendering makes them slow
KEEP_EXPORTS = timedelta(days=7)  # finished ZIPs are deleted after this
STUCK_AFTER = timedelta(hours=1)  # an export still unfinished by then died with its process


@dataclass(frozen=True)
class ZipSummary:
    total: int  # certificates listed in the manifest
    missing: int  # of which no PDF could be rendered


def _in_batches(certificates, size: int = BATCH_SIZE):
    """Every certificate of the queryset, newest first, fetched `size` at a time by keyset.

    Unlike `.iterator()`, no query stays open while files are copied (on SQLite an open read
    would hold back every other writer for the whole export)."""
    queryset = certificates.order_by("-issued_at", "-pk")
    last = None
    while True:
        page = queryset
        if last is not None:
            page = page.filter(Q(issued_at__lt=last.issued_at) | Q(issued_at=last.issued_at, pk__lt=last.pk))
        batch = list(page[:size])
        yield from batch
        if len(batch) < size:
            return
        last = batch[-1]


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "employee"


def _pdf_name(certificate, taken: dict[str, int]) -> str:
    issued = timezone.localdate(certificate.issued_at).isoformat()
    stem = f"{_safe(certificate.employee.employee_number)}-{certificate.course.slug}-{issued}"
    taken[stem] = taken.get(stem, 0) + 1
    return f"{stem}.pdf" if taken[stem] == 1 else f"{stem}-{taken[stem]}.pdf"


def _manifest_row(certificate, filename: str, problem: str, credential_name: str = "") -> list:
    employee = certificate.employee
    return [
        filename,
        employee.employee_number,
        employee.full_name,
        employee.team.name if employee.team else "",
        certificate.course.title,
        timezone.localdate(certificate.issued_at).isoformat(),
        timezone.localdate(certificate.expires_at).isoformat() if certificate.expires_at else "",
        certificate.status(),
        "" if certificate.score is None else str(certificate.score),
        certificate.code,
        verification_url(certificate.code),
        problem,
        credential_name,
    ]


def _add_pdf(archive: zipfile.ZipFile, certificate, name: str) -> None:
    with certificate.pdf.open("rb") as source:
        entry = zipfile.ZipInfo(name, date_time=timezone.localtime(certificate.issued_at).timetuple()[:6])
        entry.compress_type = zipfile.ZIP_STORED  # PDFs are compressed already
        with archive.open(entry, "w", force_zip64=True) as target:
            shutil.copyfileobj(source, target, COPY_CHUNK)


def _add_credential(archive: zipfile.ZipFile, certificate, name: str) -> None:
    from assessments.credentials.issuing import certificate_credential

    entry = zipfile.ZipInfo(name, date_time=timezone.localtime(certificate.issued_at).timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(entry, certificate_credential(certificate).document.encode("utf-8"))


def certificates_zip_write(
    certificates, out, *, progress: Callable[[int, int], None] | None = None, include_credentials: bool = False
) -> ZipSummary:
    """Write a ZIP of the certificates' stored PDFs and a manifest.csv to the binary file `out`.

    `certificates` is a Certificate queryset (with employee__user, employee__team and course
    selected, as `certificates_report_queryset()` does). PDFs are named
    `<employee number>-<course slug>-<issued date>.pdf`, with -2, -3 ... when a name repeats. A
    missing PDF is rendered first; one that cannot be rendered is listed without a file and with
    its error. A revoked certificate is listed without a file (and not rendered). Every text cell
    of the manifest is neutralised against spreadsheet formulas. `progress(done, total)` is called
    after each certificate. With `include_credentials`, each shipped PDF is followed by its Open
    Badges credential under the same name with `.json` (manifest column "Credential file").
    """
    total = certificates.count()
    done = missing = 0
    taken: dict[str, int] = {}
    if progress:
        progress(0, total)
    with (
        tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as manifest_file,
        zipfile.ZipFile(out, "w") as archive,
    ):
        manifest_text = io.TextIOWrapper(manifest_file, encoding="utf-8-sig", newline="")
        manifest = csv.writer(manifest_text)
        manifest.writerow(MANIFEST_HEADINGS)
        for certificate in _in_batches(certificates):
            filename, problem, credential_name = "", "", ""
            if certificate.revoked_at:  # as its single download (410): listed, never shipped
                problem = f"Revoked on {timezone.localdate(certificate.revoked_at).isoformat()}; no file."
            else:
                try:
                    certificate_render(certificate=certificate)  # does nothing when the PDF is stored
                except Exception:  # the error is recorded on the certificate
                    problem = certificate.render_error or "The PDF could not be rendered."
                    missing += 1
                else:
                    filename = _pdf_name(certificate, taken)
                    _add_pdf(archive, certificate, filename)
                    if include_credentials:
                        credential_name = filename.removesuffix(".pdf") + ".json"
                        _add_credential(archive, certificate, credential_name)
            row = _manifest_row(certificate, filename, problem, credential_name)
            manifest.writerow([neutralise(value) for value in row])
            done += 1
            if progress:
                progress(done, total)
        manifest_text.flush()
        manifest_file.seek(0)
        entry = zipfile.ZipInfo("manifest.csv", date_time=timezone.localtime().timetuple()[:6])
        entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entry, "w") as target:
            shutil.copyfileobj(manifest_file, target, COPY_CHUNK)
        manifest_text.detach()
    return ZipSummary(total=done, missing=missing)


def certificate_export_params(data) -> dict[str, str]:
    """The certificate report's filter values from a request's GET/POST data (or any mapping):
    only the known fields, only those given, as strings."""
    params = {}
    for name in PARAM_NAMES:
        value = data.get(name)
        if value is not None and str(value).strip():
            params[name] = str(value).strip()
    return params


def certificate_exports_prune(*, now=None) -> None:
    """Delete exports (and their ZIPs) older than KEEP_EXPORTS, and mark as failed the ones a
    process stopped working on (the thread backend does not survive a restart)."""
    now = now or timezone.now()
    for export in CertificateExport.objects.filter(created_at__lt=now - KEEP_EXPORTS):
        export.file.delete(save=False)
        export.delete()
    CertificateExport.objects.filter(
        state__in=[CertificateExport.State.QUEUED, CertificateExport.State.RUNNING], created_at__lt=now - STUCK_AFTER
    ).update(state=CertificateExport.State.FAILED, error="The export stopped (the server restarted?). Start it again.", finished_at=now)


def certificate_export_start(*, user, params) -> CertificateExport:
    """Check the filter, record the export and queue the task that writes the ZIP.

    `params` are the certificate report's filter fields (see PARAM_NAMES). A bad value raises
    ValidationError naming the field, and nothing is saved. Only HR and superusers may export.
    """
    if not is_hr(user):
        raise PermissionDenied("Only HR can export certificates.")
    params = certificate_export_params(params)
    filterset = CertificateFilterSet(params, queryset=certificates_report_queryset())
    if not filterset.is_valid():
        raise ValidationError(filter_problems(filterset))
    certificate_exports_prune()
    with transaction.atomic():
        export = CertificateExport.objects.create(requested_by=user, params=params)
        transaction.on_commit(lambda: certificate_export_run.enqueue(str(export.pk)))
    return export


def _mark(export_id, **fields) -> None:
    CertificateExport.objects.filter(pk=export_id).update(**fields)


@task(backend="background")
def certificate_export_run(export_id: str) -> None:
    """Write the export's ZIP (to a temporary file, then to private storage) and record progress.
    A failure raises, so a worker tries again (the export shows as queued meanwhile); the final
    one is recorded on the export (state failed, with the error) for HR's page."""
    try:
        export = CertificateExport.objects.get(pk=export_id)
        filterset = CertificateFilterSet(export.params, queryset=certificates_report_queryset())
        if not filterset.is_valid():  # e.g. the course was deleted since the export was asked for
            raise ValueError("The filter is no longer valid. " + " ".join(filter_problems(filterset)))
        certificates = filterset.qs
        _mark(export_id, state=CertificateExport.State.RUNNING, total=certificates.count(), done=0, error="")
        last = {"done": 0, "at": time.monotonic()}

        def progress(done: int, total: int) -> None:
            if done - last["done"] >= PROGRESS_EVERY or time.monotonic() - last["at"] >= PROGRESS_SECONDS:
                _mark(export_id, done=done, total=max(total, done))
                last.update(done=done, at=time.monotonic())

        with tempfile.TemporaryFile() as zip_file:
            summary = certificates_zip_write(
                certificates, zip_file, progress=progress, include_credentials=export.params.get(CREDENTIALS_PARAM) == "on"
            )
            zip_file.seek(0)
            export.file.save("certificates.zip", File(zip_file), save=False)  # stored under a random name
        _mark(
            export_id,
            state=CertificateExport.State.DONE,
            file=export.file.name,
            total=summary.total,
            done=summary.total,
            missing=summary.missing,
            finished_at=timezone.now(),
        )
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"[:2000]
        if retry_follows():
            logger.warning("Certificate export %s failed; the worker tries again", export_id, exc_info=True)
            _mark(export_id, state=CertificateExport.State.QUEUED, error=f"The last try failed ({reason}); trying again.")
        else:
            logger.exception("Certificate export %s failed", export_id)
            _mark(export_id, state=CertificateExport.State.FAILED, error=reason, finished_at=timezone.now())
        raise


def certificate_export_summary(params: dict) -> str:
    """The export's filter in words, for its page: 'Course: X; team: Y; issued from ...'."""
    filterset = CertificateFilterSet(params, queryset=certificates_report_queryset())
    if not filterset.is_valid():  # e.g. the course was deleted since
        return "Filter no longer valid: " + ", ".join(f"{name} {value}" for name, value in params.items())
    cleaned = filterset.form.cleaned_data
    parts = []
    if cleaned.get("course"):
        parts.append(f"course {cleaned['course'].title}")
    if cleaned.get("team"):
        parts.append(f"team {cleaned['team'].name}")
    if params.get("issued_from") and params.get("issued_to"):
        parts.append(f"issued {params['issued_from']} to {params['issued_to']}")
    elif params.get("issued_from"):
        parts.append(f"issued on or after {params['issued_from']}")
    elif params.get("issued_to"):
        parts.append(f"issued on or before {params['issued_to']}")
    if cleaned.get("status"):
        status = dict(CertificateFilterSet.STATUSES)[cleaned["status"]].lower()
        if cleaned["status"] == "expiring":
            days = int(cleaned.get("expiring_within") or EXPIRING_WITHIN_DAYS)
            status += f" (within {days} days)"
        parts.append(f"status {status}")
    with_credentials = ", with their verifiable credentials (.json)" if params.get(CREDENTIALS_PARAM) == "on" else ""
    if not parts:
        return "All certificates" + with_credentials
    return "Certificates with " + "; ".join(parts) + with_credentials
