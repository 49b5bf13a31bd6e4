"""Bad input to the partner and people API is refused with a 422 that says what is wrong,
never stored half-way and never a server error: the schemas hold what the models can store."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from touchpoint.kernel.models import ApiToken
from touchpoint.orgs.models import Partner, User


def _call(method, path, user, body):  # type: ignore[no-untyped-def]
    secret = ApiToken.issue(user, "test", ["orgs:write", "users:write"])[1]
    return getattr(Client(raise_request_exception=False), method)(
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _complaint(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] and body["errors"], body
    return json.dumps(body)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("city", None),
        ("website", None),
        ("phone", None),
        ("name", None),
        ("is_active", None),
        ("name", ""),
        ("city", "x" * 121),
        ("phone", "1" * 41),
        ("website", "not a web address"),
        ("website", "https://" + "a" * 200 + ".example"),
    ],
)
def test_alice_changing_her_company_with_what_it_cannot_store_gets_a_422(personas, field, value):
    p = personas
    before = Partner.objects.get(pk=p.dealer_a.pk)
    response = _call("patch", f"/orgs/{p.dealer_a.pk}", p.alice, {field: value})
    assert field in _complaint(response)
    after = Partner.objects.get(pk=p.dealer_a.pk)
    assert (after.name, after.city, after.website, after.phone) == (
        before.name,
        before.city,
        before.website,
        before.phone,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "spaceship"),
        ("type", None),
        ("country", "ZZ"),
        ("city", None),
        ("name", "n" * 201),
        ("website", "ftp:/nowhere"),
        ("partner_number", "p" * 65),
    ],
)
def test_pat_creating_a_partner_with_what_it_cannot_store_gets_a_422(personas, field, value):
    body = {"name": "Quarry Hill", "type": "dealer", "country": "US", field: value}
    response = _call("post", "/orgs", personas.pat, body)
    assert field in _complaint(response)
    assert not Partner.objects.filter(name="Quarry Hill").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", None),
        ("name", "n" * 151),
        ("title", "t" * 121),
        ("title", None),
        ("language", "xx"),
        ("access", "owner"),
    ],
)
def test_alice_inviting_someone_with_what_cannot_be_stored_gets_a_422(personas, field, value):
    p = personas
    body = {"email": "dan@aldercreek.example", "name": "Dan", "partner_id": p.dealer_a.pk}
    response = _call("post", "/users", p.alice, {**body, field: value})
    assert field in _complaint(response)
    assert not User.objects.filter(name="Dan").exists()


def test_evan_cannot_move_fjord_maskin_into_a_region_he_does_not_look_after(personas):
    # The partner form offers Evan only his own regions; the API holds him to the same rule.
    p = personas
    response = _call("patch", f"/orgs/{p.dealer_c.pk}", p.evan, {"region": "North America East"})
    assert "region" in _complaint(response)
    assert Partner.objects.get(pk=p.dealer_c.pk).region.name == "EMEA"
    assert _call("patch", f"/orgs/{p.dealer_c.pk}", p.evan, {"region": "EMEA"}).status_code == 200
