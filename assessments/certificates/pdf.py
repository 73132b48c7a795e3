"""Certificate PDFs. The only module that imports WeasyPrint.

A certificate is rendered once (at issue, by a task) and stored; downloads and exports read the
stored file. The PDF is one A4 landscape page in the PDF/A-3a variant with its fonts embedded:
PDF/A's "accessible" level, so it is tagged (a structure tree in reading order, the images as
figures with alternative text, the document's language and title) for screen readers.
WeasyPrint reads only what CertificateURLFetcher serves; the body's placeholders are filled by
CertificateTemplate.body_filled, never by str.format.
"""

import io
import mimetypes
import os
import posixpath
import threading
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

import segno
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# "a" (accessible) rather than "b": WeasyPrint then writes the structure tree (pdf_tags), MarkInfo,
# /Lang from <html lang> and DisplayDocTitle, and each <img> becomes a Figure with its alt text.
PDF_VARIANT = "pdf/a-3a"

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


# The template's own images are addressed by this scheme in the certificate's HTML: only the
# fetcher knows what it means, so no image is found by a path or a URL anyone could choose.
IMAGE_SCHEME = "certificate-image"


class URLRefused(ValueError):
    """A URL the certificate renderer will not open. WeasyPrint logs it and leaves it out."""


class CertificateURLFetcher(URLFetcher):
    """Everything WeasyPrint may read while rendering a certificate, and nothing else:

    - `data:` URIs (the QR code is a PNG data URI): decoded in memory, nothing is fetched;
    - our own static files, at `SITE_URL + STATIC_URL` (relative URLs resolve there): read from
      disk through Django's staticfiles finders, then the staticfiles storage, never over the
      network;
    - the template's images, as `certificate-image:<role>`: read through the image's storage.

    Every other URL (http and https anywhere, loopback included; file: paths; other schemes) is
    refused before anything is opened, so text that reaches the HTML or CSS cannot make the
    server fetch a URL. WeasyPrint's own fetcher would open them all. To let certificates use
    another resource, serve it from one of the three sources above rather than widening this."""

    def __init__(self, images: dict | None = None):
        super().__init__(allowed_protocols=(), fail_on_errors=False)  # the parent opens nothing
        self.images = images or {}

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            with DataHandler().data_open(Request(url)) as decoded:
                return URLFetcherResponse(url, decoded.read(), {"Content-Type": decoded.headers["Content-Type"]})
        if url.startswith(IMAGE_SCHEME + ":"):
            image = self.images.get(url.removeprefix(IMAGE_SCHEME + ":"))
            if image is not None:
                with image.file.storage.open(image.file.name, "rb") as file:
                    return URLFetcherResponse(url, file.read(), {"Content-Type": _content_type(image.file.name)})
        static_base = urljoin(settings.SITE_URL + "/", settings.STATIC_URL)
        if url.startswith(static_base):
            name = posixpath.normpath(unquote(urlsplit(url.removeprefix(static_base)).path))
            if not (name.startswith(("/", "..")) or "\x00" in name or name == "."):
                found = finders.find(name)
                if found:
                    with open(found, "rb") as file:
                        return URLFetcherResponse(url, file.read(), {"Content-Type": _content_type(name)})
                if staticfiles_storage.exists(name):
                    with staticfiles_storage.open(name, "rb") as file:
                        return URLFetcherResponse(url, file.read(), {"Content-Type": _content_type(name)})
        raise URLRefused(f"Certificates do not load {url[:200]}")


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class _Reused(threading.local):
    """The font configuration and the parsed stylesheet, made once and reused for every render
    (a fresh font configuration per render also means Pango loads every font again): about a third
    of a warm render. Per thread (WeasyPrint's objects are not shared between threads) and per
    process (a forked worker makes its own). No @font-face rules, so nothing accumulates."""

    pid = None

    def get(self):
        if self.pid != os.getpid():
            self.font_config = FontConfiguration()
            self.stylesheet = CSS(string=STYLESHEET, font_config=self.font_config, url_fetcher=CertificateURLFetcher())
            self.pid = os.getpid()
        return self.font_config, self.stylesheet


_reused = _Reused()


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("certificate_verify", args=[code])


def _date(value) -> str:
    return date_format(timezone.localtime(value), "j F Y") if value else ""


def _render(template, *, name: str, course: str, issued, expires, score, code: str, attachments=()) -> bytes:
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
            "body": template.body_filled(fields),
            "expires_at": expires,
            "code": code,
            "verify_url": url,
            # One pixel per module, scaled up without smoothing: drawing a tiny PNG costs far less
            # than an SVG path of hundreds of squares.
            "qr_png": segno.make(url, error="m").png_data_uri(scale=1, border=0),
            "logo_url": f"{IMAGE_SCHEME}:logo" if template.logo else None,
            "signature_url": f"{IMAGE_SCHEME}:signature" if template.signature_image else None,
        },
    )
    font_config, stylesheet = _reused.get()
    fetcher = CertificateURLFetcher({"logo": template.logo, "signature": template.signature_image})
    return HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT, attachments=list(attachments)
    )


def template_for(course):
    from assessments.models import CertificateTemplate

    return course.certificate_template or CertificateTemplate.objects.filter(is_default=True).first() or CertificateTemplate()


def credential_attachment(filename: str, document: str) -> Attachment:
    """The certificate's verifiable credential as a PDF/A-3 associated file (AFRelationship
    Alternative: the same certificate in another form), so the PDF carries what a wallet takes."""
    return Attachment(
        file_obj=io.BytesIO(document.encode("utf-8")),
        name=filename,
        description="Open Badges 3.0 verifiable credential (signed JSON) of this certificate",
        relationship="Alternative",
    )


def render_certificate_pdf(certificate, *, credential: tuple[str, str] | None = None) -> bytes:
    """The certificate as PDF bytes (nothing is stored here); `credential` (filename, JSON text)
    is embedded as an associated file."""
    return _render(
        template_for(certificate.course),
        name=certificate.employee.full_name,
        course=certificate.course.title,
        issued=certificate.issued_at,
        expires=certificate.expires_at,
        score=certificate.score,
        code=certificate.code,
        attachments=[credential_attachment(*credential)] if credential else (),
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
