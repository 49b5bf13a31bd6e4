"""JSON-LD for Open Badges: the contexts badges use, served from local copies
(contexts/README.md says where each came from), and RDF Dataset Canonicalization of a
document (RDFC-1.0, the algorithm pyld calls URDNA2015) for `eddsa-rdfc-2022` proofs."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

_FOLDER = Path(__file__).resolve().parent / "contexts"
_FILES = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.json",
    DID_V1: "did-v1.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


# What pyld raises for a document it cannot read (our loader's refusals arrive wrapped in it).
JsonLdError = jsonld.JsonLdError


class UnknownContext(ValueError):
    """A document names a context we have no copy of; nothing is fetched."""


@cache
def _context(url: str) -> dict[str, Any]:
    return json.loads((_FOLDER / _FILES[url]).read_text(encoding="utf-8"))


def load_document(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: only the local contexts, never the network (a document that
    needs another context cannot be signed or checked here)."""
    if url not in _FILES:
        raise UnknownContext(f"No local copy of the JSON-LD context {url}.")
    return {"contextUrl": None, "documentUrl": url, "document": _context(url)}


def canonical_nquads(document: dict[str, Any]) -> str:
    """The document's RDF dataset in canonical N-Quads (RDFC-1.0)."""
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": load_document,
            # Ids like did:web:… and the badge's URLs are absolute; nothing is resolved
            # against a base.
            "base": None,
        },
    )
