from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "touchpoint.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Registers the search page's place in the menu.
        from touchpoint.kernel.access import active
        from touchpoint.kernel.apiauth import ScopeRule, scope_rules
        from touchpoint.kernel.models import ApiScope
        from touchpoint.kernel.translations import translation_saved
        from touchpoint.search import index, menu  # noqa: F401

        # An item's versions in other languages are found as soon as they are saved.
        translation_saved.register(index.update_if_indexed)

        # Searching (and contextual help, which answers from the same content) shows each
        # person only what they may see, so anyone signed in may hold the scope.
        scope_rules.register(ScopeRule(ApiScope.CONTENT_READ, active))
