from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "touchpoint.courses"
    label = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        # Registers the training notification kind, the home rows and the search source.
        from touchpoint.courses import (  # noqa: F401
            home,
            library,
            menu,
            notifications,
            searchable,
            translatable,
        )
