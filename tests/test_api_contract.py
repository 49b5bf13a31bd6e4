"""Real calls to every API operation, for its success and each error it documents, checked
by openapi-core (an implementation nobody here wrote) against /api/v1/openapi.json: the
request as the description says it may (or may not) be sent, the response as it says it
comes back. A new operation, or a new documented status, fails the coverage test until it
has a call here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.exceptions import OpenAPIError

from conftest import Personas
from touchpoint.kernel.apiauth import scopes_allowed
from touchpoint.kernel.models import ApiToken, PortalSettings

MISSING = 987_654


@dataclass
class Call:
    operation: str  # "METHOD /path/{param}" as in the description
    who: str | None  # a persona, or None for a call with no credentials
    status: int
    path: dict[str, Callable[[Personas], int]] = field(default_factory=dict)
    query: str = ""
    body: Any = None  # a dict (or a function of the personas giving one) goes as JSON; a str as is
    scopes: list[str] | None = None  # None: every scope the person may hold
    # False where the description itself says the request is wrong (bad input, no
    # credentials): openapi-core must refuse it as the server does.
    as_described: bool = True
    staff_mfa_required: bool = False

    @property
    def id(self) -> str:
        return f"{self.operation} -> {self.status} ({self.who or 'nobody'})"


ORG = "/api/v1/orgs/{org_id}"
USER = "/api/v1/users/{user_id}"
NEW_PARTNER = {"name": "Quarry Hill", "type": "dealer", "country": "US"}
NEW_PERSON = {"email": "dan@aldercreek.example", "name": "Dan Ruiz"}


def _person_at(partner: Callable[[Personas], int], **changes: Any) -> Callable[[Personas], Any]:
    return lambda p: {**NEW_PERSON, "partner_id": partner(p), **changes}


def _own(p: Personas) -> int:
    return p.dealer_a.pk


def _other(p: Personas) -> int:
    return p.dealer_b.pk


def _missing(p: Personas) -> int:
    return MISSING


CALLS = [
    Call("GET /api/v1/me", "bob", 200),
    Call("GET /api/v1/me", None, 401, as_described=False),
    Call("GET /api/v1/me", "dana", 403, staff_mfa_required=True),
    Call("GET /api/v1/orgs", "alice", 200, query="tier=Gold&limit=10"),
    Call("GET /api/v1/orgs", None, 401, as_described=False),
    Call("GET /api/v1/orgs", "alice", 403, scopes=["users:read"]),
    Call("GET /api/v1/orgs", "alice", 422, query="limit=0", as_described=False),
    Call("POST /api/v1/orgs", "pat", 201, body=NEW_PARTNER),
    Call("POST /api/v1/orgs", "pat", 400, body="{not json", as_described=False),
    Call("POST /api/v1/orgs", None, 401, body=NEW_PARTNER, as_described=False),
    Call("POST /api/v1/orgs", "dana", 403, body=NEW_PARTNER),  # portal admins only
    Call("POST /api/v1/orgs", "pat", 404, body={**NEW_PARTNER, "parent_id": MISSING}),
    Call("POST /api/v1/orgs", "pat", 422, body={**NEW_PARTNER, "city": None}, as_described=False),
    Call("POST /api/v1/orgs", "pat", 422, body={**NEW_PARTNER, "tier": "Diamond"}),
    Call(f"GET {ORG}", "alice", 200, path={"org_id": _own}),
    Call(f"GET {ORG}", None, 401, path={"org_id": _own}, as_described=False),
    Call(f"GET {ORG}", "alice", 403, path={"org_id": _own}, scopes=["content:read"]),
    Call(f"GET {ORG}", "alice", 404, path={"org_id": _other}),
    Call(f"PATCH {ORG}", "alice", 200, path={"org_id": _own}, body={"city": "Rutland"}),
    Call(f"PATCH {ORG}", "alice", 400, path={"org_id": _own}, body="city=", as_described=False),
    Call(f"PATCH {ORG}", None, 401, path={"org_id": _own}, body={}, as_described=False),
    Call(f"PATCH {ORG}", "alice", 403, path={"org_id": _own}, body={"tier": "Platinum"}),
    Call(f"PATCH {ORG}", "alice", 404, path={"org_id": _other}, body={"city": "Rutland"}),
    Call(f"PATCH {ORG}", "alice", 422, path={"org_id": _own}, body={"city": None},
         as_described=False),
    Call(f"PATCH {ORG}", "alice", 422, path={"org_id": _own}, body={"website": "nowhere"}),
    Call("GET /api/v1/users", "alice", 200, query="status=active"),
    Call("GET /api/v1/users", None, 401, as_described=False),
    Call("GET /api/v1/users", "alice", 403, scopes=["orgs:read"]),
    Call("GET /api/v1/users", "alice", 404, query=f"partner_id={MISSING}"),
    Call("GET /api/v1/users", "alice", 422, query="offset=-1", as_described=False),
    Call("POST /api/v1/users", "alice", 201, body=_person_at(_own)),
    Call("POST /api/v1/users", "alice", 400, body="[", as_described=False),
    Call("POST /api/v1/users", None, 401, body=_person_at(_own), as_described=False),
    Call("POST /api/v1/users", "alice", 403, body=_person_at(_own), scopes=["users:read"]),
    Call("POST /api/v1/users", "alice", 404, body=_person_at(_other)),
    Call("POST /api/v1/users", "alice", 422, body=_person_at(_own, email="dan"),
         as_described=False),
    Call(f"GET {USER}", "alice", 200, path={"user_id": lambda p: p.bob.pk}),
    Call(f"GET {USER}", None, 401, path={"user_id": lambda p: p.bob.pk}, as_described=False),
    Call(f"GET {USER}", "alice", 403, path={"user_id": lambda p: p.bob.pk}, scopes=["orgs:read"]),
    Call(f"GET {USER}", "alice", 404, path={"user_id": lambda p: p.carol.pk}),
    Call(f"POST {USER}/deactivate", "alice", 200, path={"user_id": lambda p: p.hannah.pk}),
    Call(f"POST {USER}/deactivate", None, 401, path={"user_id": lambda p: p.hannah.pk},
         as_described=False),
    Call(f"POST {USER}/deactivate", "bob", 403, path={"user_id": lambda p: p.hannah.pk}),
    Call(f"POST {USER}/deactivate", "alice", 404, path={"user_id": _missing}),
    Call("GET /api/v1/search", "bob", 200, query="q=warranty"),
    Call("GET /api/v1/search", None, 401, query="q=warranty", as_described=False),
    Call("GET /api/v1/search", "bob", 403, query="q=warranty", scopes=["orgs:read"]),
    Call("GET /api/v1/search", "bob", 422, as_described=False),  # no words to look for
    Call("GET /api/v1/context", "bob", 200, query="app=pos&screen=extended-warranty"),
    Call("GET /api/v1/context", None, 401, query="app=pos", as_described=False),
    Call("GET /api/v1/context", "bob", 403, query="app=pos", scopes=["orgs:read"]),
    Call("GET /api/v1/context", "bob", 422, query="app=" + "p" * 201, as_described=False),
]  # fmt: skip


@pytest.fixture
def described(client: Client) -> OpenAPI:
    return OpenAPI.from_dict(client.get("/api/v1/openapi.json").json())


def _send(call: Call, p: Personas) -> Any:
    method, template = call.operation.split(" ", 1)
    path = template.format(**{name: get(p) for name, get in call.path.items()})
    headers: dict[str, Any] = {}
    if call.who is not None:
        person = getattr(p, call.who)
        scopes = call.scopes if call.scopes is not None else scopes_allowed(person)
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(person, 'test', scopes)[1]}"
    if call.staff_mfa_required:
        PortalSettings.objects.filter(pk=1).update(require_mfa_for_staff=True)
    body = call.body(p) if callable(call.body) else call.body
    if body is not None:
        headers["data"] = body if isinstance(body, str) else json.dumps(body)
        headers["content_type"] = "application/json"
    url = path + (f"?{call.query}" if call.query else "")
    return getattr(Client(), method.lower())(url, **headers)


@pytest.mark.parametrize("call", CALLS, ids=[c.id for c in CALLS])
def test_each_answer_is_the_one_the_description_promises(
    personas: Personas, described: OpenAPI, call: Call
) -> None:
    response = _send(call, personas)
    assert response.status_code == call.status, response.content
    request = DjangoOpenAPIRequest(response.wsgi_request)
    if call.as_described:
        described.validate_request(request)
    else:
        with pytest.raises(OpenAPIError):
            described.validate_request(request)
    described.validate_response(request, DjangoOpenAPIResponse(response))


def test_every_operation_has_a_call_for_its_success_and_each_error_it_documents(
    described: OpenAPI, client: Client
) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    documented = {
        (f"{method.upper()} {path}", int(status))
        for path, operations in paths.items()
        for method, operation in operations.items()
        for status in operation["responses"]
    }
    called = {(call.operation, call.status) for call in CALLS}
    assert documented == called
