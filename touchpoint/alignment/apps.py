from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlignmentConfig(AppConfig):
    name = "touchpoint.alignment"
    label = "alignment"
    verbose_name = _("Alignment")

    def ready(self) -> None:
        # Registers the "requests" notification kind and the home rows.
        from touchpoint.alignment import home, menu, notifications  # noqa: F401
