"""Notification kinds for alignment: progress on L&D requests."""

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.models import Channel
from touchpoint.kernel.notifications import Kind, register_kind

REQUESTS = register_kind(
    Kind(
        "requests",
        _("L&D requests"),
        _(
            "Progress on learning requests you made or look after: new requests for the "
            "learning team, status changes, linked deliverables and comments."
        ),
        default=Channel.EMAIL,
    )
)
