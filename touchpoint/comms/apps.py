from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "touchpoint.comms"
    label = "comms"
    verbose_name = _("Communication")

    def ready(self) -> None:
        # Registers the notification kinds, the home rows, the search source and the launch
        # readiness facts. The worker finds tasks.py by itself.
        from touchpoint.comms import (  # noqa: F401
            home,
            menu,
            notifications,
            readiness,
            searchable,
            translatable,
        )
