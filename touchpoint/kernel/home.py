"""The shape of each person's home page, and the registry that fills it.

The kernel knows no domain: each app adds its rows (what is due, what to continue, its
certifications, quick links, channel figures) through `contribute`, registered in its
`AppConfig.ready()`, in the order the apps are installed. The kernel itself adds what it
owns: unread notifications and the items the person opened last. Each contributor reads a
few rows with bounded queries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Count, Window
from django.utils.functional import Promise
from django.utils.translation import get_language

from touchpoint.kernel.models import ActivityEvent, Notification

T = TypeVar("T")

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
    # Published in the person's apps lately (new library items): shown with what's new.
    new_items: list[HomeItem] = field(default_factory=list)
    certifications: list[HomeItem] = field(default_factory=list)
    # A manager's first question, answered first: their team's gaps (a partner manager) or
    # their partners needing attention (a channel manager); each row a count to act on.
    attention: list[HomeItem] = field(default_factory=list)
    # "team" or "partners" once a contributor answers that question for this person, so the
    # section shows (with its empty state) even when nothing needs attention.
    attention_kind: str = ""
    # Curated first (links an admin pinned for the person's audience), then the role's own.
    quick_links: list[HomeItem] = field(default_factory=list)
    stats: list[tuple[Promise, int, str]] = field(default_factory=list)


# A few links an admin chose beat a wall of cards nobody reads; the Apps page and the menu
# hold the rest.
QUICK_LINKS = 6


# How long a part of home that many people share is kept (see `shared`).
SHARED_SECONDS = 60


def shared(name: str, key: Iterable[Any], compute: Callable[[], T]) -> T:
    """A part of home that is the same for everyone with the same `key` (the same audiences,
    the whole channel, one manager's partners), from the cache for SHARED_SECONDS.

    Home is the page everyone opens first and most often; these parts change slowly, and
    reading them for each visit cost more than the person's own rows. Keep plain data here
    (ids, numbers, titles); the key holds the active language, as titles may be translated."""
    digest = hashlib.sha256(repr((get_language(), *key)).encode()).hexdigest()[:20]
    cache_key = f"home:{name}:{digest}"
    found = cache.get(cache_key)
    if found is None:
        found = compute()
        cache.set(cache_key, found, SHARED_SECONDS)
    return found


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
    home.quick_links = home.quick_links[:QUICK_LINKS]
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
