"""Partner isolation, URL by URL: every URL that takes an id answers Alice (partner admin of
Alder Creek) with the same 404 for another partner's record as for a record that does not
exist, while the record's rightful user gets through. A new URL pattern with an id fails
`test_every_url_with_an_id_has_a_cross_partner_case` until a case is added in
tests/isolation_cases/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import Personas
from tests.isolation_cases import gather
from touchpoint.kernel.models import ApiToken

MISSING = 987_654


CASES, NOT_RECORDS = gather()


def _patterns_with_parameters() -> set[str]:
    """Every named URL of ours (its view lives in a touchpoint app) that takes a parameter."""
    found: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
                walk(entry, inner)
            elif (
                isinstance(entry, URLPattern)
                and entry.name
                and entry.pattern.converters
                and getattr(entry.callback, "__module__", "").startswith("touchpoint.")
            ):
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
    missing_args = case.missing(obj) if case.missing else [*args[:-1], MISSING]
    missing_url = reverse(name, args=missing_args)
    alice = personas.client(personas.alice)

    data = case.data(obj) if callable(case.data) else case.data or {}
    forbidden = getattr(alice, case.method)(url, data)
    missing = getattr(alice, case.method)(missing_url, data)
    assert forbidden.status_code == 404, f"{name}: Alice got {forbidden.status_code}"
    assert missing.status_code == 404
    assert _page(forbidden, url) == _page(missing, missing_url), (
        "missing and forbidden must look alike"
    )

    # The same URL works for someone entitled to it, so the 404 above is isolation, not a typo.
    allowed = getattr(personas.client(case.owner(personas)), case.method)(url, data)
    assert allowed.status_code in (200, 204, 302), f"{name}: the owner got {allowed.status_code}"


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
