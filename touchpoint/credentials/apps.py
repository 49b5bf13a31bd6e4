from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "touchpoint.credentials"
    label = "credentials"
    verbose_name = _("Certifications")

    def ready(self) -> None:
        # Registers the certification notification kind, the home rows, and what course
        # starts and completions mean for certifications.
        from touchpoint.credentials import home, hooks, library, menu, notifications  # noqa: F401
