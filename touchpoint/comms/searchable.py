"""How announcements appear in search: published and not ended, for their own audience."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from touchpoint.comms.models import Announcement
from touchpoint.kernel.html import as_text
from touchpoint.search import index


def documents(announcement: Announcement) -> list[index.Document]:
    if not announcement.is_live:
        return []
    original = index.Document(
        kind="announcement",
        object_id=str(announcement.pk),
        title=announcement.title,
        body=as_text(announcement.body),
        url=announcement.get_absolute_url(),
        audience_id=announcement.audience_id,
    )
    return [
        original,
        *index.in_other_languages(
            announcement, original, lambda v: {"title": v["title"], "body": as_text(v["body"])}
        ),
    ]


def everything() -> Iterator[tuple[Announcement, list[index.Document]]]:
    live = Announcement.objects.live().prefetch_related("translations").order_by("pk")
    for announcement in live.iterator(chunk_size=2000):
        yield announcement, documents(announcement)


def drop_ended(now: datetime, within: timedelta) -> int:
    """Remove from the index the announcements that ended in the last `within` (the
    periodic publisher's run; an author's "End now" removes its own at once)."""
    from touchpoint.search.models import Entry

    ended = Announcement.objects.filter(ends_at__lte=now, ends_at__gt=now - within)
    groups = [f"announcement:{pk}" for pk in ended.values_list("pk", flat=True)]
    if not groups:
        return 0
    # By group: an announcement's versions in other languages go with it.
    deleted, _rows = Entry.objects.filter(group__in=groups).delete()
    return deleted


index.register(
    index.Source(
        model=Announcement, prefix="announcement", documents=documents, everything=everything
    ),
    {"announcement": _("Announcements")},
)
