from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "touchpoint.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # The portal's own menu entries and home rows (profile, settings, audit log).
        from touchpoint.portal import home, navigation  # noqa: F401
