"""Is this credential one of ours, untouched, current? The one check behind the /verify/ page and
`manage.py verify_credential`.

Order: not ours (not a credential, another issuer, a key we never had) -> tampered (unknown
context, undefined property, signature mismatch) -> revoked (its status bit) -> expired / not yet
valid (its dates) -> valid. Nothing is fetched: contexts are bundled, keys and status bits are
ours (the status list read here is the one the site serves).
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from assessments.credentials import eddsa, keys
from assessments.credentials.linked_data import UnknownContext, undefined_terms
from assessments.credentials.status_list import is_revoked, status_list_url

VALID, EXPIRED, REVOKED, TAMPERED, NOT_OURS, NOT_YET_VALID = "valid", "expired", "revoked", "tampered", "not_ours", "not_yet_valid"
MAX_BYTES = 256 * 1024  # a credential of ours is a few KB


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: list[str] = field(default_factory=list)
    credential: dict | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == VALID

    @property
    def subject_name(self) -> str:
        return str(((self.credential or {}).get("credentialSubject") or {}).get("name", ""))

    @property
    def achievement_name(self) -> str:
        subject = (self.credential or {}).get("credentialSubject") or {}
        return str((subject.get("achievement") or {}).get("name", "")) if isinstance(subject, dict) else ""


class CredentialFileError(ValueError):
    """The input is not a JSON credential file we can read (too big, not UTF-8, not JSON)."""


def credential_parse(data: bytes | str) -> dict:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise CredentialFileError(f"The credential is too large ({len(data):,} bytes; at most {MAX_BYTES:,}).")
    if not data.strip():
        raise CredentialFileError("The credential is empty.")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CredentialFileError("The credential is not UTF-8 text.") from None
    except RecursionError:
        raise CredentialFileError("The credential is nested too deeply to be a credential.") from None
    except json.JSONDecodeError as error:
        raise CredentialFileError(f"The credential is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).") from None
    if not isinstance(document, dict):
        raise CredentialFileError("The credential must be a JSON object.")
    return document


def _date(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def credential_verify(document: dict, *, now=None) -> Verdict:
    now = now or timezone.now()
    types = document.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        return Verdict(NOT_OURS, ["This is not a verifiable credential."], document)
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != keys.issuer_did():
        return Verdict(NOT_OURS, [f"It was issued by {str(issuer_id)[:200]!r}, not by this site ({keys.issuer_did()})."], document)
    try:
        proof = eddsa.document_proof(document)
    except eddsa.ProofError as error:
        return Verdict(TAMPERED, [str(error)], document)
    key = keys.public_key_for(proof.get("verificationMethod", ""))
    if key is None:
        return Verdict(NOT_OURS, ["It is signed with a key this site never published."], document)
    try:
        dropped = undefined_terms(document)
        if dropped:
            return Verdict(TAMPERED, [f"It has properties no context defines: {', '.join(dropped)[:300]}."], document)
        eddsa.proof_verify(document, proof, public_key=keys.raw_public_key(key))
    except UnknownContext as error:
        return Verdict(TAMPERED, [str(error)], document)
    except eddsa.ProofError as error:
        return Verdict(TAMPERED, [str(error)], document)
    except Exception as error:  # pyld rejects a malformed JSON-LD document
        return Verdict(TAMPERED, [f"It is not a well-formed JSON-LD credential ({type(error).__name__})."], document)
    is_status_list = "BitstringStatusListCredential" in types and "credentialStatus" not in document
    revoked = False if is_status_list else _revoked(document.get("credentialStatus"))
    if revoked is None:
        return Verdict(TAMPERED, ["Its status entry does not point into this site's status list."], document)
    if revoked:
        return Verdict(REVOKED, ["The issuer has revoked it."], document)
    valid_from, valid_until = _date(document.get("validFrom")), _date(document.get("validUntil"))
    if valid_from is None:
        return Verdict(TAMPERED, ["It has no valid validFrom date."], document)
    if valid_from > now:
        return Verdict(NOT_YET_VALID, [f"It is valid only from {document['validFrom']}."], document)
    if valid_until is not None and valid_until <= now:
        return Verdict(EXPIRED, [f"It expired on {document['validUntil']}."], document)
    return Verdict(VALID, ["The signature, the issuer's key, the status list and the dates all check out."], document)


def _revoked(status) -> bool | None:
    """Whether the status bit is set; None when the entry is not one of our lists."""
    if not isinstance(status, dict) or status.get("type") != "BitstringStatusListEntry" or status.get("statusPurpose") != "revocation":
        return None
    try:
        index = int(status.get("statusListIndex"))
        number = int(str(status.get("statusListCredential", "")).rstrip("/").rsplit("/", 1)[-1])
    except (TypeError, ValueError):
        return None
    if status.get("statusListCredential") != status_list_url(number):
        return None
    return is_revoked(number, index)
