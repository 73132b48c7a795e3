"""Certificates: issued once on completion, rendered once, read back as real PDFs, verified,
expired, revoked and reissued with an audit trail."""

import io
import re
import socket
import subprocess
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from assessments.certificates.pdf import render_certificate_pdf, render_sample_pdf, verification_url
from assessments.certificates.services import certificate_issue, certificate_revoke
from assessments.models import Certificate, CertificateTemplate
from modules.models import LessonPage, QuizPage
from tests.conftest import in_real_transactions
from training.people.models import Employee

from .conftest import complete_course, pass_quiz

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def certificate(employee, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(employee, course)
    return Certificate.objects.get(employee=employee, course=course)


def pdf_text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_completing_the_course_issues_one_certificate_and_renders_it_once(certificate, employee, course):
    assert len(certificate.code) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", certificate.code)  # 192 bits, URL-safe
    assert str(certificate.pk) != certificate.code
    assert certificate.expires_at.date() == certificate.issued_at.date().replace(year=certificate.issued_at.year + 1)
    assert certificate.score == 100 and certificate.cycle == 1
    assert certificate.pdf and certificate.render_attempts == 1
    stored = certificate.pdf.read()
    # Further passes and completions issue nothing new and leave the stored file alone.
    pass_quiz(employee, QuizPage.objects.live().child_of(course).first())
    assert certificate_issue(employee=employee, course=course) is None
    certificate.refresh_from_db()
    assert Certificate.objects.count() == 1 and certificate.pdf.read() == stored


def test_an_incomplete_course_issues_nothing(employee, course):
    for lesson in LessonPage.objects.live().child_of(course):
        from modules.services import lesson_complete

        lesson_complete(employee=employee, lesson=lesson)
    assert certificate_issue(employee=employee, course=course) is None
    assert not Certificate.objects.exists()


def test_pdf_reads_back_one_a4_landscape_page_with_name_course_code(certificate):
    reader = PdfReader(io.BytesIO(certificate.pdf.read()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in ("Amira Haddad", "Customer Loyalty Fundamentals", certificate.code, "Valid until", "Head of Learning"):
        assert expected in text
    # PDF/A-3a identification (the tagged, "accessible" level) and embedded fonts.
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in (f["/DescendantFonts"][0].get_object()["/FontDescriptor"]) for f in fonts if "/DescendantFonts" in f)


def _struct_elements(node, found):
    """Every structure element under `node`, depth first: the document's logical reading order."""
    node = node.get_object()
    if isinstance(node, dict) and node.get("/Type") == "/StructElem":
        found.append(node)
    kids = node.get("/K") if isinstance(node, dict) else None
    if kids is None:
        return found
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and isinstance(kid.get_object(), (dict, list)):
            _struct_elements(kid, found)
    return found


def test_pdf_is_tagged_with_language_title_alt_texts_and_reading_order(db, tmp_path):
    """What a screen reader needs (WCAG via PDF/UA-style tags): a structure tree, marked content,
    the document's language and title shown as its name, each image a Figure with alternative text,
    and text that comes out in the order it is meant to be read."""
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), "red").save(buffer, "PNG")
    logo = get_image_model().objects.create(title="Acme Stores logo", file=ImageFile(buffer, name="logo.png"))
    template = CertificateTemplate(name="Branded", logo=logo, signature_image=logo, signatory_name="Dana Reyes")
    data = render_sample_pdf(template)
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == "Certificate of completion · Alex Example · Customer Loyalty Fundamentals"
    elements = _struct_elements(catalog["/StructTreeRoot"], [])
    kinds = [e["/S"] for e in elements]
    assert "/H1" in kinds and kinds.count("/P") >= 5
    figures = [str(e.get("/Alt", "")) for e in elements if e["/S"] == "/Figure"]
    assert figures[0] == "Acme Stores logo"
    assert figures[1] == "Signature of Dana Reyes"
    assert figures[2].startswith("QR code linking to http") and "/verify/SAMPLE-CODE-NOT-VALID/" in figures[2]
    # Reading order: -raw keeps the content stream's order (which the tags follow) instead of guessing columns from positions.
    (tmp_path / "cert.pdf").write_bytes(data)
    text = " ".join(subprocess.run(["pdftotext", "-raw", str(tmp_path / "cert.pdf"), "-"], capture_output=True, text=True, check=True).stdout.split())
    order = ["Certificate of completion", "awarded to", "Alex Example", "Customer Loyalty Fundamentals", "This certifies",
             "Issued", "Score", "Valid until", "Dana Reyes", "Check this certificate at", "Code: SAMPLE-CODE-NOT-VALID"]
    positions = [text.find(part) for part in order]
    assert -1 not in positions and positions == sorted(positions), text


def test_qr_code_decodes_to_the_verification_url(certificate, tmp_path):
    (tmp_path / "cert.pdf").write_bytes(certificate.pdf.read())
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / "cert.pdf"), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")], capture_output=True, text=True, check=True)
    assert decoded.stdout.strip() == verification_url(certificate.code)
    assert verification_url(certificate.code).endswith(f"/verify/{certificate.code}/")


class TestVerifyPage:
    def test_valid(self, client, certificate):
        html = client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()
        assert "Valid" in html and "Amira Haddad" in html and "Customer Loyalty Fundamentals" in html
        assert "amira@" not in html and "E00" not in html  # name, course and dates only

    def test_expired_shows_the_date(self, client, certificate):
        Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() - timedelta(days=3))
        html = client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()
        assert "Expired on" in html and "Valid</p>" not in html

    def test_revoked_reason_only_for_staff(self, client, certificate):
        certificate_revoke(certificate=certificate, by=User.objects.get(username="hr"), reason="Exam taken by a colleague")
        public = client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()
        assert "Revoked on" in public and "Exam taken by a colleague" not in public
        client.force_login(User.objects.get(username="hr"))
        assert "Exam taken by a colleague" in client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()

    def test_unknown_codes_all_get_the_same_not_found(self, client, certificate):
        first = client.get(reverse("certificate_verify", args=["x" * 32]))
        last = "Z" if certificate.code[-1] != "Z" else "Y"  # a code that differs from the real one in its last character
        second = client.get(reverse("certificate_verify", args=[certificate.code[:-1] + last]))
        assert first.status_code == second.status_code == 404
        assert first.content == second.content and b"Certificate not found" in first.content

    def test_rate_limited_per_client_address(self, client, certificate, settings):
        settings.VERIFY_RATE_PER_MINUTE = 3
        cache.clear()
        url = reverse("certificate_verify", args=[certificate.code])
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
        assert client.get(url).status_code == 429
        assert client.get(url, REMOTE_ADDR="10.9.9.9").status_code == 200  # another client is not affected
        cache.clear()


@pytest.mark.parametrize(
    "username, status",
    [("amira", 200), ("manager.north", 200), ("hr", 200), ("ben", 404), ("manager.south", 404), ("editor", 404)],
)
def test_download_permissions(client, certificate, username, status):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("certificate_download", args=[certificate.code]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content).startswith(b"%PDF")


def test_download_needs_login(client, certificate):
    response = client.get(reverse("certificate_download", args=[certificate.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_learning_shows_valid_expired_and_revoked(employee_client, certificate):
    url = reverse("my_learning")
    assert "Certificate valid" in employee_client.get(url).content.decode()
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert "Certificate expired" in employee_client.get(url).content.decode()
    certificate.refresh_from_db()
    certificate_revoke(certificate=certificate, by=User.objects.get(username="hr"), reason="Error")
    html = employee_client.get(url).content.decode()
    assert "Certificate revoked" in html and reverse("certificate_download", args=[certificate.code]) not in html
    assert employee_client.get(reverse("certificate_download", args=[certificate.code])).status_code == 410


def test_expired_certificate_starts_a_new_cycle_that_needs_the_final_again(employee, course, certificate):
    assert certificate_issue(employee=employee, course=course) is None
    later = certificate.expires_at + timedelta(days=1)
    assert certificate_issue(employee=employee, course=course, now=later) is None  # old progress is not enough
    final = QuizPage.objects.live().child_of(course).last()
    from assessments.attempts.services import attempt_start, attempt_submit
    from training.demo_activity import full_marks_response

    attempt = attempt_start(employee=employee, quiz=final, now=later)
    attempt_submit(attempt=attempt, answers={q["id"]: full_marks_response(q) for q in attempt.questions}, now=later)
    renewed = certificate_issue(employee=employee, course=course, now=later)
    assert renewed.cycle == 2 and renewed.code != certificate.code


def test_hr_revokes_and_reissues_with_an_audit_trail(client, certificate, django_capture_on_commit_callbacks):
    hr = User.objects.get(username="hr")
    client.force_login(hr)
    page = client.get(reverse("certificate_manage", args=[certificate.code]))
    assert page.status_code == 200 and "Certificate issued" in page.content.decode()
    missing_reason = client.post(reverse("certificate_reissue", args=[certificate.code]), {"reason": " "})
    assert missing_reason.status_code == 400 and "Give a reason" in missing_reason.content.decode()
    for action in ("certificate_revoke", "certificate_reissue"):
        nul = client.post(reverse(action, args=[certificate.code]), {"reason": "Fraud\x00"})
        assert nul.status_code == 400 and "Reason: Null characters are not allowed." in nul.content.decode()
        essay = client.post(reverse(action, args=[certificate.code]), {"reason": "x" * 1001})
        assert essay.status_code == 400 and "Reason: Ensure this value has at most 1000 characters (it has 1001)." in essay.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and not Certificate.objects.exclude(pk=certificate.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificate_reissue", args=[certificate.code]), {"reason": "Name misspelt"})
    certificate.refresh_from_db()
    replacement = certificate.reissued_as
    assert certificate.revoked_at and certificate.revoked_by == hr and certificate.revoked_reason == "Reissued: Name misspelt"
    assert replacement.code != certificate.code and replacement.pdf and replacement.status() == "valid"
    revoke_log = ModelLogEntry.objects.for_instance(certificate).get(action="academy.certificate.revoke")
    reissue_log = ModelLogEntry.objects.for_instance(replacement).get(action="academy.certificate.reissue")
    assert revoke_log.user == hr and revoke_log.data["reason"] == "Reissued: Name misspelt"
    assert reissue_log.user == hr and reissue_log.data == {"reason": "Name misspelt", "replaces": certificate.code}
    # The admin history of the certificate shows the actions.
    history = client.get(reverse("wagtailsnippets_assessments_certificate:history", args=[certificate.pk]))
    assert history.status_code == 200 and "Certificate revoked: Reissued: Name misspelt" in history.content.decode()


def test_only_hr_manages_certificates(client, certificate):
    for username in ("amira", "manager.north"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("certificate_manage", args=[certificate.code])).status_code == 404
        assert client.post(reverse("certificate_revoke", args=[certificate.code]), {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_hr_reaches_revoke_or_reissue_from_the_admin_list_and_inspect_page(client, certificate):
    manage_url = reverse("certificate_manage", args=[certificate.code])
    client.force_login(User.objects.get(username="hr"))
    listing = client.get(reverse("wagtailsnippets_assessments_certificate:list")).content.decode()
    # In the row's "More options" menu, next to Inspect.
    row = listing.split("<tbody>")[1].split("</tr>")[0]
    row_menu = re.search(r'<div data-w-dropdown-target="content".*?</div>', row, re.S).group(0)
    assert re.search(rf'href="{re.escape(manage_url)}"[^>]*>.*?Revoke or reissue', row_menu, re.S) and "Inspect" in row_menu
    inspect = client.get(reverse("wagtailsnippets_assessments_certificate:inspect", args=[certificate.pk])).content.decode()
    header = re.search(r'<nav aria-label="Actions" id="w-slim-header-buttons".*?</nav>', inspect, re.S).group(0)
    assert re.search(rf'href="{re.escape(manage_url)}"[^>]*>.*?Revoke or reissue', header, re.S)
    assert client.get(manage_url).status_code == 200  # the link works


def test_nobody_else_sees_the_revoke_link_even_with_admin_access_to_certificates(client, certificate):
    """An editor or a manager given view access to certificates (beyond their roles) reads the
    list and inspect page without the link, and the manage page still answers 404."""
    from django.contrib.auth.models import Permission

    view = Permission.objects.get(codename="view_certificate")
    access = Permission.objects.get(codename="access_admin")
    manage_url = reverse("certificate_manage", args=[certificate.code])
    for username in ("editor", "manager.north"):
        user = User.objects.get(username=username)
        user.user_permissions.add(view, access)
        client.force_login(user)
        listing = client.get(reverse("wagtailsnippets_assessments_certificate:list"))
        inspect = client.get(reverse("wagtailsnippets_assessments_certificate:inspect", args=[certificate.pk]))
        assert listing.status_code == inspect.status_code == 200
        for page in (listing, inspect):
            assert "Revoke or reissue" not in page.content.decode() and manage_url not in page.content.decode()
        assert client.get(manage_url).status_code == 404


def test_render_failure_is_recorded_never_served_and_retried(employee, course, client, monkeypatch, django_capture_on_commit_callbacks):
    import assessments.certificates.pdf as certificates

    def broken(*args, **kwargs):
        raise OSError("font cache unavailable")

    monkeypatch.setattr(certificates, "HTML", broken)  # WeasyPrint is the boundary we do not own
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(employee, course)
    certificate = Certificate.objects.get()
    assert not certificate.pdf and "font cache unavailable" in certificate.render_error and certificate.render_attempts == 1
    client.force_login(employee.user)
    response = client.get(reverse("certificate_download", args=[certificate.code]))
    assert response.status_code == 503 and b"being prepared" in response.content
    monkeypatch.undo()
    call_command("render_certificates", stdout=io.StringIO())
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.render_error == "" and certificate.render_attempts == 3
    assert client.get(reverse("certificate_download", args=[certificate.code])).status_code == 200


def test_certificate_template_checks_placeholders_and_previews_a_pdf(db):
    from django.core.exceptions import ValidationError

    template = CertificateTemplate(name="Gold", body="Well done {name} on {courze}")
    with pytest.raises(ValidationError, match="Unknown placeholder"):
        template.full_clean()
    template = CertificateTemplate(name="Gold", title="Gold award", body="Well done {name} on {course}", accent_colour="#aa8800")
    template.full_clean()
    response = template.serve_preview(RequestFactory().get("/"), "")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Gold award" in text and "Well done Alex Example on Customer Loyalty Fundamentals" in text


@pytest.mark.parametrize(
    "body, named",
    [
        ("Hi {name:x>999999999}", "“{name:x>999999999}” has a format spec (“:x>999999999”)"),
        ("Hi {name!r}", "“{name!r}” has a conversion (“!r”)"),
        ("Hi {name.__class__}", "“{name.__class__}” has attribute access (“.__class__”)"),
        ("Hi {name[0]}", "“{name[0]}” has index access (“[0]”)"),
        ("Hi {courze}", "Unknown placeholder “{courze}”"),
        ("Hi {}", "Unknown placeholder “{}”"),
        ("Hi {name", "A lone opening brace “{” in “Hi {name”"),
        ("Hi name}", "A lone closing brace “}” in “Hi name}”"),
    ],
)
def test_template_body_allows_only_the_plain_placeholders(body, named):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        CertificateTemplate(name="Odd", body=body).clean()
    assert any(named in message for message in raised.value.message_dict["body"])


def test_plain_placeholders_and_doubled_braces_pass_and_fill_in_one_pass():
    template = CertificateTemplate(name="Fine", body="{{{name}}} did {course} on {date}: {score}, until {expires} {{ok}}")
    template.clean()
    values = {"name": "{course}", "course": "C", "date": "D", "score": "S", "expires": "E"}
    # A value that looks like a placeholder is not filled again.
    assert template.body_filled(values) == "{{course}} did C on D: S, until E {ok}"


def test_a_body_saved_before_the_check_renders_as_written_without_str_format():
    """A template stored before clean() refused specs renders fast: the spec is printed, not run."""
    template = CertificateTemplate(name="Old", body="Hi {name:x>999999999} and {name!r} for {course}")
    text = pdf_text(render_sample_pdf(template))
    assert "Hi {name:x>999999999} and {name!r} for Customer Loyalty Fundamentals" in text


class Listener:
    """A TCP listener on loopback that records every connection it gets (and answers 404, so a
    fetcher that does connect is not left waiting)."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = []
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.connections.append(connection.recv(4096))
                    connection.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    self.connections.append(b"")

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def hostile_html(port):
    here = f"http://127.0.0.1:{port}"
    return f"""<html><head><link rel="stylesheet" href="{here}/link.css"><style>
        @import url({here}/import.css);
        @font-face {{ font-family: probe; src: url({here}/font.ttf); }}
        body {{ background: url({here}/background.png); font-family: probe; }}
        p {{ background: url(file:///etc/passwd); }}
        </style></head><body><p>probe</p>
        <img src="{here}/img.png"><img src="file:///etc/passwd"><img src="/static/../../../etc/passwd">
        <object data="{here}/object.svg"></object><a rel="attachment" href="{here}/attached.txt">x</a>
        </body></html>"""


def test_the_listener_would_be_reached_by_weasyprints_own_fetcher(listener):
    """The control: without our fetcher, the same HTML does reach the loopback listener."""
    from weasyprint import HTML

    HTML(string=hostile_html(listener.port)).write_pdf()
    assert listener.connections


def test_rendering_fetches_nothing_but_static_files_and_the_templates_images(listener, settings, caplog):
    from weasyprint import HTML

    from assessments.certificates.pdf import CertificateURLFetcher, URLRefused

    fetcher = CertificateURLFetcher()
    pdf = HTML(string=hostile_html(listener.port), base_url=settings.SITE_URL + "/", url_fetcher=fetcher).write_pdf()
    assert "root:" not in pdf_text(pdf)
    # A CSS value that reaches the certificate's own HTML (an accent colour stored without the
    # model's check) cannot make the render fetch either.
    template = CertificateTemplate(name="Probe", accent_colour=f"red; background: url(http://127.0.0.1:{listener.port}/accent)")
    render_sample_pdf(template)
    assert "/accent" in caplog.text and "/img.png" in caplog.text  # asked for, and refused
    time.sleep(0.3)  # a connection attempt, had there been one, would have been accepted by now
    assert listener.connections == []
    for url in (
        f"http://127.0.0.1:{listener.port}/x",
        f"https://127.0.0.1:{listener.port}/x",
        "file:///etc/passwd",
        f"{settings.SITE_URL}/static/../../etc/passwd",
        f"{settings.SITE_URL}/static/%2e%2e/%2e%2e/etc/passwd",
        f"{settings.SITE_URL}/media/original_images/x.png",
        "certificate-image:logo",  # no logo given to this fetcher
        "ftp://127.0.0.1/x",
    ):
        with pytest.raises(URLRefused):
            fetcher.fetch(url)
    assert listener.connections == []
    # What it does serve: data: URIs (the QR code), our static files, the template's images.
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    css = fetcher.fetch(f"{settings.SITE_URL}/static/training/academy.css")
    assert css.read() and css.content_type == "text/css"


def test_the_templates_logo_and_signature_render_from_their_storage(db, listener):
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from assessments.certificates.pdf import CertificateURLFetcher

    def image(title, colour):
        buffer = io.BytesIO()
        PILImage.new("RGB", (40, 20), colour).save(buffer, "PNG")
        return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))

    template = CertificateTemplate(name="Branded", logo=image("logo", "red"), signature_image=image("signature", "blue"))
    fetcher = CertificateURLFetcher({"logo": template.logo, "signature": template.signature_image})
    assert fetcher.fetch("certificate-image:logo").read() == template.logo.file.open("rb").read()
    page = PdfReader(io.BytesIO(render_sample_pdf(template))).pages[0]
    assert len(page.images) == 3  # logo, signature, QR code
    assert listener.connections == []


def test_course_template_choice_is_used(certificate, course):
    course.certificate_template = CertificateTemplate.objects.create(name="Silver", title="Silver award")
    course.save()
    certificate.refresh_from_db()
    assert "Silver award" in pdf_text(render_certificate_pdf(certificate))


@in_real_transactions
def test_concurrent_completion_issues_one_certificate(academy, course, employee):
    from modules.models import LessonCompletion

    for lesson in LessonPage.objects.live().child_of(course):
        LessonCompletion.objects.get_or_create(employee=employee, lesson=lesson)
    for quiz in QuizPage.objects.live().child_of(course):
        pass_quiz(employee, quiz)
    Certificate.objects.all().delete()  # the last pass issued one; race the issue itself
    barrier, results, errors = threading.Barrier(5), [], []

    def finish():
        try:
            barrier.wait()
            results.append(certificate_issue(employee=Employee.objects.get(pk=employee.pk), course=course))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=finish) for _ in range(5)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors, errors
    assert Certificate.objects.count() == 1 and sum(r is not None for r in results) == 1


def test_codes_never_start_like_a_spreadsheet_formula():
    from assessments.certificates.services import new_code

    codes = [new_code() for _ in range(3000)]  # about 47 would start with "-" if nothing stopped it
    assert not any(code.startswith("-") for code in codes)
    assert len(set(codes)) == 3000 and min(map(len, codes)) == 32


def test_nobody_edits_copies_or_deletes_a_certificate_in_the_admin_not_even_a_superuser(client, certificate):
    """Certificates change only through the services (revoke, reissue), which keep the PDF, the
    audit log and the one-per-cycle rule true."""
    client.force_login(User.objects.get(username="admin"))
    views = "wagtailsnippets_assessments_certificate"
    listing = client.get(reverse(f"{views}:list")).content.decode()
    row = listing.split("<tbody>")[1].split("</tr>")[0]
    assert "Inspect" in row and not re.search(r">\s*(Edit|Copy|Delete)\s*<", row)
    for name in ("edit", "copy", "delete"):
        url = reverse(f"{views}:{name}", args=[certificate.pk])
        assert client.get(url).status_code in (302, 403), name
        client.post(url, {"score": "12.5"})
    assert client.get(reverse(f"{views}:add")).status_code in (302, 403)
    fresh = Certificate.objects.get(pk=certificate.pk)
    assert (fresh.score, fresh.revoked_at) == (certificate.score, None)
    assert Certificate.objects.filter(employee=certificate.employee).count() == 1
    assert client.get(reverse(f"{views}:inspect", args=[certificate.pk])).status_code == 200


def test_on_workers_a_download_without_its_pdf_asks_a_worker_once_a_minute_and_renders_nothing(client, certificate, settings):
    """Production: a worker renders PDFs, never a request. A download that finds none (the worker is
    behind, or its job was lost with it) queues the render again and says the PDF is coming."""
    from django_tasks import default_task_backend

    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    renders = certificate.render_attempts
    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    client.force_login(User.objects.get(username="amira"))
    responses = [client.get(reverse("certificate_download", args=[certificate.code])) for _ in range(2)]
    assert [r.status_code for r in responses] == [202, 202]
    assert b"being made now" in responses[0].content
    assert [r.args for r in default_task_backend.results] == [[certificate.pk]]  # once, not per click
    certificate.refresh_from_db()
    assert not certificate.pdf and certificate.render_attempts == renders
    cache.clear()
