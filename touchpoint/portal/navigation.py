"""The navigation each person sees, from the menu every app registers (kernel.menu): only
the places their roles may use, on the same predicates the pages are gated by. The portal's
own places are registered here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import ADMIN, WORK, MenuEntry, NavItem, entries_for, everyone, menu
from touchpoint.orgs.access import is_portal_admin
from touchpoint.orgs.models import User

menu.register(MenuEntry(_("Home"), "home", WORK, everyone, 10))
menu.register(MenuEntry(_("Audit log"), "portal:audit_log", ADMIN, is_portal_admin, 70))
menu.register(MenuEntry(_("API tokens"), "portal:api_tokens_admin", ADMIN, is_portal_admin, 80))
menu.register(
    MenuEntry(_("Portal settings"), "portal:portal_settings", ADMIN, is_portal_admin, 100)
)


def navigation_for(user: User, path: str) -> list[NavItem]:
    return entries_for(user, path)
