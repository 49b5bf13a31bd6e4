"""Isolation cases for the REST API: another partner's organisation and people, through a
token that has every scope (a token never reaches beyond its owner)."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import ApiCase
from touchpoint.orgs.models import User


def outsiders(p: Personas) -> list[User]:
    # Alice and Bob at another partner, and the channel manager of another region.
    return [p.alice, p.bob, p.evan]


API_CASES = {
    "api:get_org": ApiCase("get", "/api/v1/orgs/{}", lambda p: p.dealer_b, lambda p: p.carol,
                           outsiders=outsiders),
    "api:update_org": ApiCase("patch", "/api/v1/orgs/{}", lambda p: p.dealer_b, lambda p: p.carol,
                              body={"phone": "1"}, outsiders=outsiders),
    "api:get_user": ApiCase("get", "/api/v1/users/{}", lambda p: p.carol, lambda p: p.dana,
                            outsiders=outsiders),
    # Hannah works at Alice's location: Alice may switch her off; Bob (her colleague), Carol
    # and the other region's channel manager may not.
    "api:deactivate_user": ApiCase("post", "/api/v1/users/{}/deactivate", lambda p: p.hannah,
                                   lambda p: p.alice, outsiders=lambda p: [p.bob, p.carol, p.evan]),
    # A record in the query string rather than the path.
    "api:list_users": ApiCase("get", "/api/v1/users?partner_id={}", lambda p: p.dealer_b,
                              lambda p: p.carol, outsiders=outsiders),
}  # fmt: skip
