from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    name = "touchpoint.kernel"
    label = "kernel"
    verbose_name = _("Kernel")

    def ready(self) -> None:
        from touchpoint.kernel import checks  # noqa: F401 - registers the database check
