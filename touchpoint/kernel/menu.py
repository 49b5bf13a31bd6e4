"""The menu: every app registers the places it offers, each with the same role predicate
its view is gated by (kernel.access.require), so an entry shows exactly when its page opens.

Entries sit in groups named for what people do, so a vendor admin meets seven short
headings instead of one list of thirty places. A domain adds its place in its own
`menu.py`, imported from its AppConfig.ready():

    from touchpoint.kernel.menu import COMMUNICATE, MenuEntry, menu

    menu.register(MenuEntry(_("Moderation"), "community:queue", COMMUNICATE, can_moderate, 150))

Pick the group by the work the page serves (the list below says what goes where); the
position orders entries inside a group (lower first; leave gaps of ten for later). The
portal renders `groups_for(user, path)`; a group shows only when it holds an entry for the
person, and a test opens every entry's page as every persona and fails when the menu and
the page disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.access import Predicate, active
from touchpoint.kernel.registry import Registry

# The places above every group, without a heading (home).
START = _("Start")
# News, announcements, campaigns, community and its moderation.
COMMUNICATE = _("Communicate")
# Courses, the library, certifications, contextual help and what they need to be authored.
EDUCATE = _("Educate")
# Points, badges, leaderboards, challenges and incentives.
MOTIVATE = _("Motivate")
# Reports, dashboards, readiness, tracking and what search missed.
MEASURE = _("Measure")
# Partners and their people, programs, tiers, plans, applications and L&D requests.
ALIGN = _("Align")
# Deal registration, leads, MDF and the partner's own tools.
SELL = _("Sell")
# Who may do what and how the portal is set up: staff, audiences, settings, integrations.
ADMINISTER = _("Administer")

GROUPS = (START, COMMUNICATE, EDUCATE, MOTIVATE, MEASURE, ALIGN, SELL, ADMINISTER)

# The two groups before the menu was grouped by work; a branch cut before then still
# imports them, and its entries show under a heading of their own until it picks a group.
WORK = _("Work")
ADMIN = ADMINISTER


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
    # The name of an icon in kernel/static/kernel/icons/ (the {% icon %} tag), if any.
    icon: str = ""


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url: str
    group: Promise
    active: bool = False
    url_name: str = ""
    icon: str = ""
    position: int = 0


@dataclass(frozen=True)
class NavGroup:
    label: Promise
    items: list[NavItem] = field(default_factory=list)
    # START and a partner's single list show their entries without a heading.
    heading: bool = True

    @property
    def open(self) -> bool:
        return any(item.active for item in self.items)


menu: Registry[MenuEntry] = Registry("the places each person's menu offers")


def _group_order(group: Promise) -> int:
    order = [*GROUPS[:-1], WORK, GROUPS[-1]]
    return order.index(group) if group in order else len(order)


def entries_for(user: Any, path: str) -> list[NavItem]:
    entries = sorted(
        (e for e in menu if e.allowed(user)), key=lambda e: (_group_order(e.group), e.position)
    )
    urls = [(entry, reverse(entry.url_name)) for entry in entries]
    # The longest matching URL prefix is the current section ("/" only matches exactly).
    best = ""
    for _entry, url in urls:
        if (path == url or (url != "/" and path.startswith(url))) and len(url) > len(best):
            best = url
    return [
        NavItem(
            e.label(user) if callable(e.label) else e.label,
            url,
            e.group,
            active=url == best,
            url_name=e.url_name,
            icon=e.icon,
            position=e.position,
        )
        for e, url in urls
    ]


def groups_for(user: Any, path: str, *, grouped: bool = True) -> list[NavGroup]:
    """The person's entries in their groups, in the order of GROUPS; with `grouped` off, one
    list without a heading (for people whose few places need none)."""
    items = entries_for(user, path)
    if not grouped:
        # One list in the order of the positions, which the apps chose so that the places
        # everyone uses (home, learning, library, news) come first; set-up pages last.
        items.sort(key=lambda item: (item.group == ADMINISTER, item.position))
        return [NavGroup(START, items, heading=False)] if items else []
    groups: list[NavGroup] = []
    for item in items:
        if not groups or groups[-1].label != item.group:
            groups.append(NavGroup(item.group, [], heading=item.group != START))
        groups[-1].items.append(item)
    return groups
