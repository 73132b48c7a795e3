"""The W3C eddsa-rdfc-2022 test vectors and the Open Badges 3.0 canonicalisation vector, reproduced
byte for byte with the bundled contexts and no network."""

import copy
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from assessments.credentials import eddsa, linked_data
from assessments.credentials.linked_data import UnknownContext, canonize, document_loader
from assessments.credentials.multibase import (
    b58decode,
    b58encode,
    public_key_from_multibase,
    public_key_multibase,
    secret_key_from_multibase,
)

from .conftest import FIXTURES

VECTORS = FIXTURES / "vc-di-eddsa" / "TestVectors"
CONTEXTS = FIXTURES / "vc-di-eddsa" / "contexts"
LOADER = document_loader(
    {
        "https://www.w3.org/ns/credentials/examples/v2": CONTEXTS / "credentials-examples-v2.jsonld",
        "https://w3id.org/citizenship/v4rc1": CONTEXTS / "citizenship-v4rc1.jsonld",
    }
)
KEY_PAIR = json.loads((VECTORS / "keyPair.json").read_text())
CASES = [
    pytest.param(VECTORS / "unsigned.json", VECTORS / "eddsa-rdfc-2022", id="alumni"),
    pytest.param(VECTORS / "employmentAuth.json", VECTORS / "eddsa-rdfc-2022" / "employ", id="employment"),
]


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def private_key():
    return Ed25519PrivateKey.from_private_bytes(secret_key_from_multibase(KEY_PAIR["privateKeyMultibase"]))


@pytest.mark.parametrize("unsigned, folder", CASES)
def test_vector_reproduced_byte_for_byte(unsigned, folder):
    document = json.loads(text(unsigned))
    config = json.loads(text(folder / "proofConfigDataInt.json"))
    options = {key: value for key, value in config.items() if key != "@context"}

    hashes = eddsa.hashes(document, options, loader=LOADER)

    assert hashes.canonical_document == text(folder / "canonDocDataInt.txt")
    assert hashes.canonical_proof == text(folder / "proofCanonDataInt.txt")
    assert hashes.document_hash.hex() == text(folder / "docHashDataInt.txt").strip()
    assert hashes.proof_hash.hex() == text(folder / "proofHashDataInt.txt").strip()
    assert hashes.combined.hex() == text(folder / "combinedHashDataInt.txt").strip()
    proof = eddsa.proof_create(document, private_key=private_key(), options=options, loader=LOADER)
    assert eddsa.multibase_decode(proof["proofValue"]).hex() == text(folder / "sigHexDataInt.txt").strip()
    assert proof["proofValue"] == text(folder / "sigBTC58DataInt.txt").strip()  # the file has the "z"
    signed = json.loads(text(folder / "signedDataInt.json"))
    assert signed["proof"] == proof


@pytest.mark.parametrize("unsigned, folder", CASES)
def test_published_signed_vector_verifies_and_tampering_fails(unsigned, folder):
    signed = json.loads(text(folder / "signedDataInt.json"))
    public = public_key_from_multibase(KEY_PAIR["publicKeyMultibase"])
    eddsa.proof_verify(signed, eddsa.document_proof(signed), public_key=public, loader=LOADER)

    tampered = copy.deepcopy(signed)
    tampered["validFrom"] = tampered["validFrom"].replace("20", "19", 1)
    with pytest.raises(eddsa.ProofError, match="changed after signing"):
        eddsa.proof_verify(tampered, eddsa.document_proof(tampered), public_key=public, loader=LOADER)
    other_key = public_key_multibase(Ed25519PrivateKey.generate().public_key().public_bytes_raw())
    with pytest.raises(eddsa.ProofError):
        eddsa.proof_verify(signed, eddsa.document_proof(signed), public_key=public_key_from_multibase(other_key), loader=LOADER)


def test_property_the_contexts_do_not_define_is_reported():
    """The employment vector's citizenship context is protected without @vocab: an added property
    would be dropped by canonicalisation and the signature would still verify."""
    signed = json.loads(text(VECTORS / "eddsa-rdfc-2022" / "employ" / "signedDataInt.json"))
    assert linked_data.undefined_terms(signed, loader=LOADER) == []
    signed["credentialSubject"]["employmentCategory"] = "forged"
    assert linked_data.undefined_terms(signed, loader=LOADER) == ["credentialSubject.employmentCategory"]


def test_key_pair_multikeys_agree():
    derived = private_key().public_key().public_bytes_raw()
    assert public_key_multibase(derived) == KEY_PAIR["publicKeyMultibase"]


def test_base58_round_trip_keeps_leading_zeros():
    for data in [b"", b"\0", b"\0\0\x01\xff", bytes(range(40))]:
        assert b58decode(b58encode(data)) == data
    assert b58encode(b"hello world") == "StV1DL6CwTryKyV"
    with pytest.raises(ValueError, match="base58btc"):
        b58decode("0OIl")


def test_open_badges_canonical_vector():
    """1EdTech's OB 3.0 test vector: its credential and proof options (from the specification),
    canonicalised with only our two bundled contexts, equal the published canonical files."""
    folder = FIXTURES / "openbadges" / "test-vector"
    expected_document = text(folder / "document-canon.txt")
    expected_proof = text(folder / "proof-canon.txt")
    document, options = _ob_vector_inputs()
    hashes = eddsa.hashes(document, options)  # the bundled loader only
    assert hashes.canonical_document == expected_document
    assert hashes.canonical_proof == expected_proof


def _ob_vector_inputs():
    """The credential and proof options of 1EdTech's "Linked Data Proof Test Vector for Open Badges
    3.0" (ob_v3p0 specification, appendix), as JSON."""
    document = json.loads((Path(__file__).parent / "ob_test_vector_credential.json").read_text(encoding="utf-8"))
    options = document.pop("proof")
    options.pop("proofValue", None)
    return document, options


def test_unknown_context_is_refused_without_network():
    document = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.com/evil.jsonld"], "type": ["VerifiableCredential"]}
    with pytest.raises(UnknownContext, match="example.com/evil.jsonld"):
        canonize(document)
