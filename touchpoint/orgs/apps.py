from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "touchpoint.orgs"
    label = "orgs"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        # Registers the organisations' home rows and menu entries.
        from touchpoint.orgs import home, menu  # noqa: F401
