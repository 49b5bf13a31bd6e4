from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "touchpoint.orgs"
    label = "orgs"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        # Registers the organisations' home rows, menu entries and who may hold which API
        # scopes.
        from touchpoint.orgs import access, home, menu  # noqa: F401
