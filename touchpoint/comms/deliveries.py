"""Deliveries, set-based: one INSERT … SELECT puts an announcement in the feed of everyone
its audience reaches who does not have it yet, inside the database; no person passes
through Python. The same statement serves publication (everyone), the periodic catch-up
(people who joined the audience since) and a single person opening their feed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from touchpoint.comms.models import Announcement, Delivery
from touchpoint.orgs.audience import users_reached


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
        # ON CONFLICT: the person opened their feed meanwhile (a lazy delivery); skip them.
        cursor.execute(
            # Only the table name and ORM-compiled SQL are interpolated; values are parameters.
            f"INSERT INTO {Delivery._meta.db_table} (announcement_id, user_id, partner_id, delivered_at)"  # noqa: S608
            # (SQLite needs a WHERE before ON CONFLICT to tell it from a join's ON.)
            f" SELECT %s, c.pk, c.partner_id, %s FROM ({sql}) c WHERE 1 = 1 ON CONFLICT DO NOTHING",
            [announcement.pk, _stamp(timezone.now()), *params],
        )  # fmt: skip
        return max(cursor.rowcount, 0)
