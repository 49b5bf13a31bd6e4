"""The notification kind for courses: training assigned and due."""

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.notifications import Kind, register_kind

TRAINING = register_kind(
    Kind(
        "training",
        _("Training"),
        _("Courses assigned to you, and reminders before they are due (one daily digest)."),
    )
)
