"""Notification kinds for the library: housekeeping notices to content owners."""

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.notifications import Kind, register_kind

CONTENT = register_kind(
    Kind(
        "content",
        _("Content housekeeping"),
        _(
            "Library items you own that are past their review date, expiring soon or unused "
            "(one daily summary, each problem mentioned once)."
        ),
        staff_only=True,
    )
)
