"""Private files in object storage (STORAGE_BUCKET): a real S3-API server process (moto's server,
standing in for a boundary we do not own), django-storages, and the guarded views' redirect to a
short-lived signed URL."""

import io
import socket
import subprocess
import sys
import time
import zipfile
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.certificates.services import certificate_render, certificates_render_enqueue_pending, new_code
from assessments.models import Certificate
from training.dashboards.certificate_export import certificate_export_start
from training.dashboards.models import CertificateExport

pytestmark = pytest.mark.django_db
BUCKET = "academy-private"
User = get_user_model()


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(endpoint, timeout=2)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.2)
    try:
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """STORAGE_BUCKET's settings (as base.py writes them) pointed at the S3 server; the private
    FileFields use the new storage (they bind theirs when the models are imported)."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1", "access_key": "test",
                    "secret_key": "test", "location": "", "default_acl": None, "querystring_auth": True,
                    "querystring_expire": 60, "file_overwrite": False, "signature_version": "s3v4"},
    }}
    storage = storages["private"]
    monkeypatch.setattr(Certificate._meta.get_field("pdf"), "storage", storage)
    monkeypatch.setattr(CertificateExport._meta.get_field("file"), "storage", storage)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def certificate(employee, course):
    return Certificate.objects.create(employee=employee, course=course, code=new_code(), issued_at=timezone.now())


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_certificate_is_stored_privately_once_and_served_by_a_short_signed_redirect(bucket, certificate, client):
    certificate_render(certificate=certificate)
    assert keys(bucket) == [certificate.pdf.name]
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=certificate.pdf.name)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]  # no public grant
    plain_url = f"{bucket.meta.endpoint_url}/{BUCKET}/{certificate.pdf.name}"
    assert requests.get(plain_url, timeout=10).status_code == 403  # no way in without a signature

    # Rendered again from a stale copy of the row: the bucket still holds one file.
    stale = Certificate.objects.get(pk=certificate.pk)
    stale.pdf = ""
    certificate_render(certificate=stale)
    assert keys(bucket) == [certificate.pdf.name] and stale.pdf.name == certificate.pdf.name

    client.force_login(User.objects.get(username="ben"))
    assert client.get(reverse("certificate_download", args=[certificate.code])).status_code == 404
    client.force_login(certificate.employee.user)
    response = client.get(reverse("certificate_download", args=[certificate.code]))
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    signed = requests.get(response["Location"], timeout=10)
    assert signed.status_code == 200 and signed.headers["Content-Type"] == "application/pdf"
    assert "attachment" in signed.headers["Content-Disposition"]
    assert "Amira" in PdfReader(io.BytesIO(signed.content)).pages[0].extract_text()


def test_a_bulk_zip_is_written_to_the_bucket_and_downloaded_by_its_owner_only(bucket, certificate, client, course):
    certificate_render(certificate=certificate)
    hr = User.objects.get(username="hr")
    export = certificate_export_start(user=hr, params={"course": str(course.pk)})
    from training.dashboards.certificate_export import certificate_export_run

    certificate_export_run.call(str(export.pk))
    export.refresh_from_db()
    assert export.state == "done" and export.file.name in keys(bucket)
    client.force_login(User.objects.get(username="manager.north"))
    assert client.get(reverse("certificate_export_download", args=[export.pk])).status_code in (403, 404)
    client.force_login(hr)
    response = client.get(reverse("certificate_export_download", args=[export.pk]))
    assert response.status_code == 302
    with zipfile.ZipFile(io.BytesIO(requests.get(response["Location"], timeout=10).content)) as archive:
        assert [name for name in archive.namelist() if name.endswith(".pdf")] and "manifest.csv" in archive.namelist()


def test_the_sweep_queues_only_certificates_left_without_a_pdf(bucket, certificate, employee, course, django_capture_on_commit_callbacks):
    old = timezone.now() - timedelta(minutes=30)
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=old)
    assert certificates_render_enqueue_pending(older_than=timedelta(minutes=60)) == 0  # too recent to be lost
    assert certificates_render_enqueue_pending(older_than=timedelta(minutes=10)) == 1  # immediate backend in tests: rendered
    certificate.refresh_from_db()
    assert certificate.pdf and keys(bucket) == [certificate.pdf.name]
    assert certificates_render_enqueue_pending(older_than=timedelta(minutes=10)) == 0
