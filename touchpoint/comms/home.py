"""Communication's part of home: urgent announcements pinned at the top until acknowledged,
those waiting for an acknowledgement among what is due, and the latest news; for authors,
their announcements held back. One query for a partner person's rows (one more while a feature tour is on)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from touchpoint.comms.access import can_write_announcements
from touchpoint.comms.actions import mark_tour_seen
from touchpoint.comms.campaigns import tour_for
from touchpoint.comms.models import Announcement, AnnouncementState, CampaignStep, TourStop
from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.kernel.translations import localise_all
from touchpoint.orgs.models import User

HOME_ROWS = 8
LATEST = 3


@dataclass
class HomeNews:
    pinned: list[Announcement] = field(default_factory=list)
    latest: list[Announcement] = field(default_factory=list)
    tour: CampaignStep | None = None
    tour_stops: list[TourStop] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.pinned or self.latest or self.tour)


def _rows(user: User) -> list[Announcement]:
    rows = (
        Announcement.objects.received_by(user)
        .with_delivery_of(user)
        .in_language()
        .annotate(
            needs_ack=Case(
                When(requires_ack=True, my_ack_at__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )
    return list(
        rows.only("pk", "title", "priority", "requires_ack", "published_at").order_by(
            "-pinned", "-needs_ack", "-published_at", "-pk"
        )[:HOME_ROWS]
    )


@contribute
def comms_home(user: User, home: Home) -> None:
    if can_write_announcements(user):
        held = Announcement.objects.filter(author=user, state=AnnouncementState.HELD).count()
        if held:
            home.due.append(
                HomeItem(
                    title=ngettext(
                        "%(n)d announcement of yours is held back",
                        "%(n)d announcements of yours are held back",
                        held,
                    )
                    % {"n": held},
                    url=reverse("comms:manage") + "?state=held",
                    meta=_("The item it announces is not published yet."),
                    tone="warn",
                )
            )
    # Staff follow announcements from their own pages; group audiences that reach them
    # still show in their feed at /news/.
    rows = [] if user.is_vendor else _rows(user)
    news = HomeNews()
    for row in rows:
        if row.pinned:  # type: ignore[attr-defined]
            news.pinned.append(row)
        elif row.needs_ack:  # type: ignore[attr-defined]
            home.due.insert(
                0,
                HomeItem(
                    title=_("Acknowledge: %(title)s") % {"title": row.title},
                    url=row.get_absolute_url(),
                    meta=_("Please confirm you have read it."),
                    when=row.published_at,
                    tone="warn",
                ),
            )
            news.latest.append(row)
        else:
            news.latest.append(row)
    news.latest = news.latest[:LATEST]
    tour = tour_for(user)
    if tour is not None:
        # Home shows the tour's first stop: that showing is the tour's read mark.
        mark_tour_seen(user, tour)
        news.tour = tour
        news.tour_stops = localise_all(tour.stops.all())
    # Home has no field for this app; its template shows `home.news` when present.
    setattr(home, "news", news)  # noqa: B010 (Home declares no such field)
