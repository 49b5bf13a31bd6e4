"""Digest emails: one email per person per day or week with the notifications they chose
to get that way, sent at about 07:00 in their own time zone (weekly ones on Mondays).

How a digest goes out exactly once, even when the job runs twice or on two workers:

1. `due_digests` finds, in one grouped query, who has notifications waiting from before
   their latest digest time, and leaves out periods already sent.
2. `claim` inserts one `Digest` row per person and period (a unique constraint; a row
   another worker inserted first is skipped) and, in the same short transaction, moves
   the waiting notifications onto the claimed rows. Two statements for the whole batch.
3. `deliver` renders and sends outside any transaction (mail servers are slow; the
   database must not wait on them). A failed send gives its notifications back to the
   queue for the next run; a crash mid-send loses that email but never doubles it.
"""

from __future__ import annotations

import logging
import uuid
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Subquery
from django.utils import timezone

from touchpoint.kernel.emails import build_templated
from touchpoint.kernel.models import Channel, Digest, Notification, PortalSettings
from touchpoint.kernel.notifications import KINDS, unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)

# Settings (optional): the local hour digests go out, and how many people one run serves.
# An email lists this many items per kind and links to the portal for the rest.
ITEMS_PER_KIND = 20


def digest_hour() -> int:
    """The local hour digests go out (settings.NOTIFICATION_DIGEST_HOUR, default 7)."""
    return settings.NOTIFICATION_DIGEST_HOUR


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def latest_due(frequency: str, zone: zoneinfo.ZoneInfo, now: datetime) -> tuple[date, datetime]:
    """The latest digest period that has begun at `now` for someone in `zone`, and when it
    was due: today (or yesterday before the digest hour) for daily digests, this week's
    Monday (or last week's, before Monday's digest hour) for weekly ones."""
    hour = time(digest_hour())
    step = timedelta(days=7 if frequency == Channel.WEEKLY else 1)
    day = now.astimezone(zone).date()
    if frequency == Channel.WEEKLY:
        day -= timedelta(days=day.weekday())
    due = datetime.combine(day, hour, tzinfo=zone)
    if due > now:
        day -= step
        due = datetime.combine(day, hour, tzinfo=zone)
    return day, due


@dataclass(frozen=True)
class Due:
    user_id: int
    frequency: str
    period: date
    due_at: datetime
    oldest: datetime


def due_digests(now: datetime, limit: int) -> tuple[list[Due], bool]:
    """Up to `limit` digests to send now, the longest-waiting first, and whether more are
    due than that."""
    waiting = (
        Notification.objects.exclude(digest_frequency="")
        .filter(recipient__is_active=True)
        .order_by()
        .values("recipient_id", "digest_frequency", "recipient__time_zone")
        .annotate(oldest=Min("created_at"))
    )
    candidates: list[Due] = []
    for row in waiting.iterator(chunk_size=2000):
        period, due_at = latest_due(
            row["digest_frequency"], _zone(row["recipient__time_zone"]), now
        )
        if row["oldest"] < due_at:
            candidates.append(
                Due(row["recipient_id"], row["digest_frequency"], period, due_at, row["oldest"])
            )
    candidates.sort(key=lambda d: (d.oldest, d.user_id))
    # A period already sent is skipped: what arrived too late for it waits for the next one.
    chosen: list[Due] = []
    for start in range(0, len(candidates), 1000):
        chunk = candidates[start : start + 1000]
        sent = set(
            Digest.objects.filter(
                user_id__in={d.user_id for d in chunk}, period__in={d.period for d in chunk}
            )
            .order_by()
            .values_list("user_id", "frequency", "period")
        )
        chosen += [d for d in chunk if (d.user_id, d.frequency, d.period) not in sent]
        if len(chosen) > limit:
            break
    return chosen[:limit], len(chosen) > limit


def claim(dues: list[Due], now: datetime) -> uuid.UUID:
    """Insert the digest rows and move their notifications onto them; returns the claim
    that marks the rows this run won (rows another worker had inserted are not ours)."""
    token = uuid.uuid4()
    with transaction.atomic():
        Digest.objects.bulk_create(
            [
                Digest(user_id=d.user_id, frequency=d.frequency, period=d.period,
                       due_at=d.due_at, claim=token, created_at=now)
                for d in dues
            ],
            ignore_conflicts=True,
        )  # fmt: skip
        ours = Digest.objects.filter(
            claim=token,
            user_id=OuterRef("recipient_id"),
            frequency=OuterRef("digest_frequency"),
            due_at__gt=OuterRef("created_at"),
        )
        # SET reads the row as it was (SQLite and PostgreSQL alike), so the subquery still
        # sees the frequency the same statement clears.
        Notification.objects.filter(recipient_id__in={d.user_id for d in dues}).exclude(
            digest_frequency=""
        ).filter(Exists(ours)).update(
            digest=Subquery(ours.order_by().values("pk")[:1]), digest_frequency=""
        )
    return token


@dataclass
class Group:
    """The items of one kind in one digest."""

    kind: str
    label: Any
    items: list[Notification] = field(default_factory=list)
    total: int = 0
    unsubscribe_url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _link(url: str) -> str:
    """An absolute link into the portal, or none: an email never links off-site (the
    notification centre refuses to, too)."""
    if url.startswith("/") and not url.startswith("//"):
        return f"{settings.SITE_URL}{url}"
    return ""


def _groups(digest: Digest, items: list[Notification]) -> list[Group]:
    """Items grouped by kind, in the order kinds are registered; read ones are left out
    (the person has seen them in the portal)."""
    by_kind: dict[str, Group] = {}
    for item in items:
        spec = KINDS.get(item.kind)
        group = by_kind.get(item.kind)
        if group is None:
            group = by_kind[item.kind] = Group(
                item.kind,
                spec.label if spec else item.kind,
                unsubscribe_url=(
                    unsubscribe_url(digest.user, item.kind) if spec and not spec.required else ""
                ),
            )
        group.total += 1
        if len(group.items) < ITEMS_PER_KIND:
            item.link = _link(item.url)  # type: ignore[attr-defined]
            group.items.append(item)
    order = {code: i for i, code in enumerate(KINDS)}
    return sorted(by_kind.values(), key=lambda g: (order.get(g.kind, len(order)), g.kind))


def deliver(token: uuid.UUID, now: datetime) -> dict[str, int]:
    """Render and send the digests of one claim, one SMTP connection for all of them."""
    digests = list(Digest.objects.filter(claim=token).select_related("user"))
    items: dict[int, list[Notification]] = defaultdict(list)
    for item in (
        Notification.objects.filter(digest__claim=token, read_at__isnull=True)
        .order_by("digest_id", "-created_at", "-pk")
        .only("digest_id", "kind", "title", "body", "url", "created_at")
    ):
        assert item.digest_id is not None
        items[item.digest_id].append(item)
    portal = PortalSettings.load()
    sent: list[Digest] = []
    failed: list[Digest] = []
    with get_connection() as connection:
        for digest in digests:
            person = digest.user
            if not items[digest.pk]:
                continue  # all read in the portal already: no email
            try:
                with timezone.override(_zone(person.time_zone)):
                    message = build_templated(
                        "digest",
                        person.email,
                        person.language,
                        {
                            "person": person,
                            "digest": digest,
                            "groups": _groups(digest, items[digest.pk]),
                            "total": len(items[digest.pk]),
                            "unsubscribe_all_url": unsubscribe_url(person),
                        },
                        headers=unsubscribe_headers(person),
                        portal=portal,
                    )
                message.connection = connection
                message.send()
            except Exception:  # one bad address or template must not stop everyone's digest
                logger.exception("Digest %s for user %s could not be sent", digest.pk, person.pk)
                failed.append(digest)
                continue
            digest.sent_at = now
            digest.item_count = len(items[digest.pk])
            sent.append(digest)
    Digest.objects.bulk_update(sent, ["sent_at", "item_count"])
    if failed:
        release(failed)
    return {
        "sent": len(sent),
        "failed": len(failed),
        "empty": len(digests) - len(sent) - len(failed),
    }


@transaction.atomic
def release(digests: list[Digest]) -> None:
    """Give a failed digest's notifications back to the queue, to go with the next run."""
    for digest in digests:
        Notification.objects.filter(digest=digest).update(
            digest=None, digest_frequency=digest.frequency
        )
    Digest.objects.filter(pk__in=[d.pk for d in digests]).delete()


def send_due_digests(now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Send every digest that is due, up to `limit` people; `more` says some are left."""
    now = now or timezone.now()
    limit = limit or settings.NOTIFICATION_DIGEST_BATCH_SIZE
    # Deactivated people get no email; what waited for them stays in the portal only.
    Notification.objects.exclude(digest_frequency="").filter(recipient__is_active=False).update(
        digest_frequency=""
    )
    dues, more = due_digests(now, limit)
    if not dues:
        return {"sent": 0, "failed": 0, "empty": 0, "more": 0}
    result = deliver(claim(dues, now), now)
    return {**result, "more": int(more)}
