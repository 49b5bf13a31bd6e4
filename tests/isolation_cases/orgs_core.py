"""Isolation cases for core and orgs pages."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from touchpoint.kernel import audit
from touchpoint.kernel.models import ApiToken, Notification
from touchpoint.orgs.models import (
    Audience,
    ImportBatch,
    PartnerApplication,
    PeopleGroup,
    ProgramTerms,
    User,
)


def _application(p: Personas) -> PartnerApplication:
    terms = ProgramTerms.objects.create(version="1", title="T", body="b")
    return PartnerApplication.objects.create(
        company_name="Quarry Hill", kind="dealer", country="US", contact_name="Rosa",
        contact_email="rosa@quarry.example", terms=terms, region=p.regions["nae"],
    )  # fmt: skip


def others_of_birchwood(p: Personas) -> list[User]:
    """Birchwood's records: other partners' people, and the other region's channel manager."""
    return [p.alice, p.bob, p.evan]


def bob(p: Personas) -> list[User]:
    """A sales rep against his own company's admin pages (Alice's, his partner admin)."""
    return [p.bob]


def partner_people(p: Personas) -> list[User]:
    return [p.alice, p.bob, p.carol]


def staff_pages(p: Personas) -> list[User]:
    """Portal admin pages: partner people and staff without the role."""
    return [p.alice, p.bob, p.dana, p.mia]


CASES: dict[str, Case | list[Case]] = {
    # Partners and their people: Carol's Birchwood, which Dana manages; and Alder Creek's
    # own records, which Alice manages and Bob may not.
    "orgs:partner_detail": Case(
        lambda p: p.dealer_b, lambda p: p.carol, outsiders=others_of_birchwood
    ),
    "orgs:partner_edit": [
        Case(lambda p: p.dealer_b, lambda p: p.carol, outsiders=others_of_birchwood),
        Case(lambda p: p.dealer_a, lambda p: p.alice, outsiders=bob),
    ],
    "orgs:location_create": [
        Case(lambda p: p.dealer_b, lambda p: p.carol, outsiders=others_of_birchwood),
        Case(lambda p: p.dealer_a, lambda p: p.alice, outsiders=bob),
    ],
    "orgs:partner_invite": [
        Case(lambda p: p.dealer_b, lambda p: p.carol, outsiders=others_of_birchwood),
        Case(lambda p: p.dealer_a, lambda p: p.alice, outsiders=bob),
    ],
    "orgs:person_detail": [
        Case(lambda p: p.carol, lambda p: p.dana, outsiders=others_of_birchwood),
        # A colleague's profile and learning are for the company's admins and managers.
        Case(lambda p: p.hannah, lambda p: p.alice, outsiders=bob),
    ],
    "orgs:person_edit": [
        Case(lambda p: p.carol, lambda p: p.dana, outsiders=others_of_birchwood),
        Case(lambda p: p.hannah, lambda p: p.alice, outsiders=bob),
    ],
    "orgs:person_deactivate": [
        Case(lambda p: p.carol, lambda p: p.pat, "post", outsiders=others_of_birchwood),
        Case(lambda p: p.hannah, lambda p: p.alice, "post", outsiders=bob),
    ],
    "orgs:person_reactivate": [
        Case(lambda p: p.carol, lambda p: p.pat, "post", outsiders=others_of_birchwood),
        Case(lambda p: p.hannah, lambda p: p.alice, "post", outsiders=bob),
    ],
    "orgs:person_resend_invite": [
        Case(lambda p: p.carol, lambda p: p.pat, "post", outsiders=others_of_birchwood),
        Case(lambda p: p.hannah, lambda p: p.alice, "post", outsiders=bob),
    ],
    # Vendor records: only staff with the right role.
    "orgs:staff_edit": Case(lambda p: p.dana, lambda p: p.pat, outsiders=staff_pages),
    "orgs:reference_edit": Case(
        lambda p: p.tiers["Gold"],
        lambda p: p.pat,
        args=lambda t: ["tiers", t.pk],
        outsiders=staff_pages,
    ),
    "orgs:group_detail": Case(
        lambda p: PeopleGroup.objects.create(name="Pilots"), lambda p: p.pat, outsiders=staff_pages
    ),
    "orgs:import_detail": Case(
        lambda p: ImportBatch.objects.create(
            kind="partners",
            filename="x.csv",
            content="partner_number,name,type,country\nP-1,X,dealer,US\n",
            created_by=p.pat,
        ),
        lambda p: p.pat,
        outsiders=staff_pages,
    ),
    # An application from Dana's region: the other region's channel manager may not review it.
    "orgs:application_detail": Case(
        _application, lambda p: p.dana, outsiders=lambda p: [p.alice, p.bob, p.evan, p.mia]
    ),
    "portal:audit_entry": Case(
        lambda p: audit.record(p.carol, "person.updated", p.carol),
        lambda p: p.pat,
        outsiders=staff_pages,
    ),
    "orgs:audience_detail": Case(
        lambda p: Audience.objects.create(name="A"),
        lambda p: p.mia,
        outsiders=lambda p: [p.alice, p.bob, p.dana],
    ),
    "orgs:audience_edit": Case(
        lambda p: Audience.objects.create(name="A"),
        lambda p: p.mia,
        outsiders=lambda p: [p.alice, p.bob, p.dana],
    ),
    # Personal records: Carol's own notification and API token, nobody else's.
    "portal:notification_open": Case(
        lambda p: Notification.objects.create(recipient=p.carol, kind="team", title="x", url="/"),
        lambda p: p.carol,
        "post",
        outsiders=lambda p: [p.alice, p.bob, p.dana],
    ),
    "portal:api_token_revoke": Case(
        lambda p: ApiToken.issue(p.carol, "CRM", ["orgs:read"])[0],
        lambda p: p.carol,
        "post",
        outsiders=lambda p: [p.alice, p.bob, p.dana],
    ),
}

# URL patterns with a path parameter that is not a record id, and why they need no case.
NOT_RECORDS = {
    "orgs:reference_create": "the parameter is a list name (tiers, regions…), not a record",
    "orgs:invitation_accept": "a signed token, not an id; forged and used tokens are tested in test_people",
}
