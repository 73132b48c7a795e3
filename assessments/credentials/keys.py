"""The issuer's keys: created, rotated, decrypted for signing, published as a DID document.

Decision: key pairs live in the database (table IssuerKey), the private half encrypted with
Fernet under a key derived (HKDF-SHA256) from `CREDENTIALS_KEY_SECRET` (default: SECRET_KEY, and
SECRET_KEY_FALLBACKS are tried when decrypting). So every app server and worker shares them with
no file to distribute, rotation is one command, and a database dump alone does not give away the
signing key. The verification method is published as `did:web` of SITE_URL
(`/.well-known/did.json`): the DID method Open Badges 3.0 wallets and verifiers resolve (over
HTTPS, no ledger), and one document lists every key, the retired ones too.
"""

import base64
from urllib.parse import quote, urlsplit

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.credentials.models import IssuerKey
from assessments.credentials.multibase import public_key_from_multibase, public_key_multibase

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


class KeyUnavailable(RuntimeError):
    """The private key cannot be decrypted (the secret it was encrypted under is gone)."""


def issuer_did() -> str:
    """did:web of SITE_URL: host (":" of a port percent-encoded), then the path's segments."""
    parts = urlsplit(settings.SITE_URL)
    segments = [quote(parts.netloc, safe="")] + [quote(s, safe="") for s in parts.path.split("/") if s]
    return "did:web:" + ":".join(segments)


def verification_method_id(key: IssuerKey) -> str:
    return f"{issuer_did()}#{key.public_key_multibase}"


def _fernet() -> MultiFernet:
    secrets = [getattr(settings, "CREDENTIALS_KEY_SECRET", "") or settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(_derive(secret)) for secret in secrets])


def _derive(secret: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"loyalty-academy issuer key").derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


def _new_key(now) -> IssuerKey:
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return IssuerKey(
        public_key_multibase=public_key_multibase(private.public_key().public_bytes_raw()),
        private_key_encrypted=_fernet().encrypt(seed).decode(),
        created_at=now,
    )


def issuer_key_create(*, now=None) -> IssuerKey:
    """The first key. ValueError when there is an active key already (rotate instead)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            key = _new_key(now)
            key.save()
            return key
    except IntegrityError:
        raise ValueError("An active issuer key exists already; use --rotate to replace it.") from None


def issuer_key_rotate(*, now=None) -> IssuerKey:
    """Retire the active key (kept and still published) and make a new active one."""
    now = now or timezone.now()
    with transaction.atomic():
        IssuerKey.objects.select_for_update().filter(active=True).update(active=False, retired_at=now)
        key = _new_key(now)
        key.save()
    return key


def issuer_key_active() -> IssuerKey:
    """The signing key; made on first use when none exists yet (so a new site issues credentials
    out of the box; `manage.py credentials_keys` shows and rotates it)."""
    key = IssuerKey.objects.filter(active=True).first()
    if key is None:
        try:
            key = issuer_key_create()
        except ValueError:  # created concurrently a moment ago
            key = IssuerKey.objects.get(active=True)
    return key


def private_key(key: IssuerKey) -> Ed25519PrivateKey:
    try:
        seed = _fernet().decrypt(key.private_key_encrypted.encode())
    except InvalidToken:
        raise KeyUnavailable(
            "The issuer key cannot be decrypted with CREDENTIALS_KEY_SECRET / SECRET_KEY (or its fallbacks): "
            "restore the old secret (SECRET_KEY_FALLBACKS) or rotate the key."
        ) from None
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_for(verification_method: str) -> IssuerKey | None:
    """Our key behind a verification method id (retired keys included), or None."""
    did, _, fragment = str(verification_method).partition("#")
    if did != issuer_did() or not fragment:
        return None
    return IssuerKey.objects.filter(public_key_multibase=fragment).first()


def raw_public_key(key: IssuerKey) -> bytes:
    return public_key_from_multibase(key.public_key_multibase)


def verification_method(key: IssuerKey) -> dict:
    return {
        "id": verification_method_id(key),
        "type": "Multikey",
        "controller": issuer_did(),
        "publicKeyMultibase": key.public_key_multibase,
    }


def did_document() -> dict:
    """The DID document served at /.well-known/did.json: every key, active and retired."""
    keys = list(IssuerKey.objects.all())
    methods = [verification_method(key) for key in keys]
    return {
        "@context": DID_CONTEXTS,
        "id": issuer_did(),
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
