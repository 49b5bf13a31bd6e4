"""Isolation cases for certifications and credentials: a certification meant for Birchwood
only, which Carol holds (granted by Mia, the trainer); and Hannah's, at Alder Creek's
Rutland location, which her partner admin may open but Bob, her colleague, may not. Nobody
outside a holder's company reaches their credential, nor the channel manager of another
region; the management pages are for trainers and portal admins."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.courses import make_certification, make_course
from touchpoint.credentials import actions as credential_actions
from touchpoint.credentials.models import Certification, Credential
from touchpoint.orgs.models import Audience, User


def birchwood_certification(p: Personas) -> Certification:
    audience = Audience.objects.create(name="Birchwood")
    audience.partners.add(p.dealer_b)
    course = make_course(p.mia, "Birchwood service", audience=audience)
    return make_certification("Birchwood technician", [course], audience=audience)


def carols_credential(p: Personas) -> Credential:
    return credential_actions.grant(
        p.mia, p.carol, birchwood_certification(p), "Certified on the old line"
    )


def hannahs_credential(p: Personas) -> Credential:
    certification = make_certification("X200 technician", [make_course(p.mia, "X200 service")])
    return credential_actions.grant(p.mia, p.hannah, certification, "Certified on the old line")


def not_birchwood(p: Personas) -> list[User]:
    # Alder Creek's admin, a member and a technician at its location, Fjord Maskin's admin.
    return [p.alice, p.bob, p.hannah, p.ingrid]


def not_carols_people(p: Personas) -> list[User]:
    # ...the channel manager of another region, and a content owner (who writes courses
    # but follows nobody's learning).
    return [*not_birchwood(p), p.evan, p.sol]


def not_hannahs_people(p: Personas) -> list[User]:
    # A colleague (a member sees only his own), another partner's admin, Fjord Maskin's,
    # and the channel manager of another region.
    return [p.bob, p.carol, p.ingrid, p.evan]


def not_certification_managers(p: Personas) -> list[User]:
    # Partner people (the holder among them), the channel managers and a content owner.
    return [p.alice, p.bob, p.carol, p.dana, p.evan, p.sol]


carol = lambda p: p.carol  # noqa: E731 - the holder
mia = lambda p: p.mia  # noqa: E731 - the trainer


def held(method: str = "get") -> list[Case]:
    return [
        Case(carols_credential, carol, method, outsiders=not_carols_people),
        Case(hannahs_credential, lambda p: p.alice, method, outsiders=not_hannahs_people),
    ]


CASES = {
    "credentials:certification_detail": Case(
        birchwood_certification, carol, outsiders=not_birchwood
    ),
    "credentials:credential_detail": held(),
    "credentials:credential_pdf": held(),
    "credentials:credential_badge": held(),
    "credentials:credential_revoke": Case(
        carols_credential,
        mia,
        "post",
        data={"reason": "Issued in error"},
        outsiders=not_certification_managers,
    ),
    "credentials:certification_edit": Case(
        birchwood_certification, mia, outsiders=not_certification_managers
    ),
    "credentials:certification_grant": Case(
        birchwood_certification, mia, outsiders=not_certification_managers
    ),
}

NOT_RECORDS = {
    "credentials:verify": "public by design: anyone holding the unguessable verification id may "
    "check the certificate without signing in (tested in test_credentials.py)",
    "credentials:badge_achievement": "public Open Badges document for a published certification, "
    "fetched by wallets and verifiers (tested in test_credentials.py)",
    "credentials:badge_status_list": "public Bitstring Status List of revocations: bits at "
    "indexes only, no names; verifiers fetch it for every badge (tested in test_badges.py)",
}
