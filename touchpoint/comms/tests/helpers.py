"""Builders for communication tests and the isolation cases."""

from __future__ import annotations

from typing import Any

from touchpoint.comms import actions
from touchpoint.comms.models import Announcement
from touchpoint.orgs.models import Audience, Partner, User


def audience_of(*partners: Partner, **fields: Any) -> Audience:
    audience = Audience.objects.create(**fields)
    audience.partners.add(*partners)
    return audience


def announce(
    author: User, title: str = "New warranty policy", *, deliver: bool = True, **fields: Any
) -> Announcement:
    """A published announcement (delivered as the background task would, unless told not to)."""
    fields.setdefault("body", "<p>Register every sale within 10 days.</p>")
    announcement = actions.save_announcement(
        author, Announcement(title=title, **fields), publish=True
    )
    if deliver:
        from touchpoint.comms.deliveries import deliver_announcement

        deliver_announcement.call(announcement.pk)
    return announcement
