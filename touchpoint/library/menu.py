"""Library's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import WORK, MenuEntry, everyone, menu
from touchpoint.library.access import can_author_library, can_see_readiness

menu.register(MenuEntry(_("Library"), "library:home", WORK, everyone, 40))
menu.register(MenuEntry(_("Manage library"), "library:manage", WORK, can_author_library, 120))
menu.register(MenuEntry(_("Content health"), "library:health", WORK, can_author_library, 130))
menu.register(MenuEntry(_("Launch readiness"), "library:readiness", WORK, can_see_readiness, 190))
