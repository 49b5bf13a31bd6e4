"""How allauth fits Touchpoint: no public sign-up (people are invited or apply), every
sign-in is an activity event, and allauth's own emails and authenticator entries carry the
portal's name."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from touchpoint.kernel.activity import record_event
from touchpoint.kernel.emails import from_address
from touchpoint.kernel.models import PortalSettings


class PortalSite(NamedTuple):
    """What allauth's email templates call `current_site`. Without django.contrib.sites it
    is the request's host ("Hello from 127.0.0.1:8000!"); the portal has a name and an
    address of its own."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Partners join through an application or an invitation, never a bare sign-up form.
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        if user.activated_at is None:
            # Someone invited who set a password through "forgot password" instead of the
            # invitation link has joined all the same.
            type(user).objects.filter(pk=user.pk).update(activated_at=timezone.now())
        record_event(user, "logged-in", object_type="portal", name="Touchpoint")

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # Allauth words its messages during the request that signs a person in, which is
        # still in the anonymous visitor's language; the next page is in the person's own
        # (UserPreferencesMiddleware), so the message is worded in that one too.
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        with translation.override(language or translation.get_language()):
            super().add_message(
                request, level, message_template, message_context, extra_tags, message
            )

    def get_from_email(self) -> str:
        return from_address(PortalSettings.load())

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        site = PortalSite(PortalSettings.load().name, urlsplit(settings.SITE_URL).netloc)
        super().send_mail(template_prefix, email, {"current_site": site, **context})


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        # The name people see in their authenticator app; MFA_TOTP_ISSUER overrides it.
        return settings.MFA_TOTP_ISSUER or PortalSettings.load().name
