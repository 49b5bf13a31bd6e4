"""Certifications as people hold them: what the certification pages show, saving and granting
certifications, certificate PDFs, and Open Badges 3.0 credentials signed with Ed25519
(`eddsa-jcs-2022`), with the public pieces a verifier needs (issuer profile, achievement) and
`verify_badge`.

Signing key: derived with HKDF-SHA256 from `BADGE_SIGNING_SEED`, or from `SECRET_KEY` when
that is not set. Deriving it means there is no key file to create, back up, mount or rotate by
hand, and every app server signs with the same key. The price: rotating `SECRET_KEY` changes
the key and so invalidates every badge already issued, unless `BADGE_SIGNING_SEED` is set
(set it once, before rotating, and keep it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import qrcode
import qrcode.constants
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from PIL import Image, UnidentifiedImageError

from touchpoint.courses.access import people_assignable_by
from touchpoint.courses.models import Course, Enrolment, EnrolmentStatus, Status
from touchpoint.credentials import actions as credential_actions
from touchpoint.credentials.access import credentials_visible_to
from touchpoint.credentials.models import (
    Certification,
    Credential,
    CredentialState,
    CredentialStatus,
)
from touchpoint.kernel import audit
from touchpoint.kernel.models import PortalSettings
from touchpoint.kernel.uploads import IMAGE_FORMATS
from touchpoint.orgs.audience import audiences_for, for_user_q
from touchpoint.orgs.models import User

logger = logging.getLogger(__name__)

S = CredentialState


# --- states in SQL ---------------------------------------------------------------------------
def state_q(state: str, now: datetime, prefix: str = "") -> Q:
    """The credentials in `state` at `now`, as a filter: the same rules as
    `Credential.state()`, so counts come from one query instead of a loop. `prefix` reaches
    credentials through a relation (e.g. "credentials__")."""

    def q(**lookups: Any) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    issued = q(status=CredentialStatus.ACTIVE)
    in_force = q(expires_at__isnull=True) | q(expires_at__gt=now)
    if state == S.IN_PROGRESS:
        return q(status=CredentialStatus.IN_PROGRESS)
    if state == S.REVOKED:
        return q(status=CredentialStatus.REVOKED)
    if state == S.EXPIRED:
        return issued & q(expires_at__lte=now)
    if state == S.EXPIRING:
        return issued & in_force & q(expiring_from__lte=now)
    return issued & in_force & (q(expiring_from__isnull=True) | q(expiring_from__gt=now))


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


def holder_counts(
    credentials: QuerySet[Credential], now: datetime | None = None
) -> list[StateCount]:
    """How many of these credentials are in each state (one query)."""
    now = now or timezone.now()
    totals = credentials.aggregate(
        **{state.value: Count("pk", filter=state_q(state, now)) for state in S}
    )
    return [StateCount(state.value, str(state.label), totals[state.value]) for state in S]


def certifications_with_counts(now: datetime | None = None) -> QuerySet[Certification]:
    """Every certification with its current holders (active or expiring soon), the people on
    the way, and the expired ones, for the management list."""
    now = now or timezone.now()
    current = Q(credentials__is_current=True)
    prefix = "credentials__"
    return Certification.objects.select_related("audience").annotate(
        holders=Count(
            "credentials",
            filter=current & (state_q(S.ACTIVE, now, prefix) | state_q(S.EXPIRING, now, prefix)),
        ),
        on_the_way=Count("credentials", filter=current & state_q(S.IN_PROGRESS, now, prefix)),
        expired=Count("credentials", filter=current & state_q(S.EXPIRED, now, prefix)),
    )


# --- what the pages show -------------------------------------------------------------------------
@dataclass
class CourseStep:
    course: Course
    done: bool


@dataclass
class CredentialRow:
    """One of a person's credentials on "My certifications", with what is left to do."""

    credential: Credential
    state: str
    label: str
    steps: list[CourseStep] = field(default_factory=list)
    renewing: bool = False


@dataclass
class CertificationToEarn:
    certification: Certification
    steps: list[CourseStep]


@dataclass
class MyCertifications:
    rows: list[CredentialRow]
    to_earn: list[CertificationToEarn]


def _completions(user: User) -> dict[int, datetime]:
    """When the person last completed each course (one query)."""
    latest: dict[int, datetime] = {}
    rows = Enrolment.objects.filter(
        user=user, status=EnrolmentStatus.COMPLETED, completed_at__isnull=False
    ).values_list("course_id", "completed_at")
    for course_id, completed_at in rows:
        if completed_at is None:
            continue
        if course_id not in latest or completed_at > latest[course_id]:
            latest[course_id] = completed_at
    return latest


def _steps(
    courses: Iterable[Course], completions: dict[int, datetime], since: datetime | None = None
) -> list[CourseStep]:
    return [
        CourseStep(c, c.pk in completions and (since is None or completions[c.pk] >= since))
        for c in courses
    ]


def _required(certification: Certification, renewing: bool) -> list[Course]:
    """The courses that count, from prefetched lists (the same rule as
    `credential_actions.requirements`: recertification courses, or the original ones when none)."""
    recert = list(certification.recert_courses.all()) if renewing else []
    return recert or list(certification.courses.all())


def my_certifications(user: User) -> MyCertifications:
    """A person's current credentials with what is left to do, and the published
    certifications meant for them that they have not started."""
    now = timezone.now()
    completions = _completions(user)
    current = list(
        Credential.objects.filter(user=user, is_current=True)
        .select_related("certification")
        .prefetch_related("certification__courses", "certification__recert_courses")
        .order_by("certification__name")
    )
    rows = []
    for credential in current:
        state = credential.state(now)
        renewing = state in (S.ACTIVE, S.EXPIRING) and credential.renewal_opened_at is not None
        row = CredentialRow(credential, state, str(S(state).label), renewing=renewing)
        if state == S.IN_PROGRESS:
            row.steps = _steps(_required(credential.certification, False), completions)
        elif renewing:
            row.steps = _steps(
                _required(credential.certification, True),
                completions,
                since=credential.renewal_opened_at,
            )
        rows.append(row)
    # Staff are reached by audiences only through groups; "no audience" means every
    # partner person, not them.
    meant_for = Q(audience__in=audiences_for(user)) if user.is_vendor else for_user_q(user)
    candidates = (
        Certification.objects.filter(meant_for, status=Status.PUBLISHED)
        .exclude(pk__in=[c.certification_id for c in current])
        .prefetch_related("courses")
        .order_by("name")
    )
    to_earn = [CertificationToEarn(c, _steps(c.courses.all(), completions)) for c in candidates]
    return MyCertifications(rows, to_earn)


def get_credential_for_user(user: User, pk: Any) -> Credential:
    """A credential the person may see (their own, or someone's whose progress they may
    see); anything else is the same 404 as a missing one."""
    return get_object_or_404(
        credentials_visible_to(user).select_related(
            "user__partner", "certification", "granted_by", "revoked_by"
        ),
        pk=pk,
    )


def renewal_history(credential: Credential) -> list[Credential]:
    """The renewal chain this credential belongs to, oldest first (one query: all of the
    person's credentials for the certification, linked in Python)."""
    rows = {
        c.pk: c
        for c in Credential.objects.filter(
            user_id=credential.user_id, certification_id=credential.certification_id
        )
    }
    rows[credential.pk] = credential
    chain = [credential]
    seen = {credential.pk}
    before = credential.renewal_of_id
    while before in rows and before not in seen:
        chain.insert(0, rows[before])
        seen.add(before)
        before = rows[before].renewal_of_id
    successors = {c.renewal_of_id: c for c in rows.values() if c.renewal_of_id}
    after = successors.get(credential.pk)
    while after is not None and after.pk not in seen:
        chain.append(after)
        seen.add(after.pk)
        after = successors.get(after.pk)
    return chain


def has_certificate(credential: Credential) -> bool:
    """Issued and not revoked: it has a PDF and a badge. (Expired ones keep theirs: the
    dates on them say so.)"""
    return credential.status == CredentialStatus.ACTIVE and credential.issued_at is not None


def credential_by_verification_id(verification_id: str) -> Credential | None:
    """The issued (or revoked) credential behind a public verification link. One still in
    progress is not a credential yet, so it is as unknown as a wrong id."""
    return (
        Credential.objects.select_related("user__partner", "certification")
        .exclude(status=CredentialStatus.IN_PROGRESS)
        .filter(verification_id=verification_id)
        .first()
    )


def holder_name(user: User) -> str:
    """The holder as printed and shown publicly: their name, never their email address."""
    return user.name.strip() or _("Name not recorded")


# --- managing certifications ---------------------------------------------------------------------
CERTIFICATION_FIELDS = (
    "name",
    "description",
    "status",
    "audience",
    "courses",
    "recert_courses",
    "validity_months",
    "recert_window_days",
    "reminder_days",
)


@transaction.atomic
def save_certification(
    actor: User,
    certification: Certification,
    *,
    courses: Iterable[Course],
    recert_courses: Iterable[Course],
    before: dict[str, Any] | None = None,
) -> Certification:
    """Create or update a certification with its courses, and write the audit entry."""
    creating = certification.pk is None
    certification.full_clean()
    certification.save()
    certification.courses.set(list(courses))
    certification.recert_courses.set(list(recert_courses))
    after = audit.snapshot(certification, CERTIFICATION_FIELDS)
    if creating:
        audit.record(actor, "certification.created", certification, after=after)
    elif after != before:
        audit.record(actor, "certification.updated", certification, before=before, after=after)
    return certification


def grant(actor: User, person: User, certification: Certification, reason: str) -> Credential:
    """Grant a published certification to a person in the actor's scope."""
    if certification.status != Status.PUBLISHED:
        raise ValidationError(_("Publish the certification before granting it."))
    if not people_assignable_by(actor).filter(pk=person.pk).exists():
        raise ValidationError({"email": _("You cannot grant certifications to this person.")})
    return credential_actions.grant(actor, person, certification, reason)


# --- addresses -------------------------------------------------------------------------------------
def absolute_url(view_name: str, *args: Any) -> str:
    """An address outside the site can use (certificates, badges): SITE_URL, not the request."""
    return settings.SITE_URL + reverse(view_name, args=args)


def verification_url(credential: Credential) -> str:
    return absolute_url("credentials:verify", credential.verification_id)


def download_filename(credential: Credential, extension: str) -> str:
    name = slugify(f"{credential.certification.name} {credential.user.name}") or "certificate"
    return f"{name[:80]}.{extension}"


# --- certificate PDF -------------------------------------------------------------------------------
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
INK = (17, 24, 39)
MUTED = (91, 100, 114)


def _rgb(colour: str, default: tuple[int, int, int] = (31, 95, 139)) -> tuple[int, int, int]:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        return default
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _logo(portal: PortalSettings) -> Image.Image | None:
    """The portal's logo as a raster image, or None (no logo, unreadable, or not raster)."""
    if not portal.logo:
        return None
    try:
        with portal.logo.open("rb") as handle:
            image = Image.open(handle)
            image.load()
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        logger.warning("The portal logo could not be read for a certificate.", exc_info=True)
        return None
    if image.format not in IMAGE_FORMATS:
        return None
    # fpdf2 embeds PNG and JPEG as they are; WebP and GIF (palette) are flattened first.
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")


def _qr(url: str) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=1)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def _date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _centred(
    pdf: FPDF,
    text: str,
    y: float,
    size: float,
    *,
    bold: bool = False,
    colour: tuple[int, int, int] = INK,
    smallest: float = 12,
) -> float:
    """Centred text at `y`, shrunk to fit one line when it can, else wrapped; returns the
    y below it."""
    style = "B" if bold else ""
    pdf.set_font(FONT, style, size)
    while size > smallest and pdf.get_string_width(text) > pdf.epw:
        size -= 1
        pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_xy(pdf.l_margin, y)
    pdf.multi_cell(pdf.epw, size * 0.45, text, align="C")
    return pdf.get_y()


def render_certificate(credential: Credential, portal: PortalSettings) -> bytes:
    """The certificate as an A4 landscape PDF: portal name and logo, holder, certification,
    dates, certificate id, and the verification address with its QR code. Text is set in
    the vendored DejaVu Sans, so any holder's name prints on a machine without fonts."""
    if not has_certificate(credential):
        raise ValueError("Only issued credentials that are not revoked have a certificate.")
    assert credential.issued_at is not None
    holder = holder_name(credential.user)
    certification = credential.certification.name
    url = verification_url(credential)
    brand = _rgb(portal.primary_colour)

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(22, 20, 22)
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_title(f"{certification} – {holder}")
    pdf.set_subject(_("Certificate"))
    pdf.set_author(portal.name)
    pdf.set_creator("Touchpoint")
    pdf.set_lang(get_language() or settings.LANGUAGE_CODE)
    pdf.add_page()

    # A double frame in the brand colour.
    pdf.set_draw_color(*brand)
    pdf.set_line_width(1.4)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13.5, 13.5, pdf.w - 27, pdf.h - 27)

    logo = _logo(portal)
    if logo is not None:
        height = 16.0
        width = min(60.0, height * logo.width / max(logo.height, 1))
        pdf.image(logo, x=22, y=20, w=width, h=width * logo.height / max(logo.width, 1))
    _centred(pdf, portal.name, 24, 14, bold=True, colour=brand)

    _centred(pdf, _("Certificate"), 44, 34, bold=True)
    _centred(pdf, _("This certifies that"), 66, 14, colour=MUTED)
    y = _centred(pdf, holder, 76, 30, bold=True, smallest=16)
    company = credential.user.partner.name if credential.user.partner else ""
    if company:
        _centred(pdf, company, y + 1, 12, colour=MUTED)
    _centred(pdf, _("has earned the certification"), 104, 14, colour=MUTED)
    _centred(pdf, certification, 114, 22, bold=True, colour=brand, smallest=14)

    # Dates and the verification details, bottom left; the QR code bottom right.
    issued = _("Issued: %(date)s") % {"date": _date(credential.issued_at)}
    expires = (
        _("Valid until: %(date)s") % {"date": _date(credential.expires_at)}
        if credential.expires_at
        else _("Does not expire")
    )
    lines = [
        (issued, True),
        (expires, True),
        (_("Certificate ID: %(id)s") % {"id": credential.verification_id}, False),
        (_("Verify at:"), False),
    ]
    pdf.set_text_color(*INK)
    y = 150.0
    for text, bold in lines:
        pdf.set_font(FONT, "B" if bold else "", 11 if bold else 9.5)
        pdf.set_xy(22, y)
        pdf.cell(190, 6, text)
        y += 6
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(29, 78, 216)
    pdf.set_xy(22, y)
    pdf.cell(pdf.get_string_width(url) + 1, 6, url, link=url)

    qr_size = 34.0
    qr_x, qr_y = pdf.w - 22 - qr_size, pdf.h - 22 - qr_size - 5
    pdf.image(_qr(url), x=qr_x, y=qr_y, w=qr_size, h=qr_size, link=url)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(qr_x - 8, qr_y + qr_size + 0.5)
    pdf.cell(qr_size + 16, 4, _("Scan to verify"), align="C")
    return bytes(pdf.output())


# --- Open Badges 3.0: JSON canonicalisation (RFC 8785) ----------------------------------------
def _es6_number(value: float) -> str:
    """A number the way ECMAScript prints it (RFC 8785 §3.2.2.3). Python's repr already
    gives the shortest round-trip digits; only where the exponent goes differs."""
    if not math.isfinite(value):
        raise ValueError("JSON has no NaN or Infinity.")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _sign, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int)
    exponent += len(digit_tuple) - len(digits)
    k, n = len(digits), exponent + len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
        text = f"{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"
    return sign + text


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS): no whitespace, object keys sorted by UTF-16 code units, minimal
    string escapes, ECMAScript numbers; UTF-8."""
    return _jcs(value).encode("utf-8")


def _jcs(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        # json.dumps escapes exactly what RFC 8785 asks: quote, backslash and C0 controls
        # (\b \t \n \f \r by name, the rest as lowercase \u00xx).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        if abs(value) > 2**53 - 1:
            raise ValueError("Integers beyond 2^53 have no exact JSON number.")
        return str(value)
    if isinstance(value, float):
        return _es6_number(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_jcs(item) for item in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("JSON object keys are strings.")
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return "{" + ",".join(f"{_jcs(key)}:{_jcs(value[key])}" for key in keys) + "}"
    raise TypeError(f"{type(value).__name__} is not JSON.")


# --- Open Badges 3.0: keys and multibase ---------------------------------------------------------
B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, remainder = divmod(number, 58)
        text = B58_ALPHABET[remainder] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = B58_ALPHABET.find(char)
        if index < 0:
            raise ValueError("Not base58btc.")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


@lru_cache(maxsize=4)
def _derive_key(seed: str) -> Ed25519PrivateKey:
    material = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
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


# --- Open Badges 3.0: documents --------------------------------------------------------------------
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
    if not has_certificate(credential):
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
                "identityHash": holder_name(credential.user),
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
