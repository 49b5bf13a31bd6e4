"""The notification kind for certifications: earned, and about to expire."""

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.notifications import Kind, register_kind

CERTIFICATIONS = register_kind(
    Kind(
        "certifications",
        _("Certifications"),
        _("Certifications you earn, and reminders before they expire."),
    )
)
