"""Partner isolation, URL by URL: every URL that takes an id answers Alice (partner admin of
Alder Creek) with the same 404 for another partner's record as for a record that does not
exist, while the record's rightful user gets through. A new URL pattern with an id fails
`test_every_url_with_an_id_has_a_cross_partner_case` until a case is added here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import Personas
from touchpoint.core import audit
from touchpoint.core.models import ApiToken, Audience, Notification
from touchpoint.orgs.models import ImportBatch, PartnerApplication, PeopleGroup, ProgramTerms, User

MISSING = 987_654


@dataclass
class Case:
    """How to reach one URL: the record that is not Alice's, and who may open it."""

    target: Callable[[Personas], Any]  # the other partner's (or the vendor's) record
    owner: Callable[[Personas], User]  # someone who may open it
    method: str = "get"
    args: Callable[[Any], list[Any]] = lambda obj: [obj.pk]


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
    "core:audit_entry": Case(
        lambda p: audit.record(p.carol, "person.updated", p.carol), lambda p: p.pat
    ),
    "core:audience_detail": Case(lambda p: Audience.objects.create(name="A"), lambda p: p.mia),
    "core:audience_edit": Case(lambda p: Audience.objects.create(name="A"), lambda p: p.mia),
    # Personal records: Carol's own notification and API token.
    "core:notification_open": Case(
        lambda p: Notification.objects.create(recipient=p.carol, kind="team", title="x", url="/"),
        lambda p: p.carol,
        "post",
    ),
    "core:api_token_revoke": Case(
        lambda p: ApiToken.issue(p.carol, "CRM", ["orgs:read"])[0], lambda p: p.carol, "post"
    ),
}

# URL patterns with a path parameter that is not a record id, and why they need no case.
NOT_RECORDS = {
    "orgs:reference_create": "the parameter is a list name (tiers, regions…), not a record",
    "orgs:invitation_accept": "a signed token, not an id; forged and used tokens are tested in test_people",
}
OUR_NAMESPACES = {"core", "orgs", ""}


def _patterns_with_parameters() -> set[str]:
    found: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in (None, "core", "orgs"):
                    walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and entry.pattern.converters:
                found.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver(), "")
    return found


def _page(response: Any, url: str) -> str:
    """The response body without its per-response CSRF token and the URL asked for."""
    body = response.content.decode().replace(url, "URL")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", body)


def test_every_url_with_an_id_has_a_cross_partner_case() -> None:
    missing = _patterns_with_parameters() - set(CASES) - set(NOT_RECORDS)
    assert not missing, (
        f"Add a cross-partner case to tests/test_isolation.py for: {sorted(missing)}"
    )
    stale = set(CASES) - _patterns_with_parameters()
    assert not stale, f"Cases for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_rejects_other_partner(personas: Personas, name: str) -> None:
    case = CASES[name]
    obj = case.target(personas)
    url = reverse(name, args=case.args(obj))
    args = case.args(obj)
    missing_url = reverse(name, args=[*args[:-1], MISSING])
    alice = personas.client(personas.alice)

    forbidden = getattr(alice, case.method)(url)
    missing = getattr(alice, case.method)(missing_url)
    assert forbidden.status_code == 404, f"{name}: Alice got {forbidden.status_code}"
    assert missing.status_code == 404
    assert _page(forbidden, url) == _page(missing, missing_url), (
        "missing and forbidden must look alike"
    )

    # The same URL works for someone entitled to it, so the 404 above is isolation, not a typo.
    allowed = getattr(personas.client(case.owner(personas)), case.method)(url)
    assert allowed.status_code in (200, 302), f"{name}: the owner got {allowed.status_code}"


API_CASES = [
    ("get", "/api/v1/orgs/{dealer_b}", None),
    ("patch", "/api/v1/orgs/{dealer_b}", {"phone": "1"}),
    ("get", "/api/v1/users/{carol}", None),
    ("post", "/api/v1/users/{carol}/deactivate", None),
    ("get", "/api/v1/users?partner_id={dealer_b}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), API_CASES)
def test_the_api_rejects_other_partner(
    personas: Personas, method: str, path: str, body: Any
) -> None:
    import json

    secret = ApiToken.issue(
        personas.alice, "t", ["orgs:read", "orgs:write", "users:read", "users:write"]
    )[1]
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if body is not None:
        headers.update(data=json.dumps(body), content_type="application/json")
    from django.test import Client

    client = Client()
    forbidden = getattr(client, method)(
        path.format(dealer_b=personas.dealer_b.pk, carol=personas.carol.pk), **headers
    )
    missing = getattr(client, method)(path.format(dealer_b=MISSING, carol=MISSING), **headers)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
