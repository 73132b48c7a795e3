"""Our credentials checked by an independent implementation: Digital Bazaar's @digitalbazaar/vc
with the eddsa-rdfc-2022 cryptosuite (tests/credentials/verify.mjs, run with node), fed our DID
document and status list as a verifier would resolve them."""

import copy
import json
import subprocess
from pathlib import Path

import pytest

from assessments.certificates.services import certificate_revoke
from assessments.credentials import keys, status_list
from assessments.credentials.issuing import certificate_credential
from assessments.credentials.verification import credential_verify

from .conftest import badge_image, employee_named, make_certificate

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).with_name("verify.mjs")


def node_verify(credential: dict, tmp_path) -> dict:
    number = 1
    documents = {
        keys.issuer_did(): keys.did_document(),
        status_list.status_list_url(number): json.loads(status_list.status_list_credential(number)),
    }
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"credential": credential, "documents": documents}, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(["node", str(SCRIPT), str(path)], capture_output=True, text=True, timeout=60, cwd=SCRIPT.parents[2])
    assert run.stdout, run.stderr
    result = json.loads(run.stdout)
    assert (run.returncode == 0) == result["verified"]
    return result


def test_node_verifies_ours_and_both_verifiers_reject_tampering_and_revocation(course, tmp_path, admin_user):
    course.image = badge_image()
    course.save_revision().publish()
    zoe = make_certificate(employee_named("Zoë", "Ødegård", "zoe@example.com"), course)
    wang = make_certificate(employee_named("王", "小明", "wang@example.com"), course, score=None, months=0)
    credentials = [json.loads(certificate_credential(c).document) for c in (zoe, wang)]
    for credential in credentials:
        assert node_verify(credential, tmp_path) == {"verified": True, "statusVerified": True, "errors": []}

    tamperings = [
        lambda c: c["credentialSubject"].__setitem__("name", "Zoe Odegard"),
        lambda c: c["credentialSubject"]["achievement"].__setitem__("description", "Something else"),
        lambda c: c["credentialSubject"]["result"][0].__setitem__("value", "99.00"),
        lambda c: c.__setitem__("validUntil", "2099-12-31T00:00:00Z"),
        lambda c: c["credentialStatus"].__setitem__("statusListIndex", "3"),
        lambda c: c["credentialSubject"]["achievement"]["image"].__setitem__("id", "https://elsewhere.example/badge.png"),
    ]
    for change in tamperings:
        tampered = copy.deepcopy(credentials[0])
        change(tampered)
        assert node_verify(tampered, tmp_path)["verified"] is False
        assert credential_verify(tampered).status == "tampered"

    certificate_revoke(certificate=zoe, by=admin_user, reason="Issued in error")
    result = node_verify(credentials[0], tmp_path)
    assert result["verified"] is False and result["statusVerified"] is False
    assert credential_verify(credentials[0]).status == "revoked"
    assert node_verify(credentials[1], tmp_path)["verified"] is True  # the other bit is untouched


def test_node_verifies_credentials_signed_before_a_key_rotation(course, employee, tmp_path):
    old = json.loads(certificate_credential(make_certificate(employee, course)).document)
    keys.issuer_key_rotate()
    new = json.loads(certificate_credential(make_certificate(employee_named("Zoë", "Ødegård", "z@example.com"), course)).document)
    assert old["proof"][0]["verificationMethod"] != new["proof"][0]["verificationMethod"]
    assert node_verify(old, tmp_path)["verified"] is True
    assert node_verify(new, tmp_path)["verified"] is True
