"""allauth's own emails (password reset, MFA notices) come from the portal, under its name:
not "Touchpoint" and not "Hello from 127.0.0.1:8000!"."""

from __future__ import annotations

from django.core import mail
from django.test import Client, override_settings

from touchpoint.kernel.models import PortalSettings


def branded(name: str) -> None:
    portal = PortalSettings.load()
    portal.name = name
    portal.save()


@override_settings(SITE_URL="https://partners.ridgeline.example")
def test_bobs_password_reset_email_comes_from_the_portal_by_its_name(personas, client: Client):
    branded("Ridgeline Partners & Co")
    response = client.post("/accounts/password/reset/", {"email": personas.bob.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.from_email.startswith("Ridgeline Partners & Co <")
    assert message.body.startswith("Hello from Ridgeline Partners & Co!")
    assert "partners.ridgeline.example" in message.body
    # The link still leads to the site Bob asked from, and nothing names the dev server's host
    # as if it were the portal.
    assert "Hello from testserver" not in message.body and "127.0.0.1" not in message.body
    assert "&amp;" not in message.subject + message.body


def test_the_authenticator_app_lists_the_portal_by_its_name(personas):
    from allauth.mfa.adapter import get_adapter

    branded("Ridgeline Partners")
    assert get_adapter().get_totp_issuer() == "Ridgeline Partners"
