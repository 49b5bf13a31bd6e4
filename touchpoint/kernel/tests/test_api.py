"""The REST API: scoped, hashed, revocable tokens; the same isolation as the screens."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from touchpoint.kernel.models import ApiToken
from touchpoint.orgs.models import Partner, User


@pytest.fixture
def api():
    class Api:
        def __init__(self) -> None:
            self.client = Client()

        def call(self, method, path, token, body=None):  # type: ignore[no-untyped-def]
            kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            if body is not None:
                kwargs.update(data=json.dumps(body), content_type="application/json")
            return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    return Api()


def token_for(user, *scopes):  # type: ignore[no-untyped-def]
    return ApiToken.issue(user, "test", list(scopes or ["orgs:read", "users:read"]))[1]


def test_the_openapi_description_is_published(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Touchpoint API"
    assert {"/api/v1/orgs", "/api/v1/users", "/api/v1/me"} <= set(schema["paths"])


def test_tokens_are_stored_only_as_a_hash(personas):
    token, secret = ApiToken.issue(personas.alice, "CRM sync", ["users:read"])
    assert secret.startswith("tp_") and secret not in (token.key_hash, token.lookup)
    assert not ApiToken.objects.filter(key_hash=secret).exists()


def test_a_token_acts_as_its_owner_and_records_its_use(personas, api):
    secret = token_for(personas.alice)
    me = api.call("get", "/me", secret).json()
    assert (me["email"], me["access"], me["partner_id"]) == (
        "alice@aldercreek.example",
        "admin",
        personas.dealer_a.pk,
    )
    assert ApiToken.objects.get().last_used_at is not None


def test_alice_lists_only_her_company_and_people(personas, api):
    p = personas
    secret = token_for(p.alice)
    orgs = api.call("get", "/orgs", secret).json()
    assert {o["name"] for o in orgs["items"]} == {p.dealer_a.name, p.rutland.name}
    rutland = next(o for o in orgs["items"] if o["type"] == "location")
    assert rutland["tier"] == "Gold"  # a location reports its dealer's tier
    people = api.call("get", "/users?status=active", secret).json()
    assert {u["email"] for u in people["items"]} == {p.alice.email, p.bob.email, p.hannah.email}


def test_another_partners_records_are_404_like_missing_ones(personas, api):
    p = personas
    secret = token_for(p.alice)
    for path in (f"/orgs/{p.dealer_b.pk}", "/orgs/999999", f"/users/{p.carol.pk}", "/users/999999"):
        response = api.call("get", path, secret)
        assert response.status_code == 404 and response.json() == {"detail": "Not found"}, path
    assert api.call("get", f"/users?partner_id={p.dealer_b.pk}", secret).status_code == 404


def test_a_channel_manager_sees_only_their_partners(personas, api):
    p = personas
    names = {
        o["name"] for o in api.call("get", "/orgs?limit=100", token_for(p.evan)).json()["items"]
    }
    assert names == {p.meridian.name, p.dealer_c.name}


def test_scopes_limit_what_a_token_may_do(personas, api):
    p = personas
    read_only = token_for(p.alice, "orgs:read")
    refused = api.call("get", "/users", read_only)
    assert refused.status_code == 403 and "users:read" in refused.json()["detail"]
    body = {"email": "dan@aldercreek.example", "name": "Dan", "partner_id": p.dealer_a.pk}
    assert api.call("post", "/users", read_only, body).status_code == 403
    writer = token_for(p.alice, "users:write")
    created = api.call("post", "/users", writer, body)
    assert created.status_code == 201 and created.json()["status"] == "invited"
    # Inviting into another company: 404, as if it did not exist.
    other = api.call(
        "post", "/users", writer, {**body, "email": "x@y.example", "partner_id": p.dealer_b.pk}
    )
    assert other.status_code == 404
    duplicate = api.call("post", "/users", writer, body)
    assert duplicate.status_code == 422 and "already has an account" in json.dumps(duplicate.json())


def test_revoked_expired_and_unknown_tokens_are_refused(personas, api):
    from datetime import timedelta

    from django.utils import timezone

    p = personas
    token, secret = ApiToken.issue(p.alice, "t", ["orgs:read"])
    token.revoked_at = timezone.now()
    token.save()
    assert api.call("get", "/me", secret).status_code == 401
    _expired, secret2 = ApiToken.issue(
        p.alice, "t", ["orgs:read"], timezone.now() - timedelta(seconds=1)
    )
    assert api.call("get", "/me", secret2).status_code == 401
    assert api.call("get", "/me", "tp_nonsense").status_code == 401
    assert Client().get("/api/v1/me").status_code == 401


def test_only_portal_admins_create_partners_and_partner_admins_cannot_change_tier(personas, api):
    p = personas
    body = {
        "name": "Quarry Hill",
        "type": "dealer",
        "country": "us",
        "tier": "Gold",
        "partner_number": "P-77",
    }
    assert api.call("post", "/orgs", token_for(p.dana, "orgs:write"), body).status_code == 403
    created = api.call("post", "/orgs", token_for(p.pat, "orgs:write"), body)
    assert created.status_code == 201 and created.json()["country"] == "US"
    bad = api.call(
        "post",
        "/orgs",
        token_for(p.pat, "orgs:write"),
        {**body, "tier": "Diamond", "partner_number": "P-78"},
    )
    assert bad.status_code == 422
    alice_writer = token_for(p.alice, "orgs:write")
    assert (
        api.call("patch", f"/orgs/{p.dealer_a.pk}", alice_writer, {"tier": "Platinum"}).status_code
        == 403
    )
    renamed = api.call("patch", f"/orgs/{p.dealer_a.pk}", alice_writer, {"phone": "+1 555 0100"})
    assert (
        renamed.status_code == 200 and Partner.objects.get(pk=p.dealer_a.pk).phone == "+1 555 0100"
    )


def test_a_session_can_use_the_api_from_the_browser(personas):
    client = personas.client(personas.bob)
    assert client.get("/api/v1/me").json()["email"] == "bob@aldercreek.example"


def test_tokens_are_created_shown_once_and_revoked_from_the_profile(personas):
    p = personas
    bob = p.client(p.bob)
    page = bob.post(
        "/me/tokens/", {"name": "Phone app", "scopes": ["users:read"], "expires_in": "30"}
    ).content.decode()
    token = ApiToken.objects.get(user=p.bob)
    assert "shown only once" in page and token.lookup in page
    assert bob.get("/me/tokens/").content.decode().count("tp_") == 1  # only the lookup prefix now
    assert p.client(p.alice).post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    bob.post(f"/me/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    # A portal admin can revoke anyone's token.
    other, _secret = ApiToken.issue(p.carol, "x", ["orgs:read"])
    p.client(p.pat).post(f"/me/tokens/{other.pk}/revoke/")
    other.refresh_from_db()
    assert other.revoked_at is not None
    assert User.objects.get(pk=p.bob.pk).notifications.filter(kind="account").exists()


# --- the staff MFA policy reaches the API (issue 11 item 2) ------------------------------------
def _require_staff_mfa() -> None:
    from touchpoint.kernel.models import PortalSettings

    PortalSettings.objects.filter(pk=1).update(require_mfa_for_staff=True)


def _set_up_totp(user):  # type: ignore[no-untyped-def]
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})


def _browser_of(user):  # type: ignore[no-untyped-def]
    """A signed-in browser that sends its CSRF token the way the portal's pages do."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get("/accounts/2fa/totp/activate/", follow=True)  # any form page sets the cookie
    return browser, browser.cookies["csrftoken"].value


def test_dana_without_an_authenticator_cannot_change_a_partner_from_her_browser_session(
    personas,
):
    p = personas
    _require_staff_mfa()
    dana, csrf = _browser_of(p.dana)
    patch = {"data": json.dumps({"phone": "+1 555 0199"}), "content_type": "application/json"}
    refused = dana.patch(f"/api/v1/orgs/{p.dealer_a.pk}", **patch, HTTP_X_CSRFTOKEN=csrf)
    assert refused.status_code == 403
    assert "two-factor" in refused.json()["detail"]
    assert "/accounts/2fa/totp/activate/" in refused.json()["detail"]
    assert dana.get("/api/v1/me").status_code == 403  # reads too, as every page
    assert Partner.objects.get(pk=p.dealer_a.pk).phone != "+1 555 0199"
    # Once she has set up her authenticator app, the same call goes through.
    _set_up_totp(p.dana)
    done = dana.patch(f"/api/v1/orgs/{p.dealer_a.pk}", **patch, HTTP_X_CSRFTOKEN=csrf)
    assert done.status_code == 200 and done.json()["phone"] == "+1 555 0199"


def test_partner_people_use_the_api_from_the_browser_when_staff_must_use_mfa(personas):
    _require_staff_mfa()
    assert personas.client(personas.bob).get("/api/v1/me").status_code == 200


def test_staff_who_must_use_mfa_get_api_tokens_only_once_it_is_set_up(personas, settings, api):
    from django.core.exceptions import ValidationError

    from touchpoint.kernel import actions

    p = personas
    older, secret = ApiToken.issue(p.dana, "From before the rule", ["orgs:read"])
    _require_staff_mfa()
    with pytest.raises(ValidationError, match="two-factor"):
        actions.create_api_token(p.dana, "CRM sync", ["orgs:read"], None)
    # A token made before the rule does not get around it either.
    refused = api.call("get", "/me", secret)
    assert refused.status_code == 403 and "two-factor" in refused.json()["detail"]
    # The middleware sends her to the set-up before any page; should the screen still be
    # reached, it says why there is no form and where to set MFA up.
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("RequireStaffMfaMiddleware")
    ]
    dana = p.client(p.dana)
    page = dana.get("/me/tokens/").content.decode()
    assert "two-factor" in page and 'href="/accounts/2fa/totp/activate/"' in page
    assert 'name="scopes"' not in page
    dana.post("/me/tokens/", {"name": "CRM sync", "scopes": ["orgs:read"], "expires_in": "30"})
    assert list(ApiToken.objects.filter(user=p.dana)) == [older]
    _set_up_totp(p.dana)
    assert api.call("get", "/me", secret).status_code == 200
    dana.post("/me/tokens/", {"name": "CRM sync", "scopes": ["orgs:read"], "expires_in": "30"})
    assert ApiToken.objects.filter(user=p.dana, name="CRM sync").exists()


# --- scopes a person may hold (issue 11 item 13) -----------------------------------------------
READ_SCOPES = {"orgs:read", "users:read", "content:read"}
WRITE_SCOPES = {"orgs:write", "users:write"}


@pytest.mark.parametrize(
    ("persona", "may_change_partners_and_people"),
    [
        ("bob", False),  # a sales rep: he changes neither his company nor anyone in it
        ("hannah", False),
        ("alice", True),  # partner admin: her company, its locations and team
        ("dana", True),  # channel manager: her partners
        ("pat", True),  # portal admin
        ("mia", False),  # content owner and trainer: reads people, changes none
    ],
)
def test_the_token_screen_offers_only_the_scopes_a_persons_role_allows(
    personas, persona, may_change_partners_and_people
):
    import re

    page = personas.client(getattr(personas, persona)).get("/me/tokens/").content.decode()
    offered = set(re.findall(r'name="scopes" value="([a-z]+:[a-z]+)"', page))
    expected = READ_SCOPES | (WRITE_SCOPES if may_change_partners_and_people else set())
    assert offered == expected


def test_bob_cannot_get_a_write_token_by_posting_the_form_or_calling_the_action(personas):
    from django.core.exceptions import ValidationError

    from touchpoint.kernel import actions

    p = personas
    page = p.client(p.bob).post(
        "/me/tokens/", {"name": "Sneaky", "scopes": ["users:write"], "expires_in": "30"}
    )
    assert page.status_code == 200 and not ApiToken.objects.filter(user=p.bob).exists()
    with pytest.raises(ValidationError, match="users:write"):
        actions.create_api_token(p.bob, "Sneaky", ["users:read", "users:write"], None)
    assert not ApiToken.objects.filter(user=p.bob).exists()


def test_a_token_loses_the_write_scopes_its_owner_no_longer_may_hold(personas, api):
    from touchpoint.kernel import actions
    from touchpoint.orgs.models import PartnerRole

    p = personas
    _token, secret = actions.create_api_token(p.alice, "CRM", ["orgs:read", "orgs:write"], None)
    change = {"phone": "+1 555 0142"}
    assert api.call("patch", f"/orgs/{p.dealer_a.pk}", secret, change).status_code == 200
    User.objects.filter(pk=p.alice.pk).update(partner_role=PartnerRole.MEMBER)
    refused = api.call("patch", f"/orgs/{p.dealer_a.pk}", secret, {"phone": "+1 555 0143"})
    assert refused.status_code == 403 and "orgs:write" in refused.json()["detail"]
    assert api.call("get", f"/orgs/{p.dealer_a.pk}", secret).status_code == 200
