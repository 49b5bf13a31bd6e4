from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "touchpoint.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        # Registers the notification kind, the home rows and the search source
        # (searchable.py, kept by the search app). The worker finds tasks.py by itself.
        from touchpoint.library import home, menu, notifications, searchable, translatable  # noqa: F401
