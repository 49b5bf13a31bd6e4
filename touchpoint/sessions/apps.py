from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "touchpoint.sessions"
    # Django's own session app already has the label "sessions".
    label = "live_sessions"
    verbose_name = _("Instructor-led sessions")

    def ready(self) -> None:
        # Registers the session lesson and a course's upcoming sessions with courses.
        from touchpoint.sessions import hooks  # noqa: F401
