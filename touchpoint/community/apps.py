from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "touchpoint.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        # Registers the notification kinds, the home rows and the search source. The worker
        # finds tasks.py by itself.
        from touchpoint.community import home, menu, notifications, roles, searchable  # noqa: F401
