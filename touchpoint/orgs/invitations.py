"""Invitation links: the invitation's id signed with SECRET_KEY, so nothing secret is stored."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from touchpoint.orgs.models import Invitation

SALT = "touchpoint.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse(
        "orgs:invitation_accept", args=[invitation_token(invitation)]
    )


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link points at, or None for a forged or mangled link."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("user__partner", "invited_by").filter(pk=pk).first()
