"""Issuing: a Certificate as an Open Badges 3.0 AchievementCredential, signed once and stored.

`certificate_credential(certificate)` returns the stored credential, making it on first use (when
the PDF is rendered, or on the first download of a certificate issued before credentials
existed). What goes in is `achievement_credential`: one place to extend. A revocation needs nothing here: the status list reads it from the certificate;
a reissue is a new certificate and so a new credential.
"""

import hashlib
import json
import secrets
from datetime import UTC
from html import unescape

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines

from assessments.credentials import eddsa, keys
from assessments.credentials.linked_data import OB_V3, VC_V2
from assessments.credentials.models import IssuedCredential
from assessments.credentials.status_list import status_entry, status_index_allocate

MEDIA_TYPE = "application/vc"  # VC Data Model 2.0's media type for a secured credential
COMPLETION_CRITERIA = "Complete every lesson and pass every quiz of the course."


def iso(moment) -> str:
    """XML Schema dateTime in UTC to the second, as VC 2.0 examples write it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile() -> dict:
    return {
        "id": keys.issuer_did(),
        "type": ["Profile"],
        "name": settings.CREDENTIAL_ISSUER_NAME,
        "url": settings.CREDENTIAL_ISSUER_URL,
    }


def email_identity(email: str, salt: str) -> dict:
    """Open Badges' hashed identity: sha256 of the lower-cased address followed by the salt. The
    holder proves the address by revealing it; the credential never carries it in clear."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "identityHash": f"sha256${digest}", "identityType": "emailAddress", "hashed": True, "salt": salt}


def _plain(html: str) -> str:
    return " ".join(unescape(strip_tags(normalize_newlines(html or ""))).split())


BADGE_IMAGE = "max-800x800"


def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL + url


def course_url(course) -> str:
    return absolute(course.get_url() or f"/{course.pk}/")


def credential_url(certificate) -> str:
    """The credential's id: the certificate's public verification page."""
    return settings.SITE_URL + reverse("certificate_verify", args=[certificate.code])


def achievement_credential(certificate, *, salt: str, status: dict) -> dict:
    """The unsigned AchievementCredential of a certificate (see the README for each field)."""
    course = certificate.course
    intro = _plain(course.intro)
    achievement_id = course_url(course)
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": course.title,
        "description": intro or f"Completion of the course {course.title}.",
        "criteria": {"id": achievement_id, "narrative": COMPLETION_CRITERIA + (f" {intro}" if intro else "")},
    }
    if course.image:  # a resized copy among the site's public media files
        achievement["image"] = {"id": absolute(course.image.get_rendition(BADGE_IMAGE).url), "type": "Image", "caption": course.title}
    subject = {
        "type": ["AchievementSubject"],
        "name": certificate.employee.full_name,
        "identifier": [email_identity(certificate.employee.user.email or certificate.employee.user.get_username(), salt)],
        "achievement": achievement,
    }
    if certificate.score is not None:
        score_id = f"{achievement_id}#score"
        achievement["resultDescription"] = [
            {"id": score_id, "type": ["ResultDescription"], "name": "Course score", "resultType": "Percent", "valueMin": "0", "valueMax": "100"}
        ]
        subject["result"] = [{"type": ["Result"], "resultDescription": score_id, "value": f"{certificate.score:.2f}"}]
    document = {
        "@context": [VC_V2, OB_V3],
        "id": credential_url(certificate),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": f"{course.title}: {certificate.employee.full_name}",
        "issuer": None,
        "validFrom": iso(certificate.issued_at),
        "awardedDate": iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": status,
    }
    if certificate.expires_at:
        document["validUntil"] = iso(certificate.expires_at)
    return document


def credential_sign(document: dict, *, now=None, with_profile: bool = True, key=None) -> str:
    """Sign `document` as our issuer with the active key (or `key`); returns the JSON text."""
    key = key or keys.issuer_key_active()
    document = {**document, "issuer": issuer_profile() if with_profile else keys.issuer_did()}
    options = eddsa.proof_options(verification_method=keys.verification_method_id(key), created=iso(now or timezone.now()))
    signed = eddsa.document_sign(document, private_key=keys.private_key(key), options=options)
    return json.dumps(signed, ensure_ascii=False, indent=2)


def certificate_credential(certificate, *, now=None) -> IssuedCredential:
    """The certificate's stored credential, signed with the active key on first use."""
    existing = IssuedCredential.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    key = keys.issuer_key_active()
    for _ in range(5):
        number, index = status_index_allocate()
        document = achievement_credential(certificate, salt=secrets.token_hex(16), status=status_entry(number, index))
        text = credential_sign(document, now=now, key=key)
        try:
            with transaction.atomic():
                return IssuedCredential.objects.create(
                    certificate=certificate, key=key, status_list=number, status_index=index, document=text, created_at=now
                )
        except IntegrityError:  # that bit was taken a moment ago, or the certificate got its credential
            existing = IssuedCredential.objects.filter(certificate=certificate).first()
            if existing is not None:
                return existing
    raise RuntimeError("Could not allocate a status list index for the credential.")


def credential_filename(certificate) -> str:
    from django.utils.text import slugify

    return f"credential-{slugify(certificate.course.title)}-{certificate.issued_at:%Y-%m-%d}.json"
