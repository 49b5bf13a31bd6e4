"""Notification kinds for learning: training due and certification expiry."""

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.notifications import Kind, register_kind

TRAINING = register_kind(
    Kind(
        "training",
        _("Training"),
        _("Courses assigned to you, and reminders before they are due (one daily digest)."),
    )
)
CERTIFICATIONS = register_kind(
    Kind(
        "certifications",
        _("Certifications"),
        _("Certifications you earn, and reminders before they expire."),
    )
)
