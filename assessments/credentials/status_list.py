"""W3C Bitstring Status List: one bit per credential, set when its certificate is revoked.

Bits are derived from the certificates (never stored twice): the list is built from the revoked
certificates' (list, index) pairs when asked for, signed, and cached under a digest of those
indexes and the signing key, so a revocation shows at the next request with no invalidation to
forget. A list holds
LIST_SIZE bits (131,072 = 16 KiB, the specification's minimum, which hides who is revoked in a
crowd); indexes are drawn at random (the specification's privacy advice) and a new list is started
when the current one is half full.
"""

import base64
import gzip
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments.credentials.linked_data import VC_V2
from assessments.credentials.models import IssuedCredential

LIST_SIZE = 131_072
TTL = timedelta(minutes=5)  # how long a verifier (and our cache) may keep a list


def status_list_url(number: int) -> str:
    return settings.SITE_URL + reverse("credential_status_list", args=[number])


def status_index_allocate() -> tuple[int, int]:
    """A free (list, index) at random in the newest list that is less than half full. The unique
    constraint settles a collision with a concurrent allocation (the caller retries)."""
    newest = IssuedCredential.objects.order_by("-status_list").values_list("status_list", flat=True).first() or 1
    taken = set(IssuedCredential.objects.filter(status_list=newest).values_list("status_index", flat=True))
    if len(taken) >= LIST_SIZE // 2:
        newest, taken = newest + 1, set()
    while (index := secrets.randbelow(LIST_SIZE)) in taken:
        pass
    return newest, index


def status_entry(number: int, index: int) -> dict:
    url = status_list_url(number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def _revoked(number: int):
    return IssuedCredential.objects.filter(status_list=number, certificate__revoked_at__isnull=False)


def revoked_indexes(number: int) -> list[int]:
    return sorted(_revoked(number).values_list("status_index", flat=True))


def is_revoked(number: int, index: int) -> bool:
    """Whether bit `index` of list `number` is set: what the served list says, in one query."""
    return _revoked(number).filter(status_index=index).exists()


def bitstring_encode(indexes, size: int = LIST_SIZE) -> str:
    """Multibase base64url (no padding, prefix "u") of the GZIP-compressed bitstring; index 0 is
    the first byte's most significant bit."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def bitstring_decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be base64url multibase (prefix 'u').")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(number: int, *, now=None) -> str:
    """The signed BitstringStatusListCredential for list `number`, as JSON text (cached)."""
    from assessments.credentials.issuing import credential_sign, iso
    from assessments.credentials.keys import issuer_key_active

    indexes = revoked_indexes(number)
    key = issuer_key_active()
    digest = hashlib.sha256(f"{key.public_key_multibase}:{','.join(map(str, indexes))}".encode()).hexdigest()[:32]
    cache_key = f"credentials:status-list:{number}:{digest}"
    if (cached := cache.get(cache_key)) is not None:
        return cached
    now = now or timezone.now()
    url = status_list_url(number)
    document = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": None,  # filled by credential_sign
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "ttl": int(TTL.total_seconds() * 1000),
            "encodedList": bitstring_encode(indexes),
        },
    }
    text = credential_sign(document, now=now, with_profile=False, key=key)
    cache.set(cache_key, text, timeout=int(TTL.total_seconds()))
    return text
