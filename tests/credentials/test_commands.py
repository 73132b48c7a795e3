"""manage.py credentials_keys, export_credential and verify_credential."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.certificates.services import certificate_revoke
from assessments.models import IssuerKey

from .conftest import employee_named, make_certificate

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_keys_create_refuses_a_second_and_rotate_keeps_the_old_one_published():
    code, out, _ = run("credentials_keys", "--create")
    assert code == 0 and "Created issuer key did:web:" in out
    with pytest.raises(CommandError, match="--rotate"):
        call_command("credentials_keys", "--create", stdout=io.StringIO())
    code, out, _ = run("credentials_keys", "--rotate")
    assert out.count("retired") == 1 and out.count("active") == 1
    assert IssuerKey.objects.filter(active=True).count() == 1 and IssuerKey.objects.count() == 2


def test_export_then_verify_round_trip_with_exit_codes(course, tmp_path, admin_user):
    certificate = make_certificate(employee_named("王", "小明", "wang@example.com"), course)
    code, out, _ = run("export_credential", certificate.code)
    assert code == 0 and json.loads(out)["credentialSubject"]["name"] == "王 小明"
    path = tmp_path / "credential.json"
    path.write_text(out, encoding="utf-8")

    code, out, _ = run("verify_credential", str(path))
    assert code == 0 and out.startswith("valid: 王 小明")

    tampered = json.loads(path.read_text(encoding="utf-8"))
    tampered["credentialSubject"]["name"] = "Someone Else"
    (tmp_path / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    code, _, err = run("verify_credential", str(tmp_path / "tampered.json"))
    assert code == 1 and err.startswith("tampered: ")

    certificate_revoke(certificate=certificate, by=admin_user, reason="Issued in error")
    code, _, err = run("verify_credential", str(path))
    assert code == 1 and err.startswith("revoked: ")

    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    code, _, err = run("verify_credential", str(tmp_path / "broken.json"))
    assert code == 1 and "not valid JSON (line 1" in err
    code, _, err = run("verify_credential", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read" in err


def test_export_of_an_unknown_code_is_an_error():
    with pytest.raises(CommandError, match="No certificate has the code 'nope'"):
        call_command("export_credential", "nope", stdout=io.StringIO())
