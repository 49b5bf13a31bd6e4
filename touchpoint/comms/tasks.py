"""Background work for communication: deliveries when an announcement goes out, urgent
email, reminders, and the periodic jobs (publisher, catch-up deliveries, campaigns)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy
from django_tasks import task

from touchpoint.comms import actions, deliveries, searchable
from touchpoint.comms.campaigns import run_campaigns  # noqa: F401  (a periodic job)
from touchpoint.comms.models import Announcement, AnnouncementState, Delivery, Priority
from touchpoint.kernel.notifications import notify
from touchpoint.kernel.scheduler import periodic
from touchpoint.orgs.models import User

PUBLISH_EVERY = timedelta(minutes=5)
MAIL_BATCH = 500


@task()
def deliver_announcement(announcement_id: int) -> int:
    """Put a newly published announcement in the feed of everyone it reaches (one INSERT …
    SELECT), then email it when urgent."""
    announcement = Announcement.objects.filter(
        pk=announcement_id, state=AnnouncementState.PUBLISHED
    ).first()
    if announcement is None:
        return 0
    added = deliveries.deliver(announcement)
    Announcement.objects.filter(pk=announcement.pk).update(delivered_at=timezone.now())
    if announcement.priority == Priority.URGENT:
        email_urgent(announcement)
    return added


def send_in_batches(
    people: Iterable[tuple[int, str, str, str]],
    template: str,
    context: Callable[[], dict[str, Any]],
    mark_sent: Callable[[list[int]], None],
) -> int:
    """Email many people over one connection: each message rendered once per language.
    `people` gives (row id, email, language, name); `mark_sent` records each batch."""
    from touchpoint.kernel.models import PortalSettings

    portal = PortalSettings.load()
    from_email = settings.DEFAULT_FROM_EMAIL
    if portal.name and "<" in from_email:
        from_email = f"{portal.name} <{from_email.split('<', 1)[1]}"
    base = {"portal": portal, "site_url": settings.SITE_URL, **context()}
    rendered: dict[str, tuple[str, str, str]] = {}

    def render(language: str) -> tuple[str, str, str]:
        if language not in rendered:
            with translation.override(language):
                subject = " ".join(render_to_string(f"emails/{template}_subject.txt", base).split())
                text = render_to_string(f"emails/{template}.txt", base)
                html = render_to_string(f"emails/{template}.html", base)
            rendered[language] = (subject, text, html)
        return rendered[language]

    sent = 0
    batch: list[EmailMultiAlternatives] = []
    ids: list[int] = []
    with get_connection() as connection:
        for row_id, email, language, _name in people:
            subject, text, html = render(language or settings.LANGUAGE_CODE)
            message = EmailMultiAlternatives(subject, text, from_email, [email])
            message.attach_alternative(html, "text/html")
            batch.append(message)
            ids.append(row_id)
            if len(batch) >= MAIL_BATCH:
                sent += connection.send_messages(batch) or 0
                mark_sent(ids)
                batch, ids = [], []
        if batch:
            sent += connection.send_messages(batch) or 0
            mark_sent(ids)
    return sent


def email_urgent(announcement: Announcement) -> int:
    """Urgent: email everyone it reached, whatever their notification preferences (each once)."""
    owed = (
        Delivery.objects.filter(
            announcement=announcement, emailed_at__isnull=True, user__is_active=True
        )
        .order_by("pk")
        .values_list("pk", "user__email", "user__language", "user__name")
    )

    def mark(ids: list[int]) -> None:
        Delivery.objects.filter(pk__in=ids).update(emailed_at=timezone.now())

    return send_in_batches(
        owed.iterator(chunk_size=2000),
        "announcement_urgent",
        lambda: {"announcement": announcement, "text": strip_tags(announcement.body).strip()},
        mark,
    )


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
        params={"title": announcement.title},
    )


@periodic(every=PUBLISH_EVERY)
@task()
def publish_announcements() -> dict[str, int]:
    """Scheduled announcements go out when due (or are held back while their portal item is
    unpublished); those that ended leave search."""
    now = timezone.now()
    result = actions.publish_due(now)
    result["ended"] = searchable.drop_ended(now, PUBLISH_EVERY * 3)
    return result


@periodic(every=timedelta(minutes=15))
@task()
def deliver_to_newcomers() -> int:
    """People who joined an audience after its announcement went out (new hires, a dealer
    that moved tier) get it too, so the reach report counts them before they visit."""
    added = 0
    for announcement in Announcement.objects.live().filter(delivered_at__isnull=False):
        added += deliveries.deliver(announcement)
        if announcement.priority == Priority.URGENT:
            email_urgent(announcement)
    return added
