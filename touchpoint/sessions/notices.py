"""Telling people about sessions: each in their own language and time zone, with the
session's time and place written out for them."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touchpoint.kernel.notifications import notify
from touchpoint.orgs.models import User
from touchpoint.sessions.models import Session, SessionKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def when_text(session: Session, zone_name: str) -> str:
    """The session's date and times in a time zone, named, in the active language: e.g.
    "3 June 2025, 09:00-11:00 (Europe/Oslo)"."""
    zone = _zone(zone_name)
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    if start.date() == end.date():
        span = (
            f"{formats.date_format(start, 'DATE_FORMAT')}, "
            f"{formats.time_format(start, 'TIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')}"
        )
    else:
        span = (
            f"{formats.date_format(start, 'DATETIME_FORMAT')} – "
            f"{formats.date_format(end, 'DATETIME_FORMAT')}"
        )
    return f"{span} ({zone.key})"


def where_text(session: Session) -> str:
    if session.kind == SessionKind.WEBINAR:
        return _("Online: the join link is on the session page once you are registered.")
    return session.location


def tell(
    people: Iterable[User],
    title: StrOrPromise,
    body: StrOrPromise,
    session: Session,
    *,
    url: str = "",
) -> None:
    """Notify people about a session, with its time in each person's own zone and language.
    People sharing a language and zone get one notify() call."""
    groups: dict[tuple[str, str], list[User]] = defaultdict(list)
    for person in people:
        groups[(person.language, person.time_zone)].append(person)
    for (language, zone_name), group in groups.items():
        with translation.override(language):
            params = {
                "title": session.title,
                "course": session.course.title,
                "when": when_text(session, zone_name),
                "where": where_text(session),
            }
        notify(
            group,
            "training",
            title,
            body=body,
            params=params,
            url=url or session.get_absolute_url(),
        )


CONFIRMED = (
    gettext_lazy("You are registered: %(title)s"),
    gettext_lazy("%(when)s · %(where)s"),
)
WAITLISTED = (
    gettext_lazy("You are on the waiting list: %(title)s"),
    gettext_lazy("%(when)s. We will tell you as soon as a seat frees up."),
)
PROMOTED = (
    gettext_lazy("A seat is yours: %(title)s"),
    gettext_lazy("You moved up from the waiting list. %(when)s · %(where)s"),
)
CANCELLED = (
    gettext_lazy("Cancelled: %(title)s"),
    gettext_lazy(
        "The session on %(when)s will not take place. Look for another date on the course page."
    ),
)
CHANGED = (
    gettext_lazy("Changed: %(title)s"),
    gettext_lazy("Now %(when)s · %(where)s"),
)
REMINDER = (
    gettext_lazy("Coming up: %(title)s"),
    gettext_lazy("%(when)s · %(where)s"),
)
