from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "touchpoint.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        # Registers the learning notification kinds, home sections and search source, and
        # auto-enrolment for people who change.
        from touchpoint.learning import home, notifications, rules, searchable  # noqa: F401
        from touchpoint.orgs.hooks import people_changed_hooks

        people_changed_hooks.register(rules.people_changed)
