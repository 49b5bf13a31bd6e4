"""Bob's Open Badge as verifiers outside the portal read it: 1EdTech's OB 3.0 JSON Schema,
an `eddsa-rdfc-2022` proof beside the `eddsa-jcs-2022` one, the issuer's key published as a
did:web DID document, and a Bitstring Status List that a revocation or an expiry flips."""

from __future__ import annotations

import copy
from datetime import timedelta

import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support.courses import complete_course, make_certification, make_course
from tests.support.open_badges import achievement_credential_schema, status_bit
from touchpoint.credentials import actions as credential_actions
from touchpoint.credentials import badges
from touchpoint.credentials.models import Credential, StatusList
from touchpoint.kernel.models import PortalSettings


@pytest.fixture
def certification(personas):
    course = make_course(personas.mia, "X200 service basics")
    return make_certification(
        "X200 Certified Technician", [course], validity_months=24,
        description="Services the X200 mower deck and engine.",
    )  # fmt: skip


@pytest.fixture
def bobs(personas, certification):
    """Bob completed the course, so he holds the certification."""
    complete_course(personas.bob, certification.courses.get())
    return Credential.objects.get(user=personas.bob, certification=certification, is_current=True)


@pytest.fixture
def site(settings):
    settings.SITE_URL = "http://portal.example:8101"
    return settings.SITE_URL


def bobs_badge(personas, bobs):
    response = personas.client(personas.bob).get(
        reverse("credentials:credential_badge", args=[bobs.pk])
    )
    assert response.status_code == 200
    return response.json()


def proof_of(badge, cryptosuite):
    (proof,) = [p for p in badge["proof"] if p["cryptosuite"] == cryptosuite]
    return proof


def test_bobs_badge_passes_1edtechs_achievement_credential_schema(personas, bobs):
    schema = achievement_credential_schema()
    badge = bobs_badge(personas, bobs)
    jsonschema.validate(badge, schema, cls=jsonschema.Draft201909Validator)
    # The schema does bite: a badge that does not say who issued it is refused.
    anonymous = {name: value for name, value in badge.items() if name != "issuer"}
    with pytest.raises(jsonschema.ValidationError, match="'issuer' is a required property"):
        jsonschema.validate(anonymous, schema, cls=jsonschema.Draft201909Validator)


def test_it_signs_the_badge_with_eddsa_rdfc_2022_and_keeps_eddsa_jcs_2022(personas, bobs):
    badge = bobs_badge(personas, bobs)
    assert isinstance(badge["proof"], list)
    assert {p["cryptosuite"] for p in badge["proof"]} == {"eddsa-rdfc-2022", "eddsa-jcs-2022"}
    rdfc = proof_of(badge, "eddsa-rdfc-2022")
    assert rdfc["type"] == "DataIntegrityProof" and rdfc["proofPurpose"] == "assertionMethod"
    assert badges.verify_badge(badge)

    # A change the RDF form sees breaks the RDFC proof even with the JCS proof gone.
    only_rdfc = {**badge, "proof": [rdfc]}
    assert badges.verify_badge(only_rdfc)
    renamed = copy.deepcopy(only_rdfc)
    renamed["credentialSubject"]["identifier"][1]["identityHash"] = "Mallory"
    assert not badges.verify_badge(renamed)
    longer = copy.deepcopy(only_rdfc)
    longer["validUntil"] = "2099-01-01T00:00:00Z"
    assert not badges.verify_badge(longer)
    # …and an unknown proof beside good ones does not pass for verified.
    stranger = {**rdfc, "cryptosuite": "ecdsa-rdfc-2019"}
    assert not badges.verify_badge({**badge, "proof": [*badge["proof"], stranger]})


def test_the_issuer_is_a_did_web_for_the_portals_host_with_its_port_encoded(
    client, personas, bobs, site
):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    did = "did:web:portal.example%3A8101"
    assert document["id"] == did
    # Every term the document uses is defined by its contexts (the DID and Multikey ones).
    assert document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
    ]
    (method,) = document["verificationMethod"]
    assert method["id"] == f"{did}#key-1" and method["controller"] == did
    assert method["type"] == "Multikey" and method["publicKeyMultibase"].startswith("z6Mk")
    assert document["assertionMethod"] == [method["id"]]

    badge = bobs_badge(personas, bobs)
    assert badge["issuer"]["id"] == did
    assert {p["verificationMethod"] for p in badge["proof"]} == {method["id"]}
    published = badges.public_key_from_multibase(method["publicKeyMultibase"])
    assert badges.verify_badge(badge, public_key=published)


def test_a_revocation_flips_bobs_bit_in_the_signed_status_list(client, personas, bobs, site):
    badge = bobs_badge(personas, bobs)
    status = badge["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    index = int(status["statusListIndex"])
    assert status["statusListIndex"] == str(index)
    list_url = status["statusListCredential"]
    assert list_url.startswith(site + "/")

    def bobs_bit() -> bool:
        response = client.get(list_url.removeprefix(site))
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-cache"
        listing = response.json()
        assert listing["id"] == list_url
        assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert listing["issuer"] == badge["issuer"]["id"]
        assert listing["credentialSubject"]["statusPurpose"] == "revocation"
        assert badges.verify_badge(listing)
        return status_bit(listing["credentialSubject"]["encodedList"], index)

    assert bobs_bit() is False
    credential_actions.revoke(personas.mia, bobs, "Certificate obtained by mistake")
    assert bobs_bit() is True


def test_an_expired_credential_is_marked_in_the_status_list(client, personas, bobs, site):
    badge = bobs_badge(personas, bobs)
    status = badge["credentialStatus"]
    url = status["statusListCredential"].removeprefix(site)

    def bit() -> bool:
        encoded = client.get(url).json()["credentialSubject"]["encodedList"]
        return status_bit(encoded, int(status["statusListIndex"]))

    assert bit() is False
    Credential.objects.filter(pk=bobs.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert bit() is True


def test_each_issued_credential_has_its_own_index_and_keeps_it(personas, certification, bobs):
    carols = credential_actions.grant(
        personas.mia, personas.carol, certification, "Certified at Birchwood's old brand"
    )
    portal = PortalSettings.load()
    bob_status = badges.badge_for(bobs, portal)["credentialStatus"]
    carol_status = badges.badge_for(carols, portal)["credentialStatus"]
    assert bob_status["statusListIndex"] != carol_status["statusListIndex"]
    assert badges.badge_for(bobs, portal)["credentialStatus"] == bob_status
    # Still in progress: nothing issued, so no index taken.
    on_the_way = Credential.objects.create(user=personas.hannah, certification=certification)
    assert on_the_way.status_index is None


def test_the_status_list_of_another_id_is_not_found(client, bobs):
    assert client.get(reverse("credentials:badge_status_list", args=[987_654])).status_code == 404


def test_a_full_status_list_makes_the_next_credential_open_a_new_one(personas, certification):
    full = StatusList.objects.create(size=8, allocated=8)
    carols = credential_actions.grant(
        personas.mia, personas.carol, certification, "Certified at Birchwood's old brand"
    )
    assert carols.status_list_id != full.pk and carols.status_index == 0
    assert StatusList.objects.get(pk=carols.status_list_id).allocated == 1


@pytest.mark.parametrize(
    ("site_url", "did"),
    [
        ("https://partners.ridgeline.example", "did:web:partners.ridgeline.example"),
        ("http://127.0.0.1:8101", "did:web:127.0.0.1%3A8101"),
        ("https://ridgeline.example/partners/", "did:web:ridgeline.example:partners"),
    ],
)
def test_the_did_follows_site_url_as_did_web_says(settings, site_url, did):
    settings.SITE_URL = site_url
    assert badges.issuer_did() == did
    assert badges.did_document()["assertionMethod"] == [f"{did}#key-1"]


@pytest.mark.django_db(transaction=True)
def test_credentials_issued_before_status_lists_get_their_index_on_upgrade(personas, bobs):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("credentials", "0001_initial"), ("credentials", "0002_status_lists")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    executor.loader.build_graph()
    executor.migrate([after])

    bobs.refresh_from_db()
    assert bobs.status_list is not None and bobs.status_index == 0
    assert bobs.status_list.allocated == 1
    assert "credentialStatus" in badges.badge_for(bobs, PortalSettings.load())
