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
)


def _application(p: Personas) -> PartnerApplication:
    terms = ProgramTerms.objects.create(version="1", title="T", body="b")
    return PartnerApplication.objects.create(
        company_name="Quarry Hill", kind="dealer", country="US", contact_name="Rosa",
        contact_email="rosa@quarry.example", terms=terms, region=p.regions["nae"],
    )  # fmt: skip


CASES: dict[str, Case] = {
    # Partners and their people: Carol's Birchwood, which Dana manages.
    "orgs:partner_detail": Case(lambda p: p.dealer_b, lambda p: p.carol),
    "orgs:partner_edit": Case(lambda p: p.dealer_b, lambda p: p.carol),
    "orgs:location_create": Case(lambda p: p.dealer_b, lambda p: p.carol),
    "orgs:partner_invite": Case(lambda p: p.dealer_b, lambda p: p.carol),
    "orgs:person_detail": Case(lambda p: p.carol, lambda p: p.dana),
    "orgs:person_edit": Case(lambda p: p.carol, lambda p: p.dana),
    "orgs:person_deactivate": Case(lambda p: p.carol, lambda p: p.pat, "post"),
    "orgs:person_reactivate": Case(lambda p: p.carol, lambda p: p.pat, "post"),
    "orgs:person_resend_invite": Case(lambda p: p.carol, lambda p: p.pat, "post"),
    # Vendor records: only staff with the right role.
    "orgs:staff_edit": Case(lambda p: p.dana, lambda p: p.pat),
    "orgs:reference_edit": Case(
        lambda p: p.tiers["Gold"], lambda p: p.pat, args=lambda t: ["tiers", t.pk]
    ),
    "orgs:group_detail": Case(lambda p: PeopleGroup.objects.create(name="Pilots"), lambda p: p.pat),
    "orgs:import_detail": Case(
        lambda p: ImportBatch.objects.create(
            kind="partners",
            filename="x.csv",
            content="partner_number,name,type,country\nP-1,X,dealer,US\n",
            created_by=p.pat,
        ),
        lambda p: p.pat,
    ),
    "orgs:application_detail": Case(_application, lambda p: p.dana),
    "portal:audit_entry": Case(
        lambda p: audit.record(p.carol, "person.updated", p.carol), lambda p: p.pat
    ),
    "orgs:audience_detail": Case(lambda p: Audience.objects.create(name="A"), lambda p: p.mia),
    "orgs:audience_edit": Case(lambda p: Audience.objects.create(name="A"), lambda p: p.mia),
    # Personal records: Carol's own notification and API token.
    "portal:notification_open": Case(
        lambda p: Notification.objects.create(recipient=p.carol, kind="team", title="x", url="/"),
        lambda p: p.carol,
        "post",
    ),
    "portal:api_token_revoke": Case(
        lambda p: ApiToken.issue(p.carol, "CRM", ["orgs:read"])[0], lambda p: p.carol, "post"
    ),
}

# URL patterns with a path parameter that is not a record id, and why they need no case.
NOT_RECORDS = {
    "orgs:reference_create": "the parameter is a list name (tiers, regions…), not a record",
    "orgs:invitation_accept": "a signed token, not an id; forged and used tokens are tested in test_people",
}
