"""Library's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import EDUCATE, MEASURE, MenuEntry, everyone, menu
from touchpoint.library.access import can_author_library, can_see_readiness

menu.register(MenuEntry(_("Library"), "library:home", EDUCATE, everyone, 40, "library"))
menu.register(MenuEntry(_("Manage library"), "library:manage", EDUCATE, can_author_library, 120))
menu.register(MenuEntry(_("Content health"), "library:health", EDUCATE, can_author_library, 130))
menu.register(
    MenuEntry(_("Launch readiness"), "library:readiness", MEASURE, can_see_readiness, 190)
)
