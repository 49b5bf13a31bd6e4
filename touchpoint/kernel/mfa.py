"""The staff MFA policy: one answer for the portal's pages, the API and its tokens."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils.translation import gettext as _

from touchpoint.kernel.models import PortalSettings


def must_set_up_mfa(user: Any, portal: PortalSettings | None = None) -> bool:
    """Is this vendor staff member held back until they set up an authenticator app?

    Pages send them to the set-up, the API answers 403 (browser session or token alike) and
    no API token is issued to them: a way in that skips MFA would make the setting moot."""
    if not (user.is_authenticated and getattr(user, "is_vendor", False)):
        return False
    if not (portal or PortalSettings.load()).require_mfa_for_staff:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_required_message() -> str:
    """What a refused staff member is told, with where to go."""
    return _(
        "The portal requires two-factor authentication for staff. Set up an authenticator "
        "app at %(url)s to continue."
    ) % {"url": reverse("mfa_activate_totp")}
