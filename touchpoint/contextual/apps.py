from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContextualConfig(AppConfig):
    name = "touchpoint.contextual"
    label = "contextual"
    verbose_name = _("Contextual help")

    def ready(self) -> None:
        # Registers the launcher's quick links on home and its part of launch readiness.
        from touchpoint.contextual import home, menu, readiness, translatable  # noqa: F401
