"""Certifications as people see and manage them: Bob's own page, certificates, public
verification, Open Badges and their signatures, granting and revoking, and building
certifications."""

from __future__ import annotations

import copy
import hashlib
import re
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse
from django.utils import timezone

from tests.support.courses import complete_course, make_certification, make_course

# The browser fixtures (Debian's Chromium through Playwright), shared with tests/test_browser.py.
from tests.test_browser import browser, page_at  # noqa: F401
from touchpoint.courses.models import Status
from touchpoint.credentials import actions as credential_actions
from touchpoint.credentials import badges, links
from touchpoint.credentials.certificate import render_certificate
from touchpoint.credentials.models import (
    Certification,
    Credential,
    CredentialState,
    CredentialStatus,
)
from touchpoint.kernel.models import AuditEntry, PortalSettings
from touchpoint.orgs.models import Audience


@pytest.fixture
def course(personas):
    return make_course(personas.mia, "X200 service basics")


@pytest.fixture
def certification(course):
    return make_certification(
        "X200 Certified Technician",
        [course],
        validity_months=24,
        description="Services the X200 mower deck and engine.",
    )


@pytest.fixture
def bobs(personas, course, certification):
    """Bob completed the course, so he holds the certification."""
    complete_course(personas.bob, course)
    return Credential.objects.get(user=personas.bob, certification=certification, is_current=True)


@pytest.fixture
def carols(personas, certification):
    return credential_actions.grant(
        personas.mia, personas.carol, certification, "Certified at Birchwood's old brand"
    )


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by fpdf2, read simply: each font's ToUnicode map turns
    the glyph codes of every `(…) Tj` back into characters. Codes are tried against every
    map, so the text of each font shows up (among some noise from the others)."""
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    maps = []
    for stream in streams:
        if b"beginbfchar" in stream:
            pairs = re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>", stream)
            maps.append(
                {int(a, 16): bytes.fromhex(b.decode()).decode("utf-16-be") for a, b in pairs}
            )
    found = []
    for stream in streams:
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", stream, re.S):
            raw = re.sub(
                rb"\\(.)",
                lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)),
                literal,
            )
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
            found += ["".join(m.get(code, "?") for code in codes) for m in maps]
    return "\n".join(found)


# --- Bob's own certifications -----------------------------------------------------------------
def test_bob_sees_his_certification_with_its_state_dates_and_downloads(personas, bobs):
    page = personas.client(personas.bob).get(reverse("credentials:my_certifications"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "X200 Certified Technician" in html
    assert "Active" in html
    assert reverse("credentials:credential_pdf", args=[bobs.pk]) in html
    assert reverse("credentials:credential_badge", args=[bobs.pk]) in html
    assert bobs.expires_at is not None and bobs.expires_at.year == bobs.issued_at.year + 2


def test_bob_is_shown_what_is_meant_for_him_with_the_courses_to_take(personas, course):
    p = personas
    for_alder_creek = Audience.objects.create(name="Alder Creek")
    for_alder_creek.partners.add(p.dealer_a)
    for_birchwood = Audience.objects.create(name="Birchwood")
    for_birchwood.partners.add(p.dealer_b)
    make_certification("Safety basics", [course], audience=for_alder_creek)
    make_certification("Birchwood only", [course], audience=for_birchwood)
    draft = make_certification("Not yet", [course])
    draft.status = Status.DRAFT
    draft.save()

    html = p.client(p.bob).get(reverse("credentials:my_certifications")).content.decode()
    assert "Safety basics" in html and "X200 service basics" in html
    assert "Birchwood only" not in html
    assert "Not yet" not in html


def test_a_certification_on_the_way_shows_the_courses_left(personas, course, certification):
    p = personas
    second = make_course(p.mia, "X200 engine tuning")
    certification.courses.add(second)
    complete_course(p.bob, course)  # one of two: the certification is under way
    html = p.client(p.bob).get(reverse("credentials:my_certifications")).content.decode()
    assert "In progress" in html
    assert "X200 engine tuning" in html
    assert (
        reverse("credentials:credential_pdf", args=[Credential.objects.get(user=p.bob).pk])
        not in html
    )


def test_expiring_and_expired_credentials_say_so(personas, bobs):
    now = timezone.now()
    bobs.expiring_from, bobs.expires_at = now - timedelta(days=1), now + timedelta(days=20)
    bobs.save()
    client = personas.client(personas.bob)
    assert "Expiring soon" in client.get(reverse("credentials:my_certifications")).content.decode()
    bobs.expires_at = now - timedelta(days=1)
    bobs.save()
    assert (
        "Expired"
        in client.get(reverse("credentials:credential_detail", args=[bobs.pk])).content.decode()
    )


def test_the_states_in_sql_agree_with_credential_state(personas, certification):
    now = timezone.now()
    day = timedelta(days=1)
    rows = {
        CredentialState.IN_PROGRESS: {"status": CredentialStatus.IN_PROGRESS},
        CredentialState.ACTIVE: {"status": "active", "issued_at": now, "expires_at": now + 90 * day, "expiring_from": now + 30 * day},
        CredentialState.EXPIRING: {"status": "active", "issued_at": now, "expires_at": now + 9 * day, "expiring_from": now - day},
        CredentialState.EXPIRED: {"status": "active", "issued_at": now, "expires_at": now - day, "expiring_from": now - 60 * day},
        CredentialState.REVOKED: {"status": CredentialStatus.REVOKED, "issued_at": now},
    }  # fmt: skip
    people = [personas.bob, personas.hannah, personas.carol, personas.ingrid, personas.alice]
    for person, (state, fields) in zip(people, rows.items(), strict=True):
        credential = Credential.objects.create(user=person, certification=certification, **fields)
        assert credential.state(now) == state
        assert set(Credential.objects.in_state(state, now)) == {credential}
    counts = {c.state: c.count for c in Credential.objects.all().state_counts(now)}
    assert counts == dict.fromkeys(CredentialState.values, 1)


# --- a certification and a credential -----------------------------------------------------------
def test_the_certification_page_shows_criteria_courses_and_my_status(personas, bobs, certification):
    p = personas
    html = p.client(p.bob).get(certification.get_absolute_url()).content.decode()
    assert "Services the X200 mower deck" in html
    assert "X200 service basics" in html
    assert "Your status" in html and "Active" in html
    assert "Holders" not in html  # counts are for staff

    staff_view = p.client(p.mia).get(certification.get_absolute_url()).content.decode()
    assert "Holders" in staff_view
    assert reverse("credentials:certification_grant", args=[certification.pk]) in staff_view


def test_the_credential_page_tells_the_whole_story(personas, bobs, carols):
    p = personas
    html = p.client(p.bob).get(bobs.get_absolute_url()).content.decode()
    assert "Bob Tran" in html and "Alder Creek Outdoor" in html
    assert "Earned by completing the courses" in html
    assert links.verification_url(bobs) in html
    assert "Revoke" not in html  # Bob is no trainer

    granted = p.client(p.carol).get(carols.get_absolute_url()).content.decode()
    assert "Granted by Mia Chen" in granted and "Birchwood&#x27;s old brand" in granted


def test_alice_sees_her_peoples_credentials_but_not_another_partners(personas, bobs, carols):
    alice = personas.client(personas.alice)
    assert alice.get(bobs.get_absolute_url()).status_code == 200
    forbidden = alice.get(carols.get_absolute_url())
    missing = alice.get(reverse("credentials:credential_detail", args=[987_654]))
    assert forbidden.status_code == missing.status_code == 404
    for name in ("credential_pdf", "credential_badge"):
        assert alice.get(reverse(f"credentials:{name}", args=[carols.pk])).status_code == 404


def test_the_renewal_history_links_the_chain(personas, certification):
    p = personas
    now = timezone.now()
    first = Credential.objects.create(
        user=p.bob, certification=certification, status="active", is_current=False,
        issued_at=now - timedelta(days=800), expires_at=now - timedelta(days=70),
    )  # fmt: skip
    second = Credential.objects.create(
        user=p.bob, certification=certification, status="active", renewal_of=first,
        issued_at=now - timedelta(days=75), expires_at=now + timedelta(days=650),
    )  # fmt: skip
    assert first.renewal_history() == [first, second]
    assert second.renewal_history() == [first, second]
    html = p.client(p.bob).get(second.get_absolute_url()).content.decode()
    assert "Renewal history" in html and first.get_absolute_url() in html


def test_the_pages_keep_to_a_query_budget(personas, bobs, course, django_assert_max_num_queries):
    p = personas
    # A longer renewal chain and more certifications cost no extra queries.
    Credential.objects.filter(pk=bobs.pk).update(is_current=False)
    renewed = Credential.objects.create(
        user=p.bob, certification=bobs.certification, status="active", renewal_of=bobs,
        issued_at=timezone.now(), expires_at=timezone.now() + timedelta(days=700),
    )  # fmt: skip
    for n in range(3):
        make_certification(f"Extra {n}", [course, make_course(p.mia, f"Extra course {n}")])
    for viewer in (p.alice, p.mia):
        client = p.client(viewer)
        client.get(renewed.get_absolute_url())  # warm per-process caches (content types)
        with django_assert_max_num_queries(7):
            assert client.get(renewed.get_absolute_url()).status_code == 200
    bob = p.client(p.bob)
    with django_assert_max_num_queries(9):
        assert bob.get(reverse("credentials:my_certifications")).status_code == 200


# --- the certificate PDF ------------------------------------------------------------------------
def test_the_certificate_is_a_real_pdf_with_the_holders_name(personas, bobs):
    response = personas.client(personas.bob).get(
        reverse("credentials:credential_pdf", args=[bobs.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "x200-certified-technician-bob-tran.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")
    text = pdf_text(response.content)
    assert "Bob Tran" in text
    assert "X200 Certified Technician" in text
    assert bobs.verification_id in text


def test_the_certificate_prints_any_name_with_the_vendored_font(personas, bobs):
    bob = personas.bob
    bob.name = "Zoë Ångström-Øye Ωμέγα"
    bob.save()
    bobs.refresh_from_db()
    pdf = render_certificate(bobs, PortalSettings.load())
    assert "Zoë Ångström-Øye Ωμέγα" in pdf_text(pdf)


def test_the_certificate_carries_a_raster_logo_when_there_is_one(personas, bobs):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    portal = PortalSettings.load()
    plain = render_certificate(bobs, portal)
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 30, 30)).save(buffer, "WEBP")
    portal.logo.save("logo.webp", ContentFile(buffer.getvalue()))
    with_logo = render_certificate(bobs, portal)
    assert with_logo.count(b"/Subtype /Image") == plain.count(b"/Subtype /Image") + 1


def test_there_is_no_certificate_or_badge_in_progress_or_after_revocation(personas, bobs, course):
    p = personas
    on_the_way = make_certification("Two-course cert", [course, make_course(p.mia, "Other")])
    complete_course(p.hannah, course)
    hannahs = Credential.objects.get(user=p.hannah, certification=on_the_way)
    assert hannahs.status == CredentialStatus.IN_PROGRESS
    credential_actions.revoke(p.mia, bobs, "Certified by mistake")
    for person, credential in ((p.hannah, hannahs), (p.bob, bobs)):
        client = p.client(person)
        assert client.get(credential.get_absolute_url()).status_code == 200
        for name in ("credential_pdf", "credential_badge"):
            assert (
                client.get(reverse(f"credentials:{name}", args=[credential.pk])).status_code == 404
            )


# --- public verification ----------------------------------------------------------------------------
def test_anyone_can_verify_a_certificate_without_signing_in(client, bobs):
    response = client.get(reverse("credentials:verify", args=[bobs.verification_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "VALID" in html and "Bob Tran" in html and "Alder Creek Outdoor" in html
    assert "X200 Certified Technician" in html
    assert "bob@aldercreek.example" not in html  # never an email address


def test_verification_shows_revoked_and_expired_unmistakably(personas, client, bobs):
    url = reverse("credentials:verify", args=[bobs.verification_id])
    credential_actions.revoke(personas.mia, bobs, "Shared his login")
    html = client.get(url).content.decode()
    assert "REVOKED" in html and "verdict-invalid" in html
    assert "Shared his login" not in html  # the reason stays inside the portal

    bobs.status = CredentialStatus.ACTIVE
    bobs.expires_at = timezone.now() - timedelta(days=3)
    bobs.save()
    html = client.get(url).content.decode()
    assert "EXPIRED" in html and "verdict-invalid" in html and "VALID:" not in html


def test_an_unknown_verification_id_is_a_friendly_404(client, personas, course, certification):
    response = client.get(reverse("credentials:verify", args=["no-such-certificate"]))
    assert response.status_code == 404
    assert "We could not find this certificate" in response.content.decode()
    # A credential still in progress is no certificate yet.
    on_the_way = Credential.objects.create(user=personas.bob, certification=certification)
    assert (
        client.get(reverse("credentials:verify", args=[on_the_way.verification_id])).status_code
        == 404
    )


# --- Open Badges 3.0 ------------------------------------------------------------------------------
def test_the_badge_is_an_open_badge_credential(personas, bobs, settings):
    response = personas.client(personas.bob).get(
        reverse("credentials:credential_badge", args=[bobs.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    badge = response.json()
    site = settings.SITE_URL
    assert badge["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["issuer"]["id"] == badges.issuer_did()
    assert badge["issuer"]["type"] == ["Profile"] and badge["issuer"]["name"]
    assert badge["validFrom"].endswith("Z") and "validUntil" in badge
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    email_id, name_id = subject["identifier"]
    assert email_id["type"] == "IdentityObject" and email_id["hashed"] is True
    assert email_id["identityHash"] == badges.identity_hash(
        "bob@aldercreek.example", email_id["salt"]
    )
    assert email_id["identityHash"].startswith("sha256$")
    assert name_id == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Bob Tran",
    }
    achievement = subject["achievement"]
    assert achievement["id"] == f"{site}/badges/achievements/{bobs.certification_id}.json"
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "X200 Certified Technician"
    assert "X200 service basics" in achievement["criteria"]["narrative"]
    for proof in badge["proof"]:
        assert proof["type"] == "DataIntegrityProof"
        assert proof["verificationMethod"] == f"{badges.issuer_did()}#key-1"
        assert proof["proofPurpose"] == "assertionMethod" and proof["proofValue"].startswith("z")
    assert [p["cryptosuite"] for p in badge["proof"]] == ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
    assert "bob@aldercreek.example" not in response.content.decode()
    assert badges.verify_badge(badge)


def test_tampering_with_a_badge_breaks_its_signature(bobs):
    badge = badges.badge_for(bobs, PortalSettings.load())
    assert badges.verify_badge(badge)
    assert badges.badge_for(bobs, PortalSettings.load()) == badge  # the same document each time

    other_subject = copy.deepcopy(badge)
    other_subject["credentialSubject"]["identifier"][1]["identityHash"] = "Mallory"
    assert not badges.verify_badge(other_subject)

    longer = copy.deepcopy(badge)
    longer["validUntil"] = "2099-01-01T00:00:00Z"
    assert not badges.verify_badge(longer)

    for which in range(len(badge["proof"])):  # each proof of the set must hold
        other_proof = copy.deepcopy(badge)
        other_proof["proof"][which]["created"] = "2020-01-01T00:00:00Z"
        assert not badges.verify_badge(other_proof)

        flipped = copy.deepcopy(badge)
        value = flipped["proof"][which]["proofValue"]
        flipped["proof"][which]["proofValue"] = (
            value[:-2] + ("2" if value[-2] != "2" else "3") + value[-1]
        )
        assert not badges.verify_badge(flipped)

    stranger = Ed25519PrivateKey.generate()
    forged = badges.sign_document(badge, created=bobs.issued_at, key=stranger)
    assert not badges.verify_badge(forged)
    assert badges.verify_badge(forged, public_key=stranger.public_key())

    for junk in (
        None,
        [],
        {"proof": "x"},
        {**badge, "proof": []},
        {**badge, "proof": [{**badge["proof"][0], "proofValue": "z0OIl"}]},
    ):
        assert not badges.verify_badge(junk)


def test_the_issuer_profile_still_publishes_the_key_of_badges_issued_before_the_did(
    client, bobs, settings
):
    response = client.get(reverse("credentials:badge_issuer"))
    assert response.status_code == 200
    profile = response.json()
    assert profile["id"] == f"{settings.SITE_URL}/badges/issuer.json"
    assert profile["type"] == ["Profile"] and profile["name"] and profile["url"]
    (method,) = profile["verificationMethod"]
    assert method["id"] == f"{settings.SITE_URL}/badges/issuer.json#key-1"
    assert method["type"] == "Multikey"
    assert method["publicKeyMultibase"].startswith("z6Mk")  # base58btc of 0xed01 + key
    assert profile["assertionMethod"] == [method["id"]]
    published = badges.public_key_from_multibase(method["publicKeyMultibase"])
    # A badge from before: one eddsa-jcs-2022 proof naming this key. It still verifies.
    before = badges.build_badge(bobs, PortalSettings.load())
    before["issuer"]["id"] = profile["id"]
    before.pop("credentialStatus")
    old = {**before, "proof": badges.make_proof(
        "eddsa-jcs-2022", before, created=bobs.issued_at, key=badges.signing_key(),
        verification_method=method["id"],
    )}  # fmt: skip
    assert badges.verify_badge(old)
    assert badges.verify_badge(old, public_key=published)


def test_the_key_comes_from_the_seed_so_rotating_secret_key_keeps_badges(settings, bobs):
    settings.BADGE_SIGNING_SEED = ""
    from_secret = badges.public_key_multibase()
    settings.SECRET_KEY = "another-secret-key-after-rotation-0123456789"
    assert badges.public_key_multibase() != from_secret  # without a seed, badges break

    settings.BADGE_SIGNING_SEED = "a-long-random-seed-kept-for-years"
    badge = badges.badge_for(bobs, PortalSettings.load())
    settings.SECRET_KEY = "yet-another-secret-key-0123456789abcdef"
    assert badges.verify_badge(badge)


def test_achievements_are_public_for_published_certifications_only(client, certification, settings):
    response = client.get(reverse("credentials:badge_achievement", args=[certification.pk]))
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == f"{settings.SITE_URL}/badges/achievements/{certification.pk}.json"
    assert document["type"] == ["Achievement"] and document["name"] == "X200 Certified Technician"
    assert response["Access-Control-Allow-Origin"] == "*"
    certification.status = Status.DRAFT
    certification.save()
    assert (
        client.get(reverse("credentials:badge_achievement", args=[certification.pk])).status_code
        == 404
    )
    assert client.get(reverse("credentials:badge_achievement", args=[987_654])).status_code == 404


def test_json_is_canonicalised_as_rfc_8785_says():
    document = {
        "b": [1, 1.5e-7, 1e21, 100.0, -0.0, True, None],
        "a": 'é\n\u0001"\\/',
        "\U0001f600": 1,  # UTF-16 D83D DE00: before U+FB33, after U+20AC
        "\ufb33": 2,
        "\u20ac": 3,
    }
    assert badges.canonical_json(document).decode() == (
        '{"a":"é\\n\\u0001\\"\\\\/","b":[1,1.5e-7,1e+21,100,0,true,null],'
        '"€":3,"\U0001f600":1,"\ufb33":2}'
    )
    with pytest.raises(ValueError):
        badges.canonical_json({"n": float("nan")})
    assert badges.base58btc_decode(badges.base58btc_encode(b"\0\0abc")) == b"\0\0abc"


def test_it_signs_a_known_document_to_the_same_bytes_as_the_hand_written_jcs_did(settings):
    """Fixed by the hand-written RFC 8785 and base58 this module had before it used the
    rfc8785 and base58 packages: the same document and key give the same bytes, so every
    badge issued before still verifies and reads the same."""
    settings.SITE_URL = "https://portal.example"
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    document = {
        "@context": badges.CONTEXTS,
        "id": "https://portal.example/verify/abc/",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Zertifizierter Techniker – X200 ✓ 😀",
        "issuer": {"id": "https://portal.example/badges/issuer.json", "type": ["Profile"],
                   "name": "Ridgeline «Partner»", "url": "https://portal.example/"},
        "validFrom": "2026-01-02T03:04:05Z",
        "credentialSubject": {
            "type": ["AchievementSubject"], "n": [1, 1.5, -0.0, 1e21, 2**53 - 1],
            "esc": 'tab\t"quote"\\ \u0007 \u2028', "\ufb33": 2, "\u20ac": 3, "\U0001f600": 1,
        },
    }  # fmt: skip
    canonical = badges.canonical_json(document)
    assert hashlib.sha256(canonical).hexdigest() == (
        "3834571744fba1fee01b0195938deb31dc5e0b528b33d7b175a15138f273d8c6"
    )
    # As signed then: one eddsa-jcs-2022 proof naming the issuer profile's key.
    proof = badges.make_proof(
        "eddsa-jcs-2022", document, created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), key=key,
        verification_method="https://portal.example/badges/issuer.json#key-1",
    )  # fmt: skip
    signed = {**document, "proof": proof}
    assert signed["proof"]["proofValue"] == (
        "z3vfmC3XgvfrLt4RVvLF46qMFWUCCpzY5spmq8zh7rhYnJVXMSYChiUpvVTCnZkKR1yr1cSje1i24XJtQTmkcG8MW"
    )
    assert badges.public_key_multibase(key.public_key()) == (
        "z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd"
    )
    assert badges.verify_badge(signed, public_key=key.public_key())
    # base58btc is read strictly: what was issued, not something near it.
    padded = {
        **signed,
        "proof": {**signed["proof"], "proofValue": signed["proof"]["proofValue"] + " "},
    }
    assert not badges.verify_badge(padded, public_key=key.public_key())
    with pytest.raises(ValueError):
        badges.canonical_json({"n": 2**60})


# --- granting and revoking ----------------------------------------------------------------------------
def test_a_trainer_grants_a_certification_to_a_person_by_email(personas, certification):
    p = personas
    mia = p.client(p.mia)
    url = reverse("credentials:certification_grant", args=[certification.pk])
    assert mia.get(url).status_code == 200

    no_reason = mia.post(url, {"email": "hannah@aldercreek.example", "reason": "  "})
    assert "Say why the certification is granted." in no_reason.content.decode()
    stranger = mia.post(url, {"email": "admin@ridgeline.example", "reason": "Because"})
    assert "No partner person with this email" in stranger.content.decode()
    assert not Credential.objects.filter(certification=certification).exists()

    done = mia.post(
        url, {"email": "Hannah@AlderCreek.example", "reason": "Passed the factory exam"}
    )
    credential = Credential.objects.get(user=p.hannah, certification=certification)
    assert done.status_code == 302 and done["Location"] == credential.get_absolute_url()
    assert (credential.status, credential.granted_by, credential.grant_reason) == (
        CredentialStatus.ACTIVE, p.mia, "Passed the factory exam",
    )  # fmt: skip
    assert AuditEntry.objects.filter(
        action="credential.granted", target_id=str(credential.pk)
    ).exists()

    again = mia.post(url, {"email": "hannah@aldercreek.example", "reason": "Twice"})
    assert "already holds this certification" in again.content.decode()


def test_a_draft_certification_cannot_be_granted(personas, certification):
    certification.status = Status.DRAFT
    certification.save()
    response = personas.client(personas.mia).post(
        reverse("credentials:certification_grant", args=[certification.pk]),
        {"email": "bob@aldercreek.example", "reason": "Proven elsewhere"},
    )
    assert "Publish the certification before granting it." in response.content.decode()
    assert not Credential.objects.exists()


def test_revoking_takes_a_trainer_and_a_reason(personas, bobs):
    p = personas
    url = reverse("credentials:credential_revoke", args=[bobs.pk])
    for outsider in (p.alice, p.bob, p.dana):
        assert p.client(outsider).post(url, {"reason": "No"}).status_code == 404
    mia = p.client(p.mia)
    assert "Revoke this credential" in mia.get(bobs.get_absolute_url()).content.decode()
    blank = mia.post(url, {"reason": " "})
    assert (
        blank.status_code == 200
        and "Say why the certification is revoked." in blank.content.decode()
    )
    bobs.refresh_from_db()
    assert bobs.status == CredentialStatus.ACTIVE

    assert mia.post(url, {"reason": "Certified by mistake"}).status_code == 302
    bobs.refresh_from_db()
    assert (bobs.state(), bobs.revoked_by, bobs.revoke_reason) == (
        "revoked",
        p.mia,
        "Certified by mistake",
    )
    assert AuditEntry.objects.filter(action="credential.revoked", target_id=str(bobs.pk)).exists()
    html = p.client(p.bob).get(bobs.get_absolute_url()).content.decode()
    assert "Revoked." in html and "Certified by mistake" in html


# --- managing certifications --------------------------------------------------------------------------
def test_only_trainers_and_portal_admins_manage_certifications(personas, certification):
    p = personas
    lists = [
        reverse("credentials:certification_manage"),
        reverse("credentials:certification_create"),
    ]
    records = [
        reverse("credentials:certification_edit", args=[certification.pk]),
        reverse("credentials:certification_grant", args=[certification.pk]),
    ]
    for person in (p.mia, p.pat):
        client = p.client(person)
        assert all(client.get(url).status_code == 200 for url in lists + records)
    for person in (p.dana, p.alice, p.bob):
        client = p.client(person)
        assert all(client.get(url).status_code == 403 for url in lists)
        assert all(client.get(url).status_code == 404 for url in records)


def test_the_management_list_counts_holders(personas, bobs, carols, certification):
    page = personas.client(personas.mia).get(reverse("credentials:certification_manage"))
    row = next(c for c in page.context["page"] if c.pk == certification.pk)
    assert (row.holders, row.on_the_way, row.expired) == (2, 0, 0)
    partial = personas.client(personas.mia).get(
        reverse("credentials:certification_manage"), {"status": "archived"}, HTTP_HX_REQUEST="true"
    )
    assert (
        "<html" not in partial.content.decode()
        and "No certifications with this status." in partial.content.decode()
    )


def test_a_trainer_builds_a_certification_and_every_change_is_audited(personas, course):
    p = personas
    audience = Audience.objects.create(name="Service techs")
    mia = p.client(p.mia)
    form = {
        "name": "Zero-turn specialist", "description": "Knows the zero-turn range.", "status": "published",
        "audience": audience.pk, "courses": [course.pk], "recert_courses": [],
        "validity_months": "12", "recert_window_days": "45", "reminder_days": "7, 60,30,30",
    }  # fmt: skip
    created = mia.post(reverse("credentials:certification_create"), form)
    certification = Certification.objects.get(name="Zero-turn specialist")
    assert created.status_code == 302 and created["Location"] == certification.get_absolute_url()
    assert certification.reminder_days == "60,30,7"
    assert list(certification.courses.all()) == [course] and certification.audience == audience
    entry = AuditEntry.objects.get(action="certification.created")
    assert entry.after["courses"] == ["X200 service basics"]

    edit_url = reverse("credentials:certification_edit", args=[certification.pk])
    mia.post(edit_url, {**form, "validity_months": "24"})
    entry = AuditEntry.objects.get(action="certification.updated")
    assert (entry.before["validity_months"], entry.after["validity_months"]) == (12, 24)
    mia.post(edit_url, {**form, "validity_months": "24"})  # nothing changed, nothing recorded
    assert AuditEntry.objects.filter(action="certification.updated").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reminder_days": "60,soon"}, "Use whole numbers of days"),
        ({"reminder_days": "0"}, "Each reminder is between 1 and"),
        ({"validity_months": "1", "recert_window_days": "60"}, "Recertification must open after"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_a_certification_form_explains_what_is_wrong(personas, course, changes, message):
    form = {
        "name": "Zero-turn specialist", "status": "draft", "validity_months": "12",
        "recert_window_days": "60", "reminder_days": "60,30,7", "courses": [course.pk],
    }  # fmt: skip
    response = personas.client(personas.mia).post(
        reverse("credentials:certification_create"), {**form, **changes}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Certification.objects.exists()


# --- in a real browser ------------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_bob_finds_his_certificate_and_a_stranger_verifies_it(personas, request):
    from tests.test_browser import (
        PHONE,
        no_sideways_scroll,
        serious_accessibility_problems,
        shot,
        sign_in,
    )

    course = make_course(personas.mia, "X200 service basics")
    certification = make_certification("X200 Certified Technician", [course])
    complete_course(personas.bob, course)
    bobs = Credential.objects.get(user=personas.bob, certification=certification)

    open_page = request.getfixturevalue("page_at")
    page = open_page(PHONE)
    sign_in(page, personas.bob.email)
    page.goto(reverse("credentials:my_certifications"))
    page.get_by_role("link", name="X200 Certified Technician").click()
    page.wait_for_url(f"**{bobs.get_absolute_url()}")
    assert page.get_by_role("link", name="Certificate (PDF)").is_visible()
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, "credential-holder-phone")

    stranger = open_page(PHONE)
    stranger.goto(reverse("credentials:verify", args=[bobs.verification_id]))
    assert stranger.get_by_role("status").inner_text().startswith("✓ VALID")
    assert no_sideways_scroll(stranger)
    assert serious_accessibility_problems(stranger) == []
    shot(stranger, "verify-public-phone")
