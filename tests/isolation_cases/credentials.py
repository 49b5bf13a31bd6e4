"""Isolation cases for certifications and credentials: a certification meant for Birchwood
only, which Carol holds (granted by Mia, the trainer). Alice, at Alder Creek, must not reach
either; the management pages are for trainers and portal admins."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.courses import make_certification, make_course
from touchpoint.credentials import actions as credential_actions
from touchpoint.credentials.models import Certification, Credential
from touchpoint.orgs.models import Audience


def birchwood_certification(p: Personas) -> Certification:
    audience = Audience.objects.create(name="Birchwood")
    audience.partners.add(p.dealer_b)
    course = make_course(p.mia, "Birchwood service", audience=audience)
    return make_certification("Birchwood technician", [course], audience=audience)


def carols_credential(p: Personas) -> Credential:
    return credential_actions.grant(
        p.mia, p.carol, birchwood_certification(p), "Certified on the old line"
    )


CASES = {
    "credentials:certification_detail": Case(birchwood_certification, lambda p: p.carol),
    "credentials:credential_detail": Case(carols_credential, lambda p: p.carol),
    "credentials:credential_pdf": Case(carols_credential, lambda p: p.carol),
    "credentials:credential_badge": Case(carols_credential, lambda p: p.carol),
    "credentials:credential_revoke": Case(
        carols_credential, lambda p: p.mia, "post", data={"reason": "Issued in error"}
    ),
    "credentials:certification_edit": Case(birchwood_certification, lambda p: p.mia),
    "credentials:certification_grant": Case(birchwood_certification, lambda p: p.mia),
}

NOT_RECORDS = {
    "credentials:verify": "public by design: anyone holding the unguessable verification id may "
    "check the certificate without signing in (tested in test_credentials.py)",
    "credentials:badge_achievement": "public Open Badges document for a published certification, "
    "fetched by wallets and verifiers (tested in test_credentials.py)",
}
