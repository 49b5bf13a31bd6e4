"""Open Badges 3.0: each issued credential as an OpenBadgeCredential signed with Ed25519
(Data Integrity proof, `eddsa-jcs-2022`), with the public pieces a verifier needs (the issuer
profile with its key, the achievement) and `verify_badge`.

The document is canonicalised with RFC 8785 (the `rfc8785` package) and keys and signatures
are written in base58btc (the `base58` package), as the cryptosuite and Multikey ask.

Signing key: derived with HKDF-SHA256 from `BADGE_SIGNING_SEED`, or from `SECRET_KEY` when
that is not set. Deriving it means there is no key file to create, back up, mount or rotate by
hand, and every app server signs with the same key. The price: rotating `SECRET_KEY` changes
the key and so invalidates every badge already issued, unless `BADGE_SIGNING_SEED` is set
(set it once, before rotating, and keep it).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.utils.translation import gettext as _

from touchpoint.credentials.links import absolute_url, verification_url
from touchpoint.credentials.models import Certification, Credential
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


# --- documents ------------------------------------------------------------------------------------
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_id() -> str:
    return absolute_url("credentials:badge_issuer")


def verification_method_id() -> str:
    return issuer_id() + "#key-1"


def _issuer(portal: PortalSettings) -> dict[str, Any]:
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": portal.name,
        "url": settings.SITE_URL + "/",
    }


def issuer_profile(portal: PortalSettings) -> dict[str, Any]:
    """The public issuer profile: who issues the badges, and the key that signs them (the
    document a verifier fetches for the proof's verificationMethod)."""
    key_id = verification_method_id()
    profile = {"@context": CONTEXTS, **_issuer(portal)}
    if portal.tagline:
        profile["description"] = portal.tagline
    profile["verificationMethod"] = [
        {
            "id": key_id,
            "type": "Multikey",
            "controller": issuer_id(),
            "publicKeyMultibase": public_key_multibase(),
        }
    ]
    profile["assertionMethod"] = [key_id]
    return profile


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
    return document


def _hash_data(unsecured: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    # eddsa-jcs-2022: SHA-256 of the canonical proof configuration, then of the canonical
    # document, concatenated in that order; the signature is over these 64 bytes.
    return (
        hashlib.sha256(canonical_json(proof_config)).digest()
        + hashlib.sha256(canonical_json(unsecured)).digest()
    )


def sign_document(
    document: dict[str, Any], *, created: datetime, key: Ed25519PrivateKey | None = None
) -> dict[str, Any]:
    """The document with an embedded Data Integrity proof (eddsa-jcs-2022)."""
    key = key or signing_key()
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created),
        "verificationMethod": verification_method_id(),
        "proofPurpose": "assertionMethod",
    }
    if "@context" in unsecured:
        proof["@context"] = unsecured["@context"]
    signature = key.sign(_hash_data(unsecured, proof))
    proof["proofValue"] = "z" + base58btc_encode(signature)
    return {**unsecured, "proof": proof}


def badge_for(credential: Credential, portal: PortalSettings) -> dict[str, Any]:
    """The signed badge. The proof is dated at issue, so the same credential always gives
    the same document (Ed25519 signatures are deterministic)."""
    document = build_badge(credential, portal)  # refuses credentials without a certificate
    assert credential.issued_at is not None
    return sign_document(document, created=credential.issued_at)


def _starts_with(context: Any, prefix: Any) -> bool:
    full = context if isinstance(context, list) else [context]
    start = prefix if isinstance(prefix, list) else [prefix]
    return full[: len(start)] == start


def verify_badge(document: Any, public_key: Ed25519PublicKey | None = None) -> bool:
    """Does this document carry a valid eddsa-jcs-2022 proof? With no key given, the proof
    must name this portal's issuer key and is checked against it. Any malformed input is
    simply not valid."""
    try:
        if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
            return False
        proof = document["proof"]
        if (proof.get("type"), proof.get("cryptosuite")) != (PROOF_TYPE, CRYPTOSUITE):
            return False
        if proof.get("proofPurpose") != "assertionMethod":
            return False
        if public_key is None:
            if proof.get("verificationMethod") != verification_method_id():
                return False
            public_key = signing_key().public_key()
        proof_value = proof.get("proofValue")
        if not isinstance(proof_value, str) or not proof_value.startswith("z"):
            return False
        signature = base58btc_decode(proof_value[1:])
        if len(signature) != 64:
            return False
        options = {name: value for name, value in proof.items() if name != "proofValue"}
        unsecured = {name: value for name, value in document.items() if name != "proof"}
        if "@context" in options:
            if not _starts_with(unsecured.get("@context"), options["@context"]):
                return False
            unsecured["@context"] = options["@context"]
        public_key.verify(signature, _hash_data(unsecured, options))
    except (InvalidSignature, ValueError, TypeError, KeyError, RecursionError):
        return False
    return True
