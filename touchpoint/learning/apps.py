from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "touchpoint.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        # Registers the learning notification kinds, home sections and search source.
        from touchpoint.learning import home, notifications, searchable  # noqa: F401
