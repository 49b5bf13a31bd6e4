"""Notification kinds for communication: announcements for the people they reach (and
reminders to acknowledge), and publishing news for their authors."""

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.models import Channel
from touchpoint.kernel.notifications import Kind, register_kind

ANNOUNCEMENTS = register_kind(
    Kind(
        "announcements",
        _("Announcements"),
        _(
            "Reminders to acknowledge an announcement. Urgent announcements are always emailed "
            "as well, whatever you choose here."
        ),
        default=Channel.IN_APP,
    )
)
AUTHORING = register_kind(
    Kind(
        "comms_authoring",
        _("Your announcements and campaigns"),
        _("When an announcement you wrote is held back, and why."),
        staff_only=True,
    )
)
