"""Credentials we issue: their shape (Open Badges 3.0 JSON Schema), our verifier's verdicts,
tampering, revocation through the status list, expiry, and key rotation."""

import copy
import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from PIL import Image as PILImage
from django.utils import timezone

from assessments.certificates.services import certificate_reissue
from assessments.credentials import keys, status_list
from assessments.credentials.issuing import certificate_credential
from assessments.credentials.verification import credential_verify
from assessments.models import IssuedCredential, IssuerKey

from .conftest import SCHEMA, badge_image, employee_named, make_certificate

pytestmark = pytest.mark.django_db
VALIDATOR = jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)


def issued(certificate) -> dict:
    return json.loads(certificate_credential(certificate).document)


SHAPES = [
    pytest.param({"score": None, "months": 0}, "Zoë", "Ødegård", "zoe@example.com", id="no-expiry-no-score"),
    pytest.param({"months": 12}, "王", "小明", "wang@example.com", id="expiring-with-score"),
    pytest.param({"score": None, "months": 6}, "Amira", "O'Neil <b>", "amira.o@example.com", id="expiring-no-score"),
    pytest.param({"months": 0}, "Zoë", "Ødegård", "zoe2@example.com", id="no-expiry-with-score"),
]


@pytest.mark.parametrize("shape, first, last, email", SHAPES)
def test_every_credential_shape_validates_against_the_open_badges_schema_and_verifies(course, shape, first, last, email):
    employee = employee_named(first, last, email)
    certificate = make_certificate(employee, course, **shape)
    credential = issued(certificate)

    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(credential)]
    assert errors == []
    subject = credential["credentialSubject"]
    assert subject["name"] == f"{first} {last}"
    assert email not in json.dumps(credential, ensure_ascii=False)  # never in clear
    assert subject["identifier"][0]["identityHash"].startswith("sha256$") and subject["identifier"][0]["hashed"] is True
    assert subject["achievement"]["name"] == course.title
    assert ("validUntil" in credential) == bool(shape.get("months"))
    assert ("result" in subject) == (shape.get("score", 1) is not None)
    assert credential["credentialStatus"]["statusListCredential"] == status_list.status_list_url(1)
    assert credential_verify(credential).status == "valid"


def test_the_course_image_is_the_achievements_image(course, employee, settings):
    without = issued(make_certificate(employee, course))
    assert "image" not in without["credentialSubject"]["achievement"]
    course.image = badge_image()
    course.save_revision().publish()
    credential = issued(make_certificate(employee_named("Zoë", "Ødegård", "zoe@example.com"), course))
    image = credential["credentialSubject"]["achievement"]["image"]
    assert image["type"] == "Image" and image["caption"] == course.title
    assert image["id"].startswith(settings.SITE_URL + settings.MEDIA_URL) and image["id"].endswith(".png")
    assert [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(credential)] == []
    assert credential_verify(credential).status == "valid"
    stored = Path(settings.MEDIA_ROOT) / image["id"].removeprefix(settings.SITE_URL + settings.MEDIA_URL)
    assert PILImage.open(stored).size == (600, 600)  # the real file, at most 800 x 800


def test_the_email_hash_is_checkable_by_whoever_knows_the_address(course):
    import hashlib

    employee = employee_named("Zoë", "Ødegård", "Zoe@Example.com")
    identity = issued(make_certificate(employee, course))["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(("zoe@example.com" + identity["salt"]).encode()).hexdigest()


def test_the_stored_credential_is_issued_once_and_kept_byte_for_byte(course, employee):
    certificate = make_certificate(employee, course)
    first = certificate_credential(certificate)
    again = certificate_credential(certificate)
    assert first.pk == again.pk and first.document == again.document
    assert IssuedCredential.objects.count() == 1


TAMPERINGS = {
    "name": lambda c: c["credentialSubject"].__setitem__("name", "Mallory"),
    "course": lambda c: c["credentialSubject"]["achievement"].__setitem__("name", "Advanced course"),
    "score": lambda c: c["credentialSubject"]["result"][0].__setitem__("value", "100.00"),
    "validUntil": lambda c: c.__setitem__("validUntil", "2099-01-01T00:00:00Z"),
    "validFrom": lambda c: c.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
    "issuer name": lambda c: c["issuer"].__setitem__("name", "Another Academy"),
    "status index": lambda c: c["credentialStatus"].__setitem__("statusListIndex", "7"),
    "added property": lambda c: c["credentialSubject"].__setitem__("grade", "A+"),
    "removed property": lambda c: c.pop("validUntil"),
    "proof created": lambda c: c["proof"][0].__setitem__("created", "2001-01-01T00:00:00Z"),
}


@pytest.mark.parametrize("change", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_changing_any_field_makes_it_tampered(course, employee, change):
    credential = issued(make_certificate(employee, course))
    tampered = copy.deepcopy(credential)
    change(tampered)
    verdict = credential_verify(tampered)
    assert verdict.status == "tampered", verdict.reasons


def test_other_issuers_and_unknown_keys_are_not_ours(course, employee, settings):
    credential = issued(make_certificate(employee, course))
    other = copy.deepcopy(credential)
    other["issuer"]["id"] = "did:web:elsewhere.example"
    assert credential_verify(other).status == "not_ours"
    foreign_key = copy.deepcopy(credential)
    foreign_key["proof"][0]["verificationMethod"] = keys.issuer_did() + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    verdict = credential_verify(foreign_key)
    assert verdict.status == "not_ours" and "never published" in verdict.reasons[0]
    assert credential_verify({"hello": "world"}).status == "not_ours"
    unsigned = copy.deepcopy(credential)
    unsigned.pop("proof")
    assert credential_verify(unsigned).status == "tampered"


def test_revoking_flips_the_status_bit_and_reissue_makes_a_new_credential(course, employee, admin_user):
    certificate = make_certificate(employee, course)
    credential = issued(certificate)
    entry = credential["credentialStatus"]
    index = int(entry["statusListIndex"])
    assert not status_list.bit_is_set(_served_bits(1), index)

    replacement = certificate_reissue(certificate=certificate, by=admin_user, reason="Name changed")

    assert status_list.bit_is_set(_served_bits(1), index)
    verdict = credential_verify(credential)
    assert verdict.status == "revoked"
    new = issued(replacement)
    assert new["id"] != credential["id"] and new["credentialStatus"]["statusListIndex"] != entry["statusListIndex"]
    assert credential_verify(new).status == "valid"


def _served_bits(number: int) -> bytes:
    document = json.loads(status_list.status_list_credential(number))
    assert credential_verify(document).status == "valid"  # the list itself is signed by us
    return status_list.bitstring_decode(document["credentialSubject"]["encodedList"])


def test_status_list_is_at_least_16_kib_and_encodes_bits_in_order():
    assert len(status_list.bitstring_decode(status_list.bitstring_encode([]))) == 16 * 1024
    bits = status_list.bitstring_decode(status_list.bitstring_encode([0, 9, status_list.LIST_SIZE - 1]))
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert [i for i in range(24) if status_list.bit_is_set(bits, i)] == [0, 9]


def test_expired_and_not_yet_valid(course, employee):
    past = make_certificate(employee, course, issued=timezone.now() - timedelta(days=400), months=12)
    assert credential_verify(issued(past)).status == "expired"
    credential = issued(make_certificate(employee_named("Zoë", "Ødegård", "zoe@example.com"), course))
    assert credential_verify(credential, now=timezone.now() - timedelta(days=3)).status == "not_yet_valid"


def test_key_rotation_old_credentials_still_verify_new_ones_use_the_new_key(course, employee):
    old_certificate = make_certificate(employee, course)
    old = issued(old_certificate)
    old_key = IssuerKey.objects.get(active=True)

    new_key = keys.issuer_key_rotate()

    old_key.refresh_from_db()
    assert not old_key.active and old_key.retired_at and new_key.active
    new = issued(make_certificate(employee_named("王", "小明", "wang@example.com"), course))
    assert new["proof"][0]["verificationMethod"] == keys.verification_method_id(new_key)
    assert old["proof"][0]["verificationMethod"] == keys.verification_method_id(old_key)
    assert credential_verify(old).status == "valid" and credential_verify(new).status == "valid"
    published = keys.did_document()
    assert published["assertionMethod"] == [keys.verification_method_id(old_key), keys.verification_method_id(new_key)]


def test_private_keys_are_encrypted_at_rest_and_need_the_secret(course, employee, settings):
    key = keys.issuer_key_active()
    seed_hex = keys.private_key(key).private_bytes_raw().hex()
    assert seed_hex not in key.private_key_encrypted and key.private_key_encrypted.startswith("gAAAA")  # Fernet
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another secret", [settings.SECRET_KEY]
    assert keys.private_key(key).private_bytes_raw().hex() == seed_hex  # the old secret as a fallback
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(keys.KeyUnavailable, match="cannot be decrypted"):
        keys.private_key(key)


def test_did_web_of_the_site_url(settings):
    settings.SITE_URL = "https://academy.example.com"
    assert keys.issuer_did() == "did:web:academy.example.com"
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert keys.issuer_did() == "did:web:127.0.0.1%3A8000"
    settings.SITE_URL = "https://example.com/academy"
    assert keys.issuer_did() == "did:web:example.com:academy"
