"""Every page allauth serves (sign-in, sign-out, password reset and change, two-factor
authentication, an inactive account, email confirmation and addresses) is the portal's own:
a template of ours inside the portal's layout, never allauth's plain default. The URLs are
read from allauth's urlconf, so a page a new allauth version (or setting) adds fails here
until it is given a place below."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import allauth.urls
import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from tests.support.factories import PASSWORD

OURS = Path(settings.BASE_DIR) / "touchpoint"

# Who sees each page, and what its URL needs. "visitor": not signed in; "member": Bob,
# signed in with his password; "mfa_member": Hannah, who has an authenticator app and
# recovery codes, signed in with both; "mfa_sign_in": Hannah half-way, password given;
# "member_code_sent": Carol, who asked for a code by email to confirm it is him.
PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "account_login": ("visitor", {}),
    "account_logout": ("member", {}),
    "account_inactive": ("visitor", {}),
    "account_signup": ("visitor", {}),  # closed: people are invited or apply
    "account_reauthenticate": ("member", {}),
    "account_request_reauthentication_code": ("member", {}),
    "account_confirm_reauthentication_code": ("member_code_sent", {}),
    "account_email": ("member", {}),
    "account_email_verification_sent": ("visitor", {}),
    "account_confirm_email": ("visitor", {"key": "not-a-real-key"}),
    "account_change_password": ("member", {}),
    "account_reset_password": ("visitor", {}),
    "account_reset_password_done": ("visitor", {}),
    "account_reset_password_from_key": ("visitor", {"uidb36": "1", "key": "not-a-real-key"}),
    "account_reset_password_from_key_done": ("visitor", {}),
    "mfa_index": ("member", {}),
    "mfa_authenticate": ("mfa_sign_in", {}),
    "mfa_reauthenticate": ("mfa_member", {}),
    "mfa_activate_totp": ("member", {}),
    "mfa_deactivate_totp": ("mfa_member", {}),
    "mfa_view_recovery_codes": ("mfa_member", {}),
    "mfa_generate_recovery_codes": ("mfa_member", {}),
}
# URLs that never render a page of their own here, and why.
NOT_PAGES = {
    "account_set_password": "everyone has a password: it sends them to change it",
    "account_confirm_login_code": "signing in by emailed code is off: back to sign-in",
    "mfa_download_recovery_codes": "a text file to save, not a page",
}


def _names(patterns: list[Any]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def _sign_in(email: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    return client, response


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def visitors(personas: Any) -> dict[str, Client]:
    secret = generate_totp_secret()
    TOTP.activate(personas.hannah, secret)
    RecoveryCodes.activate(personas.hannah)
    member, _ = _sign_in(personas.bob.email)
    half_way, response = _sign_in(personas.hannah.email)
    assert response["Location"] == reverse("mfa_authenticate")
    mfa_member, _ = _sign_in(personas.hannah.email)
    mfa_member.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert mfa_member.get(reverse("home")).status_code == 200
    # Changing how one signs in asks for the password again, even right after signing in.
    for client in (member, mfa_member):
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    code_sent, _ = _sign_in(personas.carol.email)
    code_sent.post(
        reverse("account_request_reauthentication_code"), {"recipient": personas.carol.email}
    )
    return {
        "member_code_sent": code_sent,
        "visitor": Client(),
        "member": member,
        "mfa_sign_in": half_way,
        "mfa_member": mfa_member,
    }


def test_every_allauth_url_is_placed_as_a_page_or_not():
    assert _names(allauth.urls.urlpatterns) == set(PAGES) | set(NOT_PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_allauth_page_is_the_portals_own(visitors: dict[str, Client], name: str) -> None:
    who, kwargs = PAGES[name]
    response = visitors[who].get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, response.get("Location")
    page = response.templates[0]
    assert page.origin.name.startswith(str(OURS)), f"{name} renders allauth's {page.name}"
    assert "base.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert '<main id="main"' in html and 'class="brand"' in html
    assert "<h1" in html


@pytest.mark.parametrize("name", sorted(NOT_PAGES))
def test_the_other_allauth_urls_render_no_page(visitors: dict[str, Client], name: str) -> None:
    for client in visitors.values():
        response = client.get(reverse(name))
        assert response.status_code != 200 or "text/html" not in response["Content-Type"]


def test_a_deactivated_person_signing_in_is_told_what_to_do(personas: Any) -> None:
    personas.bob.is_active = False
    personas.bob.save(update_fields=["is_active"])
    client, response = _sign_in(personas.bob.email)
    assert response["Location"] == reverse("account_inactive")
    page = client.get(response["Location"])
    assert page.templates[0].origin.name.startswith(str(OURS))
    html = page.content.decode()
    assert "Your account is switched off" in html
    assert "partner admin" in html
