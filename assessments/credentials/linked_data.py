"""JSON-LD for credentials: the bundled contexts and RDFC-1.0 canonicalisation, offline.

Every context a credential of ours uses is a file in `contexts/` (see its README). The document
loader answers those URLs from disk and refuses every other URL with `UnknownContext`: nothing a
credential says can make the server fetch anything. To support another context, add its file and a
line to CONTEXT_FILES (check its licence allows redistribution).
"""

import json
from functools import cache
from pathlib import Path

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT_FILES = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-context-3.0.3.json",
}


class UnknownContext(ValueError):
    """A document names a JSON-LD context we do not bundle (we never fetch one)."""


@cache
def _context(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def document_loader(extra: dict[str, Path] | None = None):
    """A pyld document loader over the bundled contexts (plus `extra` URL -> file, for tests)."""
    files = {url: CONTEXTS_DIR / name for url, name in CONTEXT_FILES.items()} | (extra or {})

    def load(url, options=None):
        path = files.get(url)
        if path is None:
            raise UnknownContext(f"Unknown JSON-LD context {url[:200]!r}: only bundled contexts are loaded, never fetched.")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": _context(path)}

    return load


_bundled_loader = document_loader()


def canonize(document: dict, *, loader=None) -> str:
    """The document's RDF dataset canonicalised with RDFC-1.0 (pyld's URDNA2015, which the W3C
    test vectors show to be the same), as N-Quads."""
    try:
        return jsonld.normalize(
            document,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader or _bundled_loader},
        )
    except jsonld.JsonLdError as error:
        cause = error
        while cause is not None:  # pyld wraps the loader's error
            if isinstance(cause, UnknownContext):
                raise cause from error
            cause = getattr(cause, "cause", None) or cause.__cause__
        raise


def _key_paths(value, prefix=()) -> set[tuple]:
    paths = set()
    if isinstance(value, list):
        for item in value:
            paths |= _key_paths(item, prefix)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "@context":
                paths.add(prefix + (key,))
                paths |= _key_paths(item, prefix + (key,))
    return paths


def undefined_terms(document: dict, *, loader=None) -> list[str]:
    """Properties JSON-LD would silently drop (no definition in any context), as dotted paths.

    A signature covers only what survives canonicalisation, so a property the contexts do not
    define could be added to a signed credential without breaking its proof: verifiers must refuse
    such documents (Digital Bazaar's "safe mode" does the same). Found by expanding and compacting
    again with the document's own context: a key that does not come back was dropped."""
    options = {"documentLoader": loader or _bundled_loader}
    context = document.get("@context")
    round_trip = jsonld.compact(jsonld.expand(document, options), {"@context": context}, options) if context else {}
    return sorted(".".join(path) for path in _key_paths(document) - _key_paths(round_trip))
