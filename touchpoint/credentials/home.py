"""Certifications' part of a person's home: the credentials they hold, with their state."""

from __future__ import annotations

from django.utils import timezone

from touchpoint.credentials.models import Credential, CredentialState
from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.orgs.models import User

STATE_TONES = {
    CredentialState.ACTIVE: "ok",
    CredentialState.EXPIRING: "warn",
    CredentialState.EXPIRED: "error",
    CredentialState.REVOKED: "muted",
    CredentialState.IN_PROGRESS: "info",
}


@contribute
def credentials_home(user: User, home: Home) -> None:
    now = timezone.now()
    credentials = (
        Credential.objects.filter(user=user, is_current=True)
        .select_related("certification")
        .order_by("expires_at")[:6]
    )
    for credential in credentials:
        state = credential.state(now)
        home.certifications.append(
            HomeItem(
                title=credential.certification.name,
                url=credential.get_absolute_url(),
                meta=CredentialState(state).label,
                when=credential.expires_at,
                when_kind="until",
                tone=STATE_TONES[CredentialState(state)],
            )
        )
