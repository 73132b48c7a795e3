"""Bulk certificate export: the ZIP holds exactly the certificates the report's filter matches,
named by employee number, course and date, with a neutralised manifest; it runs as a task that a
page follows; only the HR person who asked for it sees it; the command writes the same ZIP."""

import csv
import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

import training.dashboards.certificate_export as certificate_export
from assessments.certificates.pdf import verification_url
from assessments.certificates.services import certificate_render, new_code
from assessments.models import Certificate
from tests.factories import UserFactory, add_course
from training.dashboards.certificate_export import certificate_export_start, certificates_zip_write
from training.dashboards.models import CertificateExport
from training.dashboards.reports.filters import CertificateFilterSet, certificates_report_queryset
from training.people import roles
from training.people.models import Employee, Team

pytestmark = pytest.mark.django_db
User = get_user_model()


def issue(username, course, *, days_ago, render=True, **fields):
    issued = timezone.now() - timedelta(days=days_ago)
    certificate = Certificate.objects.create(
        employee=Employee.objects.get(user__username=username),
        course=course,
        code=new_code(),
        issued_at=issued,
        expires_at=issued + timedelta(days=365),
        score=Decimal("90.00"),
        **fields,
    )
    return certificate_render(certificate=certificate) if render else certificate


def pdf_name(certificate):
    certificate = Certificate.objects.select_related("employee", "course").get(pk=certificate.pk)
    return f"{certificate.employee.employee_number}-{certificate.course.slug}-{timezone.localdate(certificate.issued_at)}.pdf"


@pytest.fixture
def second_course(catalog):
    return add_course(catalog, title="Handling Complaints")


@pytest.fixture
def certificates(course, second_course):
    """North: Amira (valid) and Dev (expired) for the fundamentals, Ben for the second course;
    South: Felix for the fundamentals."""
    return {
        "amira": issue("amira", course, days_ago=20),
        "dev": issue("dev", course, days_ago=400),
        "ben": issue("ben", second_course, days_ago=5),
        "felix": issue("felix", course, days_ago=10),
    }


def zip_for(params):
    filterset = CertificateFilterSet(params, queryset=certificates_report_queryset())
    assert filterset.is_valid(), filterset.form.errors
    out = io.BytesIO()
    calls = []
    summary = certificates_zip_write(filterset.qs, out, progress=lambda done, total: calls.append((done, total)))
    return zipfile.ZipFile(out), summary, calls


def manifest(archive):
    return list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))


def north():
    return Team.objects.get(name="North store")


def test_zip_holds_exactly_the_filtered_certificates_and_their_manifest(certificates, course):
    archive, summary, calls = zip_for({"course": course.pk, "team": north().pk})
    amira, dev = certificates["amira"], certificates["dev"]
    assert sorted(archive.namelist()) == sorted([pdf_name(amira), pdf_name(dev), "manifest.csv"])
    assert summary.total == 2 and summary.missing == 0
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)
    # The stored files are read, not rendered again; PDFs are stored, not recompressed.
    assert archive.read(pdf_name(amira)) == amira.pdf.open("rb").read()
    assert archive.getinfo(pdf_name(amira)).compress_type == zipfile.ZIP_STORED
    text = " ".join(PdfReader(io.BytesIO(archive.read(pdf_name(amira)))).pages[0].extract_text().split())
    assert "Amira Haddad" in text and amira.code in text

    rows = manifest(archive)
    assert [row["File"] for row in rows] == [pdf_name(amira), pdf_name(dev)]  # newest first, as the report
    first = rows[0]
    assert first == {
        "File": pdf_name(amira),
        "Employee number": amira.employee.employee_number,
        "Name": "Amira Haddad",
        "Team": "North store",
        "Course": "Customer Loyalty Fundamentals",
        "Issued": timezone.localdate(amira.issued_at).isoformat(),
        "Expires": timezone.localdate(amira.expires_at).isoformat(),
        "Status": "valid",
        "Score": "90.00",
        "Code": amira.code,
        "Verification URL": verification_url(amira.code),
        "Problem": "",
        "Credential file": "",
    }
    assert rows[1]["Status"] == "expired"


def test_status_and_date_filters_narrow_the_zip(certificates, course):
    archive, _, _ = zip_for({"course": course.pk, "team": north().pk, "status": "valid"})
    assert archive.namelist() == [pdf_name(certificates["amira"]), "manifest.csv"]
    since = (timezone.localdate() - timedelta(days=15)).isoformat()
    archive, _, _ = zip_for({"issued_from": since})
    assert sorted(archive.namelist()) == sorted([pdf_name(certificates["ben"]), pdf_name(certificates["felix"]), "manifest.csv"])
    archive, summary, calls = zip_for({"status": "revoked"})
    assert archive.namelist() == ["manifest.csv"] and manifest(archive) == [] and summary.total == 0 and calls == [(0, 0)]


def test_a_certificate_without_its_pdf_is_rendered_and_stored_first(course):
    certificate = issue("amira", course, days_ago=1, render=False)
    archive, summary, _ = zip_for({})
    certificate.refresh_from_db()
    assert certificate.pdf and summary.missing == 0
    assert archive.read(pdf_name(certificate)) == certificate.pdf.open("rb").read()


def test_same_day_certificates_get_numbered_names(course):
    first = issue("amira", course, days_ago=3)
    second = issue("amira", course, days_ago=3, cycle=2)
    archive, _, _ = zip_for({"course": course.pk})
    stem = pdf_name(first).removesuffix(".pdf")
    assert pdf_name(first) == pdf_name(second)
    assert sorted(archive.namelist()) == sorted([f"{stem}.pdf", f"{stem}-2.pdf", "manifest.csv"])
    assert {row["Status"] for row in manifest(archive)} == {"valid"}


def test_revoked_certificates_are_listed_with_their_status_and_no_file(course):
    """As the single download answers 410 for a revoked certificate, the ZIP ships no revoked PDF:
    the manifest lists it, with its status, an empty File and when it was revoked."""
    revoked = issue("amira", course, days_ago=3, revoked_at=timezone.now() - timedelta(days=1))
    unrendered = issue("ben", course, days_ago=2, render=False, revoked_at=timezone.now())
    current = issue("amira", course, days_ago=3)
    for params in ({}, {"status": "revoked"}):
        archive, summary, _ = zip_for(params)
        rows = {row["Code"]: row for row in manifest(archive)}
        assert archive.namelist() == ([pdf_name(current)] if not params else []) + ["manifest.csv"]
        for certificate in (revoked, unrendered):
            row = rows[certificate.code]
            assert row["Status"] == "revoked" and row["File"] == ""
            assert row["Problem"] == f"Revoked on {timezone.localdate(certificate.revoked_at).isoformat()}; no file."
        assert summary.total == len(rows) and summary.missing == 0  # revoked is not "could not be rendered"
    unrendered.refresh_from_db()
    assert not unrendered.pdf and unrendered.render_attempts == 0  # nothing rendered for a revoked certificate


def test_hostile_names_are_neutralised_in_the_manifest_and_the_file_name(course):
    certificate = issue("felix", course, days_ago=1)
    felix = certificate.employee
    felix.user.first_name, felix.user.last_name = '=HYPERLINK("http://evil.example","x")', ""
    felix.user.save()
    felix.employee_number = "@S/../9"
    felix.save()
    team = felix.team
    team.name = "+South"
    team.save()
    archive, _, _ = zip_for({})
    row = manifest(archive)[0]
    assert row["Name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["Employee number"] == "'@S/../9" and row["Team"] == "'+South"
    date = timezone.localdate(certificate.issued_at)
    assert row["File"] == f"S-9-customer-loyalty-fundamentals-{date}.pdf" and row["File"] in archive.namelist()


@pytest.mark.parametrize("hostile", ["\x01=CTRLPROBE(1)", "\x1f\x02+CTRLPROBE(1)", " =CTRLPROBE(1)", "\u200b@CTRLPROBE(1)", "＝CTRLPROBE(1)", "－CTRLPROBE(1)"])
def test_the_manifest_neutralises_after_dropping_control_characters(course, hostile):
    """The manifest uses the exports' one rule (spreadsheets.neutralise): a hidden leading
    character or a fullwidth look-alike does not get a formula past it."""
    certificate = issue("felix", course, days_ago=1)
    certificate.employee.user.first_name, certificate.employee.user.last_name = hostile, ""
    certificate.employee.user.save()
    row = manifest(zip_for({})[0])[0]
    assert row["Name"].startswith("'") and row["Name"].endswith("CTRLPROBE(1)") and "\x01" not in row["Name"]


def test_a_pdf_that_cannot_be_rendered_is_listed_as_missing(certificates, course, monkeypatch):
    import assessments.certificates.pdf

    broken = issue("chloe", course, days_ago=1, render=False)

    def fail(*args, **kwargs):
        raise OSError("font cache unavailable")

    monkeypatch.setattr(assessments.certificates.pdf, "HTML", fail)
    archive, summary, _ = zip_for({"course": course.pk, "team": north().pk})
    assert summary.total == 3 and summary.missing == 1
    assert sorted(archive.namelist()) == sorted([pdf_name(certificates["amira"]), pdf_name(certificates["dev"]), "manifest.csv"])
    row = next(row for row in manifest(archive) if row["Code"] == broken.code)
    assert row["File"] == "" and "font cache unavailable" in row["Problem"] and row["Name"] == "Chloe Dubois"


# The task -----------------------------------------------------------------------------------------


def hr_user():
    return User.objects.get(username="hr")


def test_start_validates_then_runs_the_task_to_a_stored_zip(certificates, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = certificate_export_start(user=hr_user(), params={"course": str(course.pk), "team": str(north().pk), "status": ""})
    export.refresh_from_db()
    assert export.params == {"course": str(course.pk), "team": str(north().pk)}
    assert (export.state, export.done, export.total, export.missing, export.error) == ("done", 2, 2, 0, "")
    assert export.finished_at and export.file.name.startswith("exports/")
    with export.file.open("rb") as file:
        assert len(zipfile.ZipFile(file).namelist()) == 3


def test_starting_an_export_prunes_old_ones_and_fails_stuck_ones(certificates, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = certificate_export_start(user=hr_user(), params={})
    old.refresh_from_db()
    old_file = old.file.name
    stuck = CertificateExport.objects.create(requested_by=hr_user(), state="running", created_at=timezone.now() - timedelta(hours=2))
    CertificateExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        certificate_export_start(user=hr_user(), params={"course": str(course.pk)})
    assert not CertificateExport.objects.filter(pk=old.pk).exists()
    assert not old.file.storage.exists(old_file)
    stuck.refresh_from_db()
    assert stuck.state == "failed" and "Start it again" in stuck.error


def test_bad_filter_names_the_field_and_saves_nothing(certificates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        certificate_export_start(user=hr_user(), params={"course": "999999", "issued_from": "2026-02-30", "status": "lost"})
    text = " ".join(error.value.messages)
    assert "Course: Select a valid choice" in text and "Issued between: Enter a valid date" in text and "Status:" in text
    assert not CertificateExport.objects.exists()


def test_a_failing_export_is_recorded_not_raised(certificates, monkeypatch, django_capture_on_commit_callbacks):
    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(certificate_export, "certificates_zip_write", boom)
    with django_capture_on_commit_callbacks(execute=True):
        export = certificate_export_start(user=hr_user(), params={})
    export.refresh_from_db()
    assert export.state == "failed" and "disk full" in export.error and not export.file and export.finished_at


# The pages ----------------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return client


def test_hr_starts_follows_and_downloads_an_export(client, certificates, course, django_capture_on_commit_callbacks):
    login(client, "hr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificate_export_start"), {"course": course.pk, "team": north().pk, "status": "valid", "issued_from": "", "issued_to": ""})
    export = CertificateExport.objects.get()
    assert response.status_code == 302 and response.url == reverse("certificate_export", args=[export.pk])

    html = client.get(response.url).content.decode()
    assert "Certificates with course Customer Loyalty Fundamentals; team North store; status valid" in html
    assert "1 of 1 certificates" in html and "Download ZIP" in html and 'aria-live="polite"' in html
    assert '<progress id="export-progress"' in html and 'aria-valuenow="1"' in html
    assert 'http-equiv="refresh"' not in html  # finished: nothing to follow

    status = client.get(reverse("certificate_export_status", args=[export.pk])).json()
    download_url = reverse("certificate_export_download", args=[export.pk])
    assert status == {
        "state": "done", "done": 1, "total": 1, "missing": 0, "error": "",
        "message": "1 of 1 certificates: the ZIP is ready.", "download_url": download_url,
    }  # fmt: skip
    response = client.get(download_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="certificates-{timezone.localdate()}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [pdf_name(certificates["amira"]), "manifest.csv"]


def test_a_queued_export_page_refreshes_without_js_and_has_no_download(client, certificates):
    login(client, "hr")
    response = client.post(reverse("certificate_export_start"), {})  # on_commit not run: still queued
    export = CertificateExport.objects.get()
    html = client.get(response.url).content.decode()
    assert "Waiting to start" in html and "All certificates" in html
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html and "export_progress.js" in html
    assert client.get(reverse("certificate_export_status", args=[export.pk])).json()["download_url"] is None
    assert client.get(reverse("certificate_export_download", args=[export.pk])).status_code == 404


def test_bad_filter_shows_the_field_with_400_and_creates_nothing(client, certificates):
    login(client, "hr")
    response = client.post(reverse("certificate_export_start"), {"team": "999999", "expiring_within": "0"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Team: Select a valid choice" in html and "Expiring soon means within (days): Ensure this value is greater than or equal to 1." in html
    assert f'href="{reverse("academy_report_certificates")}?team=999999&amp;expiring_within=0"' in html
    assert not CertificateExport.objects.exists()


def test_only_hr_can_start_an_export(client, certificates):
    url = reverse("certificate_export_start")
    for username in ("amira", "manager.north", "editor"):
        assert login(client, username).post(url, {}).status_code == 403
    assert login(client, "hr").get(url).status_code == 405
    assert not CertificateExport.objects.exists()


def test_an_export_is_seen_only_by_whoever_asked_for_it(client, certificates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = certificate_export_start(user=hr_user(), params={})
    urls = [reverse(name, args=[export.pk]) for name in ("certificate_export", "certificate_export_status", "certificate_export_download")]
    other_hr = UserFactory(username="hr.other")
    other_hr.groups.add(Group.objects.get(name=roles.HR))
    for user in (other_hr, "admin"):
        login(client, user)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    for user in ("amira", "manager.north", "editor"):  # not HR: refused before any export is looked up
        login(client, user)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    client.logout()
    assert all(client.get(url).url.startswith(reverse("wagtailadmin_login")) for url in urls)
    login(client, "hr")
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


# The command --------------------------------------------------------------------------------------


def test_command_writes_the_zip_with_a_progress_bar(certificates, second_course, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "north.zip"
    call_command("export_certificates", "--course", "Customer Loyalty Fundamentals", "--team", "North store", "--out", str(target), stdout=out, stderr=err)
    archive = zipfile.ZipFile(target)
    assert sorted(archive.namelist()) == sorted([pdf_name(certificates["amira"]), pdf_name(certificates["dev"]), "manifest.csv"])
    assert "] 2/2 certificates" in err.getvalue() and "\r[" in err.getvalue()
    assert f"Wrote 2 certificate PDF(s) to {target}." in out.getvalue()
    assert [path.name for path in tmp_path.iterdir()] == ["north.zip"]  # no partial file left behind

    call_command("export_certificates", "--course", second_course.slug, "--status", "valid", "--out", str(target), stdout=out, stderr=err)
    assert zipfile.ZipFile(target).namelist() == [pdf_name(certificates["ben"]), "manifest.csv"]


def test_command_rejects_unknown_names_and_bad_values(certificates, tmp_path):
    target = tmp_path / "x.zip"
    with pytest.raises(CommandError, match=r"no course with the slug or title 'Nope'\. Courses: .*customer-loyalty-fundamentals"):
        call_command("export_certificates", "--course", "Nope", "--out", str(target))
    with pytest.raises(CommandError, match=r"no team named 'West'\. Teams: North store, South store"):
        call_command("export_certificates", "--team", "West", "--out", str(target))
    with pytest.raises(CommandError, match="Issued between: Enter a valid date"):
        call_command("export_certificates", "--issued-from", "23/11/2026", "--out", str(target))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_certificates", "--out", str(tmp_path / "missing" / "x.zip"))
    assert list(tmp_path.iterdir()) == []


def test_command_leaves_no_file_when_the_export_fails(certificates, tmp_path, monkeypatch):
    import training.dashboards.management.commands.export_certificates as command

    def boom(certificates, out, **kwargs):
        out.write(b"half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(command, "certificates_zip_write", boom)
    with pytest.raises(OSError, match="disk full"):
        call_command("export_certificates", "--out", str(tmp_path / "x.zip"), stderr=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_the_zip_can_carry_each_certificates_verifiable_credential(certificates, course):
    from assessments.credentials.verification import credential_verify

    filterset = CertificateFilterSet({"course": course.pk, "team": north().pk}, queryset=certificates_report_queryset())
    assert filterset.is_valid()
    out = io.BytesIO()
    certificates_zip_write(filterset.qs, out, include_credentials=True)
    archive = zipfile.ZipFile(out)
    amira = certificates["amira"]
    json_name = pdf_name(amira).removesuffix(".pdf") + ".json"
    assert json_name in archive.namelist()
    row = next(row for row in manifest(archive) if row["Code"] == amira.code)
    assert row["Credential file"] == json_name
    credential = json.loads(archive.read(json_name).decode("utf-8"))
    assert credential["credentialSubject"]["name"] == "Amira Haddad"
    assert credential_verify(credential).status == "valid"
    assert archive.read(json_name).decode("utf-8") == amira.credential.document  # the stored bytes


def test_an_export_asked_with_credentials_ships_the_json_files(certificates, course, django_capture_on_commit_callbacks):
    params = {"course": str(course.pk), "team": str(north().pk), "credentials": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        export = certificate_export_start(user=hr_user(), params=params)
    export.refresh_from_db()
    assert export.state == "done" and export.params == params
    assert certificate_export.certificate_export_summary(export.params).endswith("with their verifiable credentials (.json)")
    with export.file.open("rb") as file:
        names = zipfile.ZipFile(file).namelist()
    assert sorted(name.rsplit(".", 1)[1] for name in names) == ["csv", "json", "json", "pdf", "pdf"]
