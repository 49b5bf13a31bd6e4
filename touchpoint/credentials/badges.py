"""Open Badges 3.0: each issued credential as an OpenBadgeCredential signed with Ed25519,
with the public pieces a verifier needs, and `verify_badge`.

Two Data Integrity proofs sign each badge (a proof set): `eddsa-rdfc-2022`, over the RDF
form of the document (RDFC-1.0 through pyld, jsonld.py), which is the one independent
verifiers and wallets accept; and `eddsa-jcs-2022`, over its JSON (RFC 8785 through the
`rfc8785` package), kept because badges issued before carry only that one and it also
covers any JSON a context does not define. Keys and signatures are base58btc (`base58`).

The issuer is a did:web for the portal's host (`/.well-known/did.json` publishes the key as
a Multikey), so any DID resolver finds it. Each badge names its place in a Bitstring Status
List (`status_list_credential`) that a revocation or an expiry flips.

Signing key: derived with HKDF-SHA256 from `BADGE_SIGNING_SEED`, or from `SECRET_KEY` when
that is not set. Deriving it means there is no key file to create, back up, mount or rotate by
hand, and every app server signs with the same key. The price: rotating `SECRET_KEY` changes
the key and so invalidates every badge already issued, unless `BADGE_SIGNING_SEED` is set
(set it once, before rotating, and keep it).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.utils.translation import gettext as _

from touchpoint.credentials.jsonld import (
    CREDENTIALS_V2,
    DID_V1,
    MULTIKEY_V1,
    OPEN_BADGES_V3,
    JsonLdError,
    canonical_nquads,
)
from touchpoint.credentials.links import absolute_url, verification_url
from touchpoint.credentials.models import (
    Certification,
    Credential,
    CredentialState,
    StatusList,
    state_q,
)
from touchpoint.kernel.models import PortalSettings

ED25519_MULTICODEC = b"\xed\x01"


# --- canonical JSON and base58btc -----------------------------------------------------------------
def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS): no whitespace, object keys sorted by UTF-16 code units, minimal
    string escapes, ECMAScript numbers; UTF-8. Raises ValueError for what JSON cannot say
    exactly (NaN, infinities, integers beyond 2^53)."""
    return rfc8785.dumps(value)


def base58btc_encode(data: bytes) -> str:
    return base58.b58encode(data, alphabet=base58.BITCOIN_ALPHABET).decode("ascii")


def base58btc_decode(text: str) -> bytes:
    """Raises ValueError for a character outside the base58btc alphabet."""
    if text != text.rstrip():
        # The library forgives trailing whitespace; a signature or key written with it is
        # not what was issued.
        raise ValueError("Not base58btc.")
    return base58.b58decode(text, alphabet=base58.BITCOIN_ALPHABET)


# --- the issuer's key -----------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _derive_key(seed: str) -> Ed25519PrivateKey:
    material = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        # The module's old name, kept: a new salt would be a new key, breaking every badge.
        salt=b"touchpoint.credentials.credentials",
        info=b"open-badges ed25519 signing key 1",
    ).derive(seed.encode("utf-8"))
    return Ed25519PrivateKey.from_private_bytes(material)


def _seed() -> str:
    return settings.BADGE_SIGNING_SEED or settings.SECRET_KEY


def signing_key() -> Ed25519PrivateKey:
    """The issuer's Ed25519 key, the same on every server (see the module docstring)."""
    return _derive_key(_seed())


def public_key_multibase(public_key: Ed25519PublicKey | None = None) -> str:
    """The public key as a Multikey: multicodec ed25519-pub (0xed01) + 32 bytes, base58btc."""
    public_key = public_key or signing_key().public_key()
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58btc_encode(ED25519_MULTICODEC + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("Only base58btc multibase keys are read.")
    decoded = base58btc_decode(value[1:])
    if not decoded.startswith(ED25519_MULTICODEC) or len(decoded) != 34:
        raise ValueError("Not an Ed25519 public key.")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


# --- the issuer: did:web ------------------------------------------------------------------------
CONTEXTS = [CREDENTIALS_V2, OPEN_BADGES_V3]
DID_CONTEXTS = [DID_V1, MULTIKEY_V1]
PROOF_TYPE = "DataIntegrityProof"
JCS = "eddsa-jcs-2022"
RDFC = "eddsa-rdfc-2022"


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_did() -> str:
    """did:web for SITE_URL's host: the port's colon percent-encoded and any path as
    colon-separated segments, as the did:web method says (http://h:8101 → did:web:h%3A8101)."""
    parts = urlsplit(settings.SITE_URL)
    host = (parts.hostname or "localhost") + (f"%3A{parts.port}" if parts.port else "")
    segments = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *segments])


def issuer_id() -> str:
    return issuer_did()


def verification_method_id() -> str:
    return issuer_did() + "#key-1"


def legacy_verification_method_id() -> str:
    """The key's id on badges issued before the did:web (the issuer profile's fragment);
    those badges still verify here."""
    return absolute_url("credentials:badge_issuer") + "#key-1"


def _multikey(method_id: str, controller: str) -> dict[str, Any]:
    return {
        "id": method_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_multibase(),
    }


def did_document() -> dict[str, Any]:
    """The issuer's DID document, served at /.well-known/did.json: the key that signs
    badges and status lists, with contexts that define every term in it (DID core for
    verificationMethod/assertionMethod, Multikey for publicKeyMultibase)."""
    did = issuer_did()
    key_id = verification_method_id()
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": [_multikey(key_id, did)],
        "assertionMethod": [key_id],
    }


def _issuer(portal: PortalSettings) -> dict[str, Any]:
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": portal.name,
        "url": settings.SITE_URL + "/",
    }


def issuer_profile(portal: PortalSettings) -> dict[str, Any]:
    """The public issuer profile at its old address, which badges issued before the
    did:web name as issuer and key. Its contexts now define the key's terms too."""
    profile_id = absolute_url("credentials:badge_issuer")
    key_id = legacy_verification_method_id()
    profile: dict[str, Any] = {
        "@context": [*CONTEXTS, *DID_CONTEXTS],
        **_issuer(portal),
        "id": profile_id,
    }
    if portal.tagline:
        profile["description"] = portal.tagline
    profile["verificationMethod"] = [_multikey(key_id, profile_id)]
    profile["assertionMethod"] = [key_id]
    return profile


# --- documents ------------------------------------------------------------------------------------
def _criteria(certification: Certification) -> str:
    courses = [c.title for c in certification.courses.all()]
    parts = [certification.description.strip()] if certification.description.strip() else []
    if courses:
        parts.append(_("Complete these courses: %(courses)s.") % {"courses": "; ".join(courses)})
    return "\n\n".join(parts) or _("Awarded by the issuer.")


def achievement(certification: Certification, *, standalone: bool = False) -> dict[str, Any]:
    """The Achievement a badge is for; `standalone` adds the JSON-LD context for serving it
    on its own at its id."""
    document: dict[str, Any] = {"@context": CONTEXTS} if standalone else {}
    document.update(
        {
            "id": absolute_url("credentials:badge_achievement", certification.pk),
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": certification.name,
            "description": certification.description.strip() or certification.name,
            "criteria": {"narrative": _criteria(certification)},
        }
    )
    return document


def _identity_salt(credential: Credential) -> str:
    # Stable for a credential (so a badge downloaded twice is the same document) and not
    # guessable from anything public, so the hashed email cannot be looked up in a table.
    digest = hmac.new(
        _seed().encode("utf-8"), f"salt:{credential.verification_id}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:32]


def identity_hash(value: str, salt: str) -> str:
    """An OB 3.0 IdentityHash: "sha256$" + hex SHA-256 of the value followed by the salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def status_list_url(status_list_id: int) -> str:
    return absolute_url("credentials:badge_status_list", status_list_id)


def _credential_status(credential: Credential) -> dict[str, Any]:
    assert credential.status_list_id is not None and credential.status_index is not None
    list_url = status_list_url(credential.status_list_id)
    return {
        "id": f"{list_url}#{credential.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        # A string, as the Bitstring Status List spec has it.
        "statusListIndex": str(credential.status_index),
        "statusListCredential": list_url,
    }


def build_badge(credential: Credential, portal: PortalSettings) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for an issued credential. The holder is identified
    by a salted hash of their email (a verifier who knows the address can check it) and by
    their name, which wallets show."""
    if not credential.has_certificate:
        raise ValueError("Only issued credentials that are not revoked have a badge.")
    assert credential.issued_at is not None
    salt = _identity_salt(credential)
    document: dict[str, Any] = {
        "@context": CONTEXTS,
        "id": verification_url(credential),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": credential.certification.name,
        "issuer": _issuer(portal),
        "validFrom": _timestamp(credential.issued_at),
    }
    if credential.expires_at:
        document["validUntil"] = _timestamp(credential.expires_at)
    document["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(credential.user.email.lower(), salt),
                "salt": salt,
            },
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": credential.holder_name,
            },
        ],
        "achievement": achievement(credential.certification),
    }
    if credential.status_index is not None:
        document["credentialStatus"] = _credential_status(credential)
    return document


# --- the status list ----------------------------------------------------------------------------
def encode_status_list(size: int, set_bits: Iterable[int]) -> str:
    """A Bitstring Status List's encodedList: the bits (index 0 is the first byte's most
    significant bit), GZIP-compressed, as multibase base64url without padding ("u")."""
    bits = bytearray(size // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits give the same bytes, so the list is the same document.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def status_list_credential(status_list: StatusList, now: datetime) -> dict[str, Any]:
    """The signed BitstringStatusListCredential of a list as of `now`: the bit of each
    credential in it that is revoked or has expired is set."""
    url = status_list_url(status_list.pk)
    ended = (
        Credential.objects.filter(status_list=status_list)
        .filter(state_q(CredentialState.REVOKED, now) | state_q(CredentialState.EXPIRED, now))
        .exclude(status_index=None)
        .values_list("status_index", flat=True)
    )
    document = {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": _timestamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(
                status_list.size, (i for i in ended if i is not None)
            ),
        },
    }
    return sign_document(document, created=now)


# --- proofs ---------------------------------------------------------------------------------------
def _sha256(data: str | bytes) -> bytes:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).digest()


def _hash_data(cryptosuite: str, unsecured: dict[str, Any], options: dict[str, Any]) -> bytes:
    """What the signature is over: SHA-256 of the canonical proof configuration, then of the
    canonical document, concatenated. eddsa-jcs-2022 canonicalises the JSON (RFC 8785);
    eddsa-rdfc-2022 the RDF dataset (RDFC-1.0), the proof configuration read with the
    document's @context."""
    if cryptosuite == JCS:
        return _sha256(canonical_json(options)) + _sha256(canonical_json(unsecured))
    config = {**options, "@context": unsecured.get("@context")}
    return _sha256(canonical_nquads(config)) + _sha256(canonical_nquads(unsecured))


def make_proof(
    cryptosuite: str,
    unsecured: dict[str, Any],
    *,
    created: datetime,
    key: Ed25519PrivateKey,
    verification_method: str,
) -> dict[str, Any]:
    """One Data Integrity proof of `cryptosuite` over the unsecured document."""
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": cryptosuite,
        "created": _timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if cryptosuite == JCS and "@context" in unsecured:
        # eddsa-jcs-2022 signs the context inside its proof (the RDFC proof reads the
        # document's); kept as badges issued before have it.
        proof["@context"] = unsecured["@context"]
    signature = key.sign(_hash_data(cryptosuite, unsecured, proof))
    proof["proofValue"] = "z" + base58btc_encode(signature)
    return proof


def sign_document(
    document: dict[str, Any], *, created: datetime, key: Ed25519PrivateKey | None = None
) -> dict[str, Any]:
    """The document with a proof set: an eddsa-rdfc-2022 and an eddsa-jcs-2022 Data
    Integrity proof, each over the document without proofs."""
    key = key or signing_key()
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    method = verification_method_id()
    proofs = [
        make_proof(suite, unsecured, created=created, key=key, verification_method=method)
        for suite in (RDFC, JCS)
    ]
    return {**unsecured, "proof": proofs}


def badge_for(credential: Credential, portal: PortalSettings) -> dict[str, Any]:
    """The signed badge. The proofs are dated at issue, so the same credential always gives
    the same document (Ed25519 signatures are deterministic)."""
    document = build_badge(credential, portal)  # refuses credentials without a certificate
    assert credential.issued_at is not None
    return sign_document(document, created=credential.issued_at)


def _starts_with(context: Any, prefix: Any) -> bool:
    full = context if isinstance(context, list) else [context]
    start = prefix if isinstance(prefix, list) else [prefix]
    return full[: len(start)] == start


def _proof_holds(
    proof: Any, unsecured: dict[str, Any], public_key: Ed25519PublicKey | None
) -> bool:
    if not isinstance(proof, dict) or proof.get("type") != PROOF_TYPE:
        return False
    cryptosuite = proof.get("cryptosuite")
    if cryptosuite not in (JCS, RDFC) or proof.get("proofPurpose") != "assertionMethod":
        return False
    if public_key is None:
        if proof.get("verificationMethod") not in (
            verification_method_id(),
            legacy_verification_method_id(),
        ):
            return False
        public_key = signing_key().public_key()
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        return False
    signature = base58btc_decode(proof_value[1:])
    if len(signature) != 64:
        return False
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    document = dict(unsecured)
    if cryptosuite == JCS and "@context" in options:
        if not _starts_with(document.get("@context"), options["@context"]):
            return False
        document["@context"] = options["@context"]
    elif cryptosuite == RDFC and "@context" in options:
        if options["@context"] != document.get("@context"):
            return False
        del options["@context"]
    public_key.verify(signature, _hash_data(cryptosuite, document, options))
    return True


def verify_badge(document: Any, public_key: Ed25519PublicKey | None = None) -> bool:
    """Does every proof on this document (one, or a proof set) hold? Only eddsa-rdfc-2022
    and eddsa-jcs-2022 proofs are read; any other makes the document not valid here. With
    no key given, each proof must name this portal's issuer key and is checked against it.
    Any malformed input is simply not valid."""
    try:
        if not isinstance(document, dict):
            return False
        proofs = document.get("proof")
        proofs = [proofs] if isinstance(proofs, dict) else proofs
        if not isinstance(proofs, list) or not proofs:
            return False
        unsecured = {name: value for name, value in document.items() if name != "proof"}
        return all(_proof_holds(proof, unsecured, public_key) for proof in proofs)
    except (InvalidSignature, JsonLdError, ValueError, TypeError, KeyError, RecursionError):
        return False
