from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "touchpoint.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        # Registers the quiz lesson with the course player.
        from touchpoint.quizzes import hooks  # noqa: F401
