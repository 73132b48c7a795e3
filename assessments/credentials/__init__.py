"""Certificates as Open Badges 3.0 verifiable credentials (README "Verifiable credentials").

- `linked_data`: the bundled JSON-LD contexts, a document loader that never touches the network,
  RDFC-1.0 canonicalisation;
- `multibase`: base58btc and the Multikey encodings of Ed25519 keys;
- `eddsa`: the `eddsa-rdfc-2022` Data Integrity cryptosuite (create and verify a proof);
- `models`/`keys`: the issuer's key pairs, encrypted at rest, and the DID document publishing them;
- `issuing`: a Certificate as an `AchievementCredential`, signed once and stored;
- `status_list`: Bitstring Status List (revocation);
- `verification`: the whole check (proof, issuer key, status, dates), for the page and the command.
"""
