"""The `eddsa-rdfc-2022` Data Integrity cryptosuite (W3C "Data Integrity EdDSA Cryptosuites v1.0").

Signing: canonicalise (RDFC-1.0) the proof options with the document's `@context` and the document
without its proof, SHA-256 each, sign proof hash + document hash with Ed25519; `proofValue` is the
signature in base58btc multibase. Verifying repeats the hashes and checks the signature. Pure: no
database and no network (the key is passed in; contexts come from `linked_data`).
"""

import copy
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from assessments.credentials.linked_data import canonize
from assessments.credentials.multibase import multibase_decode, multibase_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    """The proof is missing, malformed, of another suite, or does not match the document."""


@dataclass(frozen=True)
class Hashes:
    canonical_document: str
    canonical_proof: str
    document_hash: bytes
    proof_hash: bytes

    @property
    def combined(self) -> bytes:
        return self.proof_hash + self.document_hash


def hashes(document: dict, proof_options: dict, *, loader=None) -> Hashes:
    """The two canonical forms and their SHA-256 hashes (document without `proof`; proof options
    without `proofValue`, with the document's `@context`)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {key: value for key, value in proof_options.items() if key != "proofValue"}
    options["@context"] = document.get("@context")
    canonical_document = canonize(unsecured, loader=loader)
    canonical_proof = canonize(options, loader=loader)
    return Hashes(
        canonical_document,
        canonical_proof,
        hashlib.sha256(canonical_document.encode()).digest(),
        hashlib.sha256(canonical_proof.encode()).digest(),
    )


def proof_options(*, verification_method: str, created: str, proof_purpose: str = "assertionMethod") -> dict:
    return {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }


def proof_create(document: dict, *, private_key: Ed25519PrivateKey, options: dict, loader=None) -> dict:
    """The proof (a dict with `proofValue`) for `document` under `options` (see proof_options)."""
    signature = private_key.sign(hashes(document, options, loader=loader).combined)
    return {**options, "proofValue": multibase_encode(signature)}


def document_sign(document: dict, *, private_key: Ed25519PrivateKey, options: dict, loader=None) -> dict:
    """A copy of `document` with its proof, as an array of one proof (Open Badges 3.0's schema
    wants `proof` to be an array)."""
    signed = copy.deepcopy(document)
    signed.pop("proof", None)
    signed["proof"] = [proof_create(signed, private_key=private_key, options=options, loader=loader)]
    return signed


def document_proof(document: dict) -> dict:
    """The document's one eddsa-rdfc-2022 proof; ProofError when there is none or several."""
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if proofs is not None else []
    ours = [p for p in proofs if isinstance(p, dict) and p.get("type") == PROOF_TYPE and p.get("cryptosuite") == CRYPTOSUITE]
    if not proofs:
        raise ProofError("The credential has no proof (it is not signed).")
    if len(ours) != 1 or len(proofs) != 1:
        raise ProofError(f"Expected one {PROOF_TYPE} proof with cryptosuite {CRYPTOSUITE}.")
    return ours[0]


def proof_verify(document: dict, proof: dict, *, public_key: bytes, loader=None) -> None:
    """Raises ProofError unless `proof` is a valid signature of `document` by `public_key`."""
    try:
        signature = multibase_decode(proof.get("proofValue"))
    except ValueError as error:
        raise ProofError(f"The proof value is malformed: {error}") from error
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, hashes(document, proof, loader=loader).combined)
    except InvalidSignature as error:
        raise ProofError("The signature does not match the credential: it was changed after signing.") from error
