"""Isolation, URL by URL: every URL of ours that takes a parameter, every API route and every
file download answers an outsider with the same 404 as a record that does not exist, while
the record's rightful user gets through.

The outsiders: Alice (partner admin of Alder Creek) against other partners' records; Bob (a
sales rep there) against his own admin's pages; Carol against Alice's company; Evan (channel
manager, EMEA) against Dana's partners; a content owner of another department against
Sales' items; and, for file downloads, an anonymous visitor. A new URL or API route with a
parameter fails `test_every_url_with_an_id_has_a_case` until tests/isolation_cases/ has one.
"""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import Personas
from tests.isolation_cases import Case, gather
from touchpoint.kernel.apiauth import scopes_allowed
from touchpoint.kernel.models import ApiToken

MISSING = 987_654
ALL_SCOPES = ["orgs:read", "orgs:write", "users:read", "users:write", "content:read"]

CASES, API_CASES, NOT_RECORDS = gather()


def _patterns() -> dict[str, Any]:
    """Every named URL of ours (its view lives in a touchpoint app, or it is an API route)
    that takes a parameter, with its view."""
    found: dict[str, Any] = {}

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, ":".join(n for n in (namespace, entry.namespace or "") if n))
            elif isinstance(entry, URLPattern) and entry.name and entry.pattern.converters:
                module = getattr(entry.callback, "__module__", "")
                if module.startswith("touchpoint.") or namespace == "api":
                    found[f"{namespace}:{entry.name}" if namespace else entry.name] = entry.callback

    walk(get_resolver(), "")
    return found


def _serves_files(view: Any) -> bool:
    """Does the view (under its decorators) hand out a stored file?"""
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    try:
        return "serve_file(" in inspect.getsource(view)
    except (OSError, TypeError):
        return False


def _page(response: Any, url: str) -> str:
    """The response body without its per-response CSRF token and the URL asked for."""
    body = response.content.decode(errors="replace").replace(url, "URL")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", body)


def test_every_url_with_an_id_has_a_case() -> None:
    patterns = set(_patterns())
    covered = set(CASES) | set(API_CASES) | set(NOT_RECORDS)
    missing = patterns - covered
    assert not missing, f"Add an isolation case in tests/isolation_cases/ for: {sorted(missing)}"
    in_query = {name for name, case in API_CASES.items() if "?" in case.path}
    stale = (set(CASES) | set(API_CASES)) - patterns - in_query
    assert not stale, f"Cases for URLs that no longer exist: {sorted(stale)}"


def test_every_file_download_is_a_file_view() -> None:
    """Views that serve files answer anonymous visitors with 404 too (kernel.files.file_view),
    not with a sign-in page that would confirm the file exists."""
    undecorated = [
        name
        for name, view in _patterns().items()
        if _serves_files(view) and not getattr(view, "serves_files", False)
    ]
    assert not undecorated, f"Decorate with kernel.files.file_view: {sorted(undecorated)}"


SCENES = [(name, index) for name in sorted(CASES) for index in range(len(CASES[name]))]


@pytest.mark.parametrize(("name", "scene"), SCENES)
def test_it_refuses_everyone_outside_the_record(personas: Personas, name: str, scene: int) -> None:
    case: Case = CASES[name][scene]
    obj = case.target(personas)
    args = case.args(obj)
    url = reverse(name, args=args)
    missing_url = reverse(name, args=case.missing(obj) if case.missing else [*args[:-1], MISSING])
    data = case.data(obj) if callable(case.data) else case.data or {}

    strangers: list[tuple[str, Client]] = [
        (outsider.email, personas.client(outsider)) for outsider in case.outsiders(personas)
    ]
    if _serves_files(_patterns()[name]):
        strangers.append(("an anonymous visitor", Client()))
    for who, client in strangers:
        forbidden = getattr(client, case.method)(url, data)
        missing = getattr(client, case.method)(missing_url, data)
        assert forbidden.status_code == 404, f"{name}: {who} got {forbidden.status_code}"
        assert missing.status_code == 404, f"{name}: {who} got {missing.status_code} for nothing"
        assert _page(forbidden, url) == _page(missing, missing_url), (
            f"{name}: for {who}, missing and forbidden must look alike"
        )

    # The same URL works for someone entitled to it, so the 404s are isolation, not a typo.
    allowed = getattr(personas.client(case.owner(personas)), case.method)(url, data)
    assert allowed.status_code in (200, 204, 302), f"{name}: the owner got {allowed.status_code}"


def _api_call(client: Client, method: str, path: str, secret: str, body: Any) -> Any:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if body is not None:
        headers.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, **headers)


@pytest.mark.parametrize("name", sorted(API_CASES))
def test_the_api_refuses_everyone_outside_the_record(personas: Personas, name: str) -> None:
    case = API_CASES[name]
    target = case.target(personas)
    for outsider in case.outsiders(personas):
        # Every scope written on the token; it is granted those its owner's role allows. A
        # call that needs one they may not hold (Bob changing a partner) is refused before
        # any record is looked up: the same 403 for an existing record and a missing one.
        secret = ApiToken.issue(outsider, "t", ALL_SCOPES)[1]
        forbidden = _api_call(Client(), case.method, case.path.format(target.pk), secret, case.body)
        missing = _api_call(Client(), case.method, case.path.format(MISSING), secret, case.body)
        holds_every_scope = set(ALL_SCOPES) <= set(scopes_allowed(outsider))
        assert forbidden.status_code == missing.status_code, f"{name}: {outsider.email}"
        assert forbidden.status_code == 404 or (
            forbidden.status_code == 403 and not holds_every_scope
        ), f"{name}: {outsider.email} got {forbidden.status_code}"
        assert forbidden.json() == missing.json()
    secret = ApiToken.issue(case.owner(personas), "t", ALL_SCOPES)[1]
    allowed = _api_call(Client(), case.method, case.path.format(target.pk), secret, case.body)
    assert allowed.status_code in (200, 201, 204), f"{name}: the owner got {allowed.status_code}"
