"""The menu: every app registers the places it offers, each with the same role predicate
its view is gated by (kernel.access.require), so an entry shows exactly when its page opens.

    menu.register(MenuEntry(_("Moderation"), "community:queue", WORK, can_moderate, 160))

The portal renders `entries_for(user, path)`; a test opens every entry's page as every
persona and fails when the menu and the page disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.access import Predicate, active
from touchpoint.kernel.registry import Registry

WORK = _("Work")
ADMIN = _("Administration")


def everyone(user: Any) -> bool:
    return active(user)


@dataclass(frozen=True)
class MenuEntry:
    # A label, or a function of the person giving one (the same page can be "People" for
    # staff and "Team" for a partner's admin).
    label: Promise | Callable[[Any], Promise]
    url_name: str
    group: Promise
    allowed: Predicate
    # Where it sits in its group: lower first.
    position: int


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url: str
    group: Promise
    active: bool = False


menu: Registry[MenuEntry] = Registry("the places each person's menu offers")


def entries_for(user: Any, path: str) -> list[NavItem]:
    groups = [WORK, ADMIN]
    entries = sorted(
        (e for e in menu if e.allowed(user)),
        key=lambda e: (groups.index(e.group) if e.group in groups else len(groups), e.position),
    )
    urls = [(entry, reverse(entry.url_name)) for entry in entries]
    # The longest matching URL prefix is the current section ("/" only matches exactly).
    best = ""
    for _entry, url in urls:
        if (path == url or (url != "/" and path.startswith(url))) and len(url) > len(best):
            best = url
    return [
        NavItem(e.label(user) if callable(e.label) else e.label, url, e.group, active=url == best)
        for e, url in urls
    ]
