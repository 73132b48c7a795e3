"""Certificate PDFs and export ZIPs are private files: no URL but the guarded views reaches them,
for anyone, with DEBUG on (as `make run` serves MEDIA_ROOT) or off; the guarded views still serve
exactly who may have them, or hand the file to nginx; Wagtail documents and images stay public
content; files an earlier version stored publicly are moved on migrate."""

import importlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import clear_url_caches, reverse, set_urlconf
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import training.private_files
import training.urls
from assessments.certificates.services import certificate_revoke, new_code
from assessments.models import Certificate
from tests.assessments.conftest import complete_course
from training.dashboards.certificate_export import certificate_export_start
from training.dashboards.models import CertificateExport
from training.people.models import Employee

pytestmark = pytest.mark.django_db
User = get_user_model()
VIEWERS = [None, "amira", "felix", "ben", "manager.north", "manager.south", "hr", "editor", "admin"]


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    """training/urls.py adds the MEDIA_ROOT route only when it is imported with DEBUG on (as under
    `make run`), so import it again both ways; put the usual URLconf back afterwards."""
    settings.DEBUG = request.param
    importlib.reload(training.urls)
    clear_url_caches()
    set_urlconf(None)
    yield request.param
    settings.DEBUG = False
    importlib.reload(training.urls)
    clear_url_caches()
    set_urlconf(None)


def user(username):
    return User.objects.get(username=username)


@pytest.fixture
def stored(course, django_capture_on_commit_callbacks):
    """Amira's certificate, Felix's revoked one and HR's export ZIP, as the real services make them."""
    amira, felix = (Employee.objects.get(user__username=name) for name in ("amira", "felix"))
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(amira, course)
        complete_course(felix, course)
    revoked = Certificate.objects.get(employee=felix)
    certificate_revoke(certificate=revoked, by=user("hr"), reason="Issued in error")
    with django_capture_on_commit_callbacks(execute=True):
        export = certificate_export_start(user=user("hr"), params={})
    export.refresh_from_db()
    certificate = Certificate.objects.get(employee=amira)
    assert certificate.pdf and revoked.pdf and export.state == "done" and export.file
    return {"certificate": certificate, "revoked": revoked, "export": export}


def public_files():
    """A Wagtail document and image: public content by design, in default storage under MEDIA_ROOT."""
    document = Document.objects.create(title="Handbook", file=ContentFile(b"public handbook", name="handbook.txt"))
    image = Image.objects.create(title="Logo", file=get_test_image_file())
    return document, image


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def candidate_urls(field_file, *, old_name: str) -> list[str]:
    """Every way one might try to reach a stored file without the guarded views."""
    name = field_file.name
    base = Path(name).name
    path = Path(field_file.path)
    return [
        f"/media/{name}",
        f"/media/{base}",
        f"/media/{old_name}",  # where an earlier version kept it, named by the code or export id
        f"/media/../private/{name}",
        f"/media/%2e%2e/private/{name}",
        f"/static/{name}",
        f"/static/{base}",
        f"/private/{name}",
        f"/protected/{name}",  # the X-Accel internal location exists only inside nginx
        f"/documents/{name}",
        f"/{name}",
        f"/{base}",
        str(path),
    ]


def test_no_stored_pdf_or_zip_is_reachable_except_through_the_guarded_views(client, stored, debug):
    certificate, revoked, export = stored["certificate"], stored["revoked"], stored["export"]
    files = [
        (certificate.pdf, f"certificates/{certificate.code}.pdf"),
        (revoked.pdf, f"certificates/{revoked.code}.pdf"),
        (export.file, f"exports/certificates-{export.pk}.zip"),
    ]
    media, static = Path(django_settings.MEDIA_ROOT).resolve(), Path(django_settings.STATIC_ROOT).resolve()
    contents = {}
    for field_file, _ in files:
        path = Path(field_file.path).resolve()
        assert not path.is_relative_to(media) and not path.is_relative_to(static)
        assert certificate.code not in field_file.name and revoked.code not in field_file.name
        assert str(export.pk) not in field_file.name
        with pytest.raises(ValueError):
            field_file.url  # noqa: B018 (no URL at all, not even under MEDIA_URL)
        with field_file.open("rb") as source:
            contents[field_file.name] = source.read()
    assert not (media / "certificates").exists() or not any((media / "certificates").iterdir())
    assert not (media / "exports").exists() or not any((media / "exports").iterdir())

    document, image = public_files()
    for username in VIEWERS:
        client.logout()
        if username:
            client.force_login(user(username))
        for field_file, old_name in files:
            for url in candidate_urls(field_file, old_name=old_name):
                response = client.get(url)
                # 400: Django's media route refuses "..", which would otherwise lead out of MEDIA_ROOT.
                assert response.status_code in (400, 404), (username, url, response.status_code)
                assert contents[field_file.name][:512] not in body(response), (username, url)
        # The route under test is live with DEBUG on: Wagtail's files under MEDIA_ROOT are served.
        for public in (document.file, image.file):
            assert client.get(public.url).status_code == (200 if debug else 404)

    # The guarded views: the owner, their manager and HR (and the superuser); 410 when revoked;
    # the export only to the HR user who asked for it.
    may_download = {"amira", "manager.north", "hr", "admin"}
    revoked_seen_by = {"felix", "manager.south", "hr", "admin"}
    for username in VIEWERS:
        client.logout()
        if username:
            client.force_login(user(username))
        response = client.get(reverse("certificate_download", args=[certificate.code]))
        if username in may_download:
            assert response.status_code == 200 and body(response) == contents[certificate.pdf.name], username
            assert response["Cache-Control"] == "private"  # no shared cache keeps it for someone else
        else:
            assert response.status_code == (302 if username is None else 404), username
        response = client.get(reverse("certificate_download", args=[revoked.code]))
        expected = 302 if username is None else 410 if username in revoked_seen_by else 404
        assert response.status_code == expected and contents[revoked.pdf.name][:512] not in body(response), username
        response = client.get(reverse("certificate_export_download", args=[export.pk]))
        if username == "hr":
            assert response.status_code == 200 and body(response) == contents[export.file.name]
        else:
            assert response.status_code in ((302,) if username is None else (403, 404)), (username, response.status_code)


def test_wagtail_documents_and_images_stay_public_content(client):
    document, image = public_files()
    assert document.file.url.startswith(django_settings.MEDIA_URL) and image.file.url.startswith(django_settings.MEDIA_URL)
    response = client.get(document.url)  # Wagtail's document view, for anyone
    assert response.status_code == 200 and body(response) == b"public handbook"


def test_with_x_accel_redirect_nginx_sends_the_file_after_the_view_checked(client, stored, settings):
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT = "/protected/"
    certificate, revoked, export = stored["certificate"], stored["revoked"], stored["export"]
    client.force_login(user("manager.north"))
    response = client.get(reverse("certificate_download", args=[certificate.code]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{certificate.pdf.name}" and response["Cache-Control"] == "private"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="certificate-customer-loyalty-fundamentals-')
    assert client.get(reverse("certificate_download", args=[revoked.code])).status_code == 404  # South's
    client.force_login(user("ben"))
    response = client.get(reverse("certificate_download", args=[certificate.code]))
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
    client.force_login(user("hr"))
    response = client.get(reverse("certificate_download", args=[revoked.code]))
    assert response.status_code == 410 and "X-Accel-Redirect" not in response
    response = client.get(reverse("certificate_export_download", args=[export.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{export.file.name}" and response["Content-Type"] == "application/zip"


def test_a_private_root_inside_media_root_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private"}}}
    assert [error.id for error in training.private_files.check_private_root()] == ["training.E001"]
    settings.STORAGES = {**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path.parent / "elsewhere"}}}
    assert training.private_files.check_private_root() == []


def test_migrate_moves_public_files_of_an_earlier_install_into_private_storage(course, tmp_path, monkeypatch):
    """What a developer who ran `make run` before has: PDFs and ZIPs under MEDIA_ROOT named by the
    code and export id. The data migrations move them to private storage under random names."""
    public = FileSystemStorage(location=tmp_path / "media")
    private = training.private_files.PrivateFileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr("django.core.files.storage.default_storage", public)
    monkeypatch.setattr(training.private_files, "private_storage", lambda: private)
    amira = Employee.objects.get(user__username="amira")
    kept = Certificate.objects.create(employee=amira, course=course, code=new_code(), issued_at=timezone.now())
    lost = Certificate.objects.create(employee=amira, course=course, cycle=2, code=new_code(), issued_at=kept.issued_at)
    export = CertificateExport.objects.create(requested_by=user("hr"), state="done")
    public.save(f"certificates/{kept.code}.pdf", ContentFile(b"%PDF kept"))
    public.save("certificates/stray.pdf", ContentFile(b"%PDF nobody's"))
    public.save(f"exports/certificates-{export.pk}.zip", ContentFile(b"PK zip"))
    Certificate.objects.filter(pk=kept.pk).update(pdf=f"certificates/{kept.code}.pdf")
    Certificate.objects.filter(pk=lost.pk).update(pdf=f"certificates/{lost.code}.pdf")  # its file is gone
    CertificateExport.objects.filter(pk=export.pk).update(file=f"exports/certificates-{export.pk}.zip")

    from django.apps import apps

    for migration in ("assessments.migrations.0004_private_certificate_pdfs", "training.dashboards.migrations.0002_private_export_zips"):
        module = importlib.import_module(migration)
        mover = module.move_pdfs if hasattr(module, "move_pdfs") else module.move_zips
        mover(apps, None)
        mover(apps, None)  # a second run changes nothing

    kept.refresh_from_db()
    lost.refresh_from_db()
    export.refresh_from_db()
    assert kept.pdf.name.startswith("certificates/") and kept.code not in kept.pdf.name
    assert private.open(kept.pdf.name).read() == b"%PDF kept"
    assert lost.pdf.name == ""  # render_certificates renders it again
    assert export.file.name.startswith("exports/") and str(export.pk) not in export.file.name
    assert private.open(export.file.name).read() == b"PK zip"
    assert private.open("unreferenced/certificates/stray.pdf").read() == b"%PDF nobody's"
    assert public.listdir("certificates") == ([], []) and public.listdir("exports") == ([], [])


def test_export_zip_written_by_the_command_is_a_local_file(stored, tmp_path):
    """`export_certificates --out` writes where it is told: a file the operator asked for."""
    from django.core.management import call_command

    out = tmp_path / "all.zip"
    call_command("export_certificates", "--out", str(out), stderr=io.StringIO(), stdout=io.StringIO())
    names = zipfile.ZipFile(out).namelist()
    assert "manifest.csv" in names and len(names) == 2  # Amira's PDF; Felix's is revoked
