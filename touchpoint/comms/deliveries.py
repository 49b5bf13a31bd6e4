"""Deliveries, set-based: one INSERT … SELECT puts an announcement in the feed of everyone
its audience reaches who does not have it yet, inside the database; no person passes
through Python. The same statement serves publication (everyone) and the periodic catch-up
(people who joined the audience since); someone who reads or acknowledges one before the
catch-up reaches them gets their own delivery from that action. Also the
background tasks the announcement actions enqueue: delivering one that went out (and
emailing it when urgent) and notifying those an author reminded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import task

from touchpoint.comms.models import Announcement, AnnouncementState, Delivery, Priority
from touchpoint.kernel.emails import send_many
from touchpoint.kernel.html import as_text
from touchpoint.kernel.notifications import notify
from touchpoint.kernel.translations import in_each_language, localise
from touchpoint.orgs.audience import users_reached
from touchpoint.orgs.models import User


def _stamp(value: datetime) -> Any:
    """A time as the ORM would store it (raw SQL would store SQLite's text form differently)."""
    return connection.ops.adapt_datetimefield_value(value)


def deliver(announcement: Announcement, user_ids: Iterable[int] | None = None) -> int:
    """Deliver to everyone reached who has no delivery yet; returns how many were added."""
    people = users_reached(announcement.audience).exclude(
        Exists(Delivery.objects.filter(announcement=announcement, user=OuterRef("pk")))
    )
    if user_ids is not None:
        people = people.filter(pk__in=list(user_ids))
    sql, params = people.order_by().values("pk", "partner_id").query.sql_with_params()
    with connection.cursor() as cursor:
        # ON CONFLICT: the person read or acknowledged it meanwhile (their delivery was made
        # then); skip them.
        cursor.execute(
            # Only the table name and ORM-compiled SQL are interpolated; values are parameters.
            f"INSERT INTO {Delivery._meta.db_table} (announcement_id, user_id, partner_id, delivered_at)"  # noqa: S608
            # (SQLite needs a WHERE before ON CONFLICT to tell it from a join's ON.)
            f" SELECT %s, c.pk, c.partner_id, %s FROM ({sql}) c WHERE 1 = 1 ON CONFLICT DO NOTHING",
            [announcement.pk, _stamp(timezone.now()), *params],
        )  # fmt: skip
        return max(cursor.rowcount, 0)


@task()
def deliver_announcement(announcement_id: int) -> int:
    """Put a newly published announcement in the feed of everyone it reaches (one INSERT …
    SELECT), then email it when urgent."""
    announcement = Announcement.objects.filter(
        pk=announcement_id, state=AnnouncementState.PUBLISHED
    ).first()
    if announcement is None:
        return 0
    added = deliver(announcement)
    Announcement.objects.filter(pk=announcement.pk).update(delivered_at=timezone.now())
    if announcement.priority == Priority.URGENT:
        email_urgent(announcement)
    return added


def email_urgent(announcement: Announcement) -> int:
    """Urgent: email everyone it reached, whatever their notification preferences (each once)."""
    owed = (
        Delivery.objects.filter(
            announcement=announcement, emailed_at__isnull=True, user__is_active=True
        )
        .order_by("pk")
        .values_list("pk", "user__email", "user__language")
    )

    def mark(ids: list[int]) -> None:
        Delivery.objects.filter(pk__in=ids).update(emailed_at=timezone.now())

    def in_language(language: str) -> dict[str, Any]:
        # Each language's version, read once per language (send_many renders once per language).
        version = localise(Announcement.objects.get(pk=announcement.pk), language)
        return {"announcement": version, "text": as_text(version.body)}

    return send_many(owed.iterator(chunk_size=2000), "announcement_urgent", {}, mark, in_language)


@task()
def send_reminders(announcement_id: int, stamp: str) -> int:
    """Notify the people an author's reminder was for (their deliveries carry its time)."""
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return 0
    reminded_at = datetime.fromisoformat(stamp)
    people = User.objects.filter(
        deliveries__announcement=announcement,
        deliveries__reminded_at=reminded_at,
        deliveries__acknowledged_at__isnull=True,
        is_active=True,
    ).order_by("pk")
    total = 0
    chunk: list[User] = []
    for person in people.iterator(chunk_size=1000):
        chunk.append(person)
        if len(chunk) == 1000:
            total += len(_remind(chunk, announcement))
            chunk = []
    if chunk:
        total += len(_remind(chunk, announcement))
    return total


def _remind(people: list[User], announcement: Announcement) -> list[Any]:
    return notify(
        people,
        "announcements",
        gettext_lazy("Please acknowledge: %(title)s"),
        body=gettext_lazy("You have not yet confirmed that you have read this announcement."),
        url=announcement.get_absolute_url(),
        params={"title": in_each_language(announcement, "title")},
    )
