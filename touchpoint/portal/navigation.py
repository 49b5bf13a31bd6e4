"""The navigation each person sees, from the menu every app registers (kernel.menu): only
the places their roles may use, on the same predicates the pages are gated by. Vendor staff
get the groups of their work; partner people, whose places are few, one short list; on a
phone a bottom bar holds the places used most. The portal's own places are registered
here."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import (
    ADMINISTER,
    START,
    MenuEntry,
    NavGroup,
    NavItem,
    entries_for,
    everyone,
    groups_for,
    menu,
)
from touchpoint.orgs.access import is_portal_admin
from touchpoint.orgs.models import User

menu.register(MenuEntry(_("Home"), "home", START, everyone, 10, "house"))
menu.register(MenuEntry(_("Audit log"), "portal:audit_log", ADMINISTER, is_portal_admin, 70))
menu.register(
    MenuEntry(_("API tokens"), "portal:api_tokens_admin", ADMINISTER, is_portal_admin, 80)
)
menu.register(
    MenuEntry(_("Portal settings"), "portal:portal_settings", ADMINISTER, is_portal_admin, 100)
)
menu.register(MenuEntry(_("Style guide"), "portal:styleguide", ADMINISTER, is_portal_admin, 110))

# What a person opens most, between customers, on a phone: the bar's places (those the
# person has), then search. The rest of the menu is one tap away behind "Menu".
PHONE_BAR = ("home", "courses:catalog", "library:home")


def navigation_for(user: User, path: str) -> list[NavGroup]:
    return groups_for(user, path, grouped=user.is_vendor)


def phone_bar_for(user: User, path: str) -> list[NavItem]:
    places = {item.url_name: item for item in entries_for(user, path)}
    bar = [places[name] for name in PHONE_BAR if name in places]
    search = reverse("search:search")
    return [*bar, NavItem(_("Search"), search, START, path.startswith(search), icon="search")]
