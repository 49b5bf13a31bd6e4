from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "touchpoint.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Registers the search page's place in the menu.
        from touchpoint.search import menu  # noqa: F401
