"""Certificate PDFs. The only module that imports WeasyPrint.

A certificate is rendered once (at issue, by a task) and stored; downloads and exports read the
stored file. The PDF is one A4 landscape page in the PDF/A-3b variant with its fonts embedded.
"""

import os
import threading

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

import segno
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

PDF_VARIANT = "pdf/a-3b"

# The look of templates/assessments/certificate_pdf.html. It lives here, not in the template, so
# that it is parsed once per process instead of once per certificate; the template's accent colour
# comes in through the --accent custom property set on <html>.
STYLESHEET = """
@page { size: A4 landscape; margin: 12mm; }
body { margin: 0; font-family: "DejaVu Serif", serif; color: #222; }
.frame { box-sizing: border-box; height: 186mm; border: 3mm solid var(--accent); padding: 12mm 18mm; position: relative; }
.logo { height: 18mm; }
.brand { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; letter-spacing: .2em; text-transform: uppercase; color: var(--accent); }
h1 { font-size: 32pt; margin: 6mm 0 4mm; color: var(--accent); font-weight: normal; }
.lead { font-size: 13pt; margin: 0; }
.name { font-size: 30pt; margin: 4mm 0; font-weight: bold; }
.course { font-size: 18pt; margin: 0 0 5mm; font-style: italic; }
.body { font-size: 12pt; line-height: 1.5; max-width: 180mm; }
.facts { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; margin-top: 4mm; }
.facts span { margin-right: 10mm; }
.signature { position: absolute; left: 18mm; bottom: 12mm; width: 90mm; }
.signature img { height: 16mm; }
.signature .line { border-top: .4mm solid #444; padding-top: 1.5mm; font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
.verify { position: absolute; right: 14mm; bottom: 10mm; width: 62mm; text-align: center; font-family: "DejaVu Sans", sans-serif; font-size: 7.5pt; }
.verify .qr { width: 30mm; height: 30mm; image-rendering: pixelated; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
"""


class _Reused(threading.local):
    """The font configuration and the parsed stylesheet, made once and reused for every render
    (a fresh font configuration per render also means Pango loads every font again): about a third
    of a warm render. Per thread (WeasyPrint's objects are not shared between threads) and per
    process (a forked worker makes its own). No @font-face rules, so nothing accumulates."""

    pid = None

    def get(self):
        if self.pid != os.getpid():
            self.font_config = FontConfiguration()
            self.stylesheet = CSS(string=STYLESHEET, font_config=self.font_config)
            self.pid = os.getpid()
        return self.font_config, self.stylesheet


_reused = _Reused()


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
    font_config, stylesheet = _reused.get()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT
    )


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
