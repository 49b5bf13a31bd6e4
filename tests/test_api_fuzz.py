"""Schemathesis fuzzes every operation of the published OpenAPI description, as a partner
member (Bob), a partner admin (Alice), a channel manager (Dana) and a portal admin (Pat),
each with a token of every scope their role allows: no answer is a server error, every
status is one the description documents, and every body matches its documented schema.

The app is called in-process through WSGI (no network); the examples are bounded and
derandomised, so the run is short and the same on every machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from conftest import Personas
from touchpoint.kernel.apiauth import scopes_allowed
from touchpoint.kernel.models import ApiToken
from touchpoint.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


ROLES = ["bob", "alice", "dana", "pat"]  # member, partner admin, channel manager, portal admin

# Read through the app itself, as a client would; publishing it touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def wsgi_in_the_test_transaction() -> Iterator[None]:
    # Each WSGI request ends by recycling database connections; inside a test's transaction
    # that would close the test's own connection (Django's test client unhooks it too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(
    case: Any, role: str, personas: Personas, wsgi_in_the_test_transaction: None
) -> None:
    person = getattr(personas, role)
    secret = ApiToken.issue(person, "fuzz", scopes_allowed(person))[1]
    # Random ids are nearly always missing records (404s, which the isolation test covers);
    # ids of Alder Creek and Hannah (who works there) take the fuzzing into the reads and
    # writes themselves, where bad input used to become a server error.
    ids = {"org_id": personas.dealer_a.pk, "user_id": personas.hannah.pk}
    for name in set(ids) & set(case.path_parameters or {}):
        case.path_parameters[name] = ids[name]
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
