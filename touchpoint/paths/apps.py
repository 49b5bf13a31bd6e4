from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathsConfig(AppConfig):
    name = "touchpoint.paths"
    label = "paths"
    verbose_name = _("Learning paths")

    def ready(self) -> None:
        # Registers path progress, the path lock, the panels on course pages and
        # auto-enrolment for people who change.
        from touchpoint.paths import hooks  # noqa: F401
