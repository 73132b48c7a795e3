"""Certificate PDFs. The only module that imports WeasyPrint.

A certificate is rendered once (at issue, by a task) and stored; downloads and exports read the
stored file. The PDF is one A4 landscape page in the PDF/A-3b variant with its fonts embedded.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

import segno
from weasyprint import HTML

PDF_VARIANT = "pdf/a-3b"


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("certificate_verify", args=[code])


def _date(value) -> str:
    return date_format(timezone.localtime(value), "j F Y") if value else ""


def _image_url(image):
    return f"file://{image.file.path}" if image else None


def _render(template, *, name: str, course: str, issued, expires, score, code: str) -> bytes:
    fields = {
        "name": name,
        "course": course,
        "date": _date(issued),
        "score": f"{score:.0f}%" if score is not None else "—",
        "expires": _date(expires) or "no expiry",
    }
    url = verification_url(code)
    html = render_to_string(
        "assessments/certificate_pdf.html",
        {
            **fields,
            "template": template,
            "body": template.body.format(**fields),
            "expires_at": expires,
            "code": code,
            "verify_url": url,
            # One pixel per module, scaled up without smoothing: drawing a tiny PNG costs far less
            # than an SVG path of hundreds of squares.
            "qr_png": segno.make(url, error="m").png_data_uri(scale=1, border=0),
            "logo_url": _image_url(template.logo),
            "signature_url": _image_url(template.signature_image),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT)


def template_for(course):
    from assessments.models import CertificateTemplate

    return course.certificate_template or CertificateTemplate.objects.filter(is_default=True).first() or CertificateTemplate()


def render_certificate_pdf(certificate) -> bytes:
    """The certificate as PDF bytes (nothing is stored here)."""
    return _render(
        template_for(certificate.course),
        name=certificate.employee.full_name,
        course=certificate.course.title,
        issued=certificate.issued_at,
        expires=certificate.expires_at,
        score=certificate.score,
        code=certificate.code,
    )


def render_sample_pdf(template) -> bytes:
    """A sample certificate for the template's admin preview."""
    now = timezone.now()
    return _render(
        template,
        name="Alex Example",
        course="Customer Loyalty Fundamentals",
        issued=now,
        expires=now.replace(year=now.year + 1),
        score=92,
        code="SAMPLE-CODE-NOT-VALID",
    )
