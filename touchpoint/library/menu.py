"""Library's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import WORK, MenuEntry, everyone, menu
from touchpoint.library.access import can_see_health, can_see_readiness, is_author

menu.register(MenuEntry(_("Library"), "library:home", WORK, everyone, 40))
menu.register(MenuEntry(_("Manage library"), "library:manage", WORK, is_author, 120))
menu.register(MenuEntry(_("Content health"), "library:health", WORK, can_see_health, 130))
menu.register(MenuEntry(_("Launch readiness"), "library:readiness", WORK, can_see_readiness, 190))
