"""The shape of each person's home page, and the registry that fills it.

The kernel knows no domain: each app adds its rows (what is due, what to continue, its
certifications, quick links, channel figures) through `contribute`, registered in its
`AppConfig.ready()`, in the order the apps are installed. The kernel itself adds what it
owns: unread notifications and the items the person opened last. Each contributor reads a
few rows with bounded queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Window
from django.utils.functional import Promise

from touchpoint.kernel.models import ActivityEvent, Notification

# Functions that add an app's rows to a person's home: contributor(user, home).
CONTRIBUTORS: list[Callable[[Any, Home], None]] = []


def contribute(contributor: Callable[[Any, Home], None]) -> Callable[[Any, Home], None]:
    CONTRIBUTORS.append(contributor)
    return contributor


@dataclass
class HomeItem:
    title: str | Promise
    url: str
    meta: str | Promise = ""
    when: datetime | None = None
    tone: str = "neutral"
    # How `when` reads: "since" (waiting since), "due" (due on), "until" (valid until).
    when_kind: str = "since"


@dataclass
class Home:
    due: list[HomeItem] = field(default_factory=list)
    new_for_me: list[Notification] = field(default_factory=list)
    unread_count: int = 0
    continue_items: list[HomeItem] = field(default_factory=list)
    certifications: list[HomeItem] = field(default_factory=list)
    quick_links: list[HomeItem] = field(default_factory=list)
    stats: list[tuple[Promise, int, str]] = field(default_factory=list)


def build_home(user: Any) -> Home:
    home = Home()
    # The five newest unread and how many are unread in all, in one query: the window
    # count is taken over every unread row before the LIMIT applies.
    home.new_for_me = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).annotate(
            unread_total=Window(Count("pk"))
        )[:5]
    )
    home.unread_count = home.new_for_me[0].unread_total if home.new_for_me else 0  # type: ignore[attr-defined]
    home.continue_items = _continue(user)
    for contributor in CONTRIBUTORS:
        contributor(user, home)
    home.continue_items = home.continue_items[:5]
    return home


def _continue(user: Any) -> list[HomeItem]:
    """The last distinct items the person opened, newest first."""
    seen: set[tuple[str, str]] = set()
    items: list[HomeItem] = []
    recent = (
        ActivityEvent.objects.filter(actor=user, verb="viewed")
        .exclude(object_url="")
        .only("object_type", "object_id", "object_name", "object_url", "timestamp")[:30]
    )
    for event in recent:
        key = (event.object_type, event.object_id)
        if key in seen:
            continue
        seen.add(key)
        items.append(HomeItem(title=event.object_name, url=event.object_url, when=event.timestamp))
        if len(items) == 5:
            break
    return items
