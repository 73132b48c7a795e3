"""Where people get and check credentials: the PDF's embedded file, the guarded download, HR's
certificate page, the public DID document and status list, and the /verify/ page."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from assessments.certificates.services import certificate_render, certificate_revoke
from assessments.credentials import keys
from assessments.credentials.issuing import certificate_credential
from assessments.credentials.verification import MAX_BYTES, credential_verify
from training.people.models import Employee

from .conftest import employee_named, make_certificate

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def amira_certificate(course):
    return make_certificate(Employee.objects.get(user__username="amira"), course)


def test_the_pdf_carries_the_same_credential_as_a_pdf_a3_associated_file(course):
    certificate = make_certificate(employee_named("Zoë", "Ødegård", "zoe@example.com"), course)
    certificate = certificate_render(certificate=certificate)
    reader = PdfReader(io.BytesIO(certificate.pdf.open("rb").read()))

    attachments = reader.attachments
    assert list(attachments) == [f"credential-customer-loyalty-fundamentals-{certificate.issued_at:%Y-%m-%d}.json"]
    embedded = next(iter(attachments.values()))[0].decode("utf-8")
    assert embedded == certificate.credential.document
    credential = json.loads(embedded)
    assert credential["credentialSubject"]["name"] == "Zoë Ødegård"
    assert credential_verify(credential).status == "valid"
    catalog = reader.trailer["/Root"]
    # WeasyPrint 70 lists the one file spec twice in /AF (harmless: the same object).
    assert {ref.idnum for ref in catalog["/AF"]} == {catalog["/AF"][0].idnum}
    assert catalog["/AF"][0].get_object()["/AFRelationship"] == "/Alternative"
    assert "Zoë Ødegård" in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    "username, status",
    [("amira", 200), ("manager.north", 200), ("hr", 200), ("ben", 404), ("manager.south", 404), ("editor", 404)],
)
def test_download_is_guarded_like_the_pdf(client, amira_certificate, username, status):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("credential_download", args=[amira_certificate.code]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/vc; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="credential-customer-loyalty-fundamentals-')
        assert "no-store" in response["Cache-Control"]
        assert response.content.decode("utf-8") == certificate_credential(amira_certificate).document


def test_download_needs_sign_in_and_a_revoked_certificate_is_gone(client, amira_certificate, admin_user):
    url = reverse("credential_download", args=[amira_certificate.code])
    assert client.get(url).status_code == 302
    client.force_login(User.objects.get(username="amira"))
    certificate_revoke(certificate=amira_certificate, by=admin_user, reason="Wrong course")
    assert client.get(url).status_code == 410


def test_non_ascii_names_survive_the_download(client, course):
    employee = employee_named("王", "小明", "wang@example.com")
    certificate = make_certificate(employee, course)
    client.force_login(employee.user)
    response = client.get(reverse("credential_download", args=[certificate.code]))
    assert json.loads(response.content.decode("utf-8"))["credentialSubject"]["name"] == "王 小明"
    assert "王 小明".encode() in response.content  # written as UTF-8, not \\u escapes


def test_my_learning_and_hr_certificate_page_link_the_credential(client, amira_certificate):
    client.force_login(User.objects.get(username="amira"))
    page = client.get(reverse("my_learning")).content.decode()
    assert reverse("credential_download", args=[amira_certificate.code]) in page and "Download for your wallet (.json)" in page
    client.force_login(User.objects.get(username="hr"))
    certificate_credential(amira_certificate)
    page = client.get(reverse("certificate_manage", args=[amira_certificate.code])).content.decode()
    assert "Open Badges 3.0, signed" in page and "AchievementCredential" in page
    inspect = client.get(reverse("wagtailsnippets_assessments_certificate:inspect", args=[amira_certificate.pk]))
    assert reverse("credential_download", args=[amira_certificate.code]) in inspect.content.decode()


def test_did_document_and_status_list_are_public_and_cacheable(client, amira_certificate, admin_user):
    credential = json.loads(certificate_credential(amira_certificate).document)
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/did+json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response.json()["assertionMethod"] == [credential["proof"][0]["verificationMethod"]]
    assert response.json()["id"] == keys.issuer_did() == credential["issuer"]["id"]

    status_url = credential["credentialStatus"]["statusListCredential"]
    response = client.get(status_url.removeprefix("http://testserver"))
    assert status_url.endswith("/credentials/status/1")
    response = client.get(reverse("credential_status_list", args=[1]))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert json.loads(response.content)["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert client.get(reverse("credential_status_list", args=[99])).status_code == 404


class TestVerifyPage:
    url = "/verify/"

    def test_paste_or_upload_gives_a_verdict(self, client, amira_certificate):
        cache.clear()
        assert client.get(self.url).status_code == 200
        document = certificate_credential(amira_certificate).document
        response = client.post(self.url, {"credential_text": document})
        assert response.status_code == 200 and response.context["verdict"].status == "valid"
        assert "Amira Haddad" in response.content.decode()
        upload = SimpleUploadedFile("credential.json", document.encode("utf-8"), content_type="application/json")
        response = client.post(self.url, {"credential_file": upload})
        assert response.context["verdict"].status == "valid"
        tampered = json.loads(document)
        tampered["credentialSubject"]["name"] = "Someone Else"
        response = client.post(self.url, {"credential_text": json.dumps(tampered)})
        assert response.context["verdict"].status == "tampered" and "Tampered" in response.content.decode()

    @pytest.mark.parametrize(
        "data, message",
        [
            ({"credential_text": "{not json"}, "not valid JSON (line 1, column 2"),
            ({"credential_text": "[1, 2]"}, "must be a JSON object"),
            ({}, "Paste a credential or choose its file."),
            ({"credential_file": b"\xff\xfe\x00garbage"}, "not UTF-8 text"),
            ({"credential_file": b" " * (MAX_BYTES + 1)}, "too large"),
            ({"credential_text": "[" * 50_000 + "]" * 50_000}, "nested too deeply"),
            # Over Django's DATA_UPLOAD_MAX_MEMORY_SIZE: refused before the form, by handler400.
            ({"credential_text": "x" * (3 * 1024 * 1024)}, "too large: at most 2.5 MB of typed or pasted text"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_problem(self, client, data, message):
        cache.clear()
        if "credential_file" in data:
            data = {"credential_file": SimpleUploadedFile("c.json", data["credential_file"])}
        response = client.post(self.url, data)
        assert response.status_code == 400
        assert message in response.content.decode().replace("&#x27;", "'")

    def test_shares_the_code_checks_rate_limit(self, client, amira_certificate, settings):
        settings.VERIFY_RATE_PER_MINUTE = 2
        cache.clear()
        client.get(reverse("certificate_verify", args=[amira_certificate.code]))
        assert client.post(self.url, {"credential_text": "{}"}).status_code == 200
        assert client.post(self.url, {"credential_text": "{}"}).status_code == 429
        cache.clear()
