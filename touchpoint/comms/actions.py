"""Writes for announcements and campaigns: saving, publishing and scheduling (with the
"posted before announced" rule), the periodic publisher, reading and acknowledging,
reminders, ending; building campaigns (steps, tour stops) and a person's part in a feature
tour. Each runs in one transaction, with its audit entry when an author or admin changed
something; deliveries, email and search are queued for after the commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touchpoint.comms import deliveries
from touchpoint.comms.access import may_address
from touchpoint.comms.campaigns import forget_tours
from touchpoint.comms.models import (
    Announcement,
    AnnouncementState,
    Attachment,
    Campaign,
    CampaignStep,
    Delivery,
    StepKind,
    StepProgress,
)
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.notifications import notify
from touchpoint.orgs.models import User
from touchpoint.search import index

ANNOUNCEMENT_FIELDS = [
    "title", "priority", "requires_ack", "audience", "asset", "course", "state",
    "publish_at", "ends_at",
]  # fmt: skip
# A person is reminded to acknowledge at most once in this time, whoever presses the button.
REMINDER_GAP = timedelta(hours=1)


@dataclass(frozen=True)
class NewFile:
    upload: UploadedFile
    file_type: str
    file_name: str


# --- posted before announced -------------------------------------------------------------------
def _when(value: datetime) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT", use_l10n=True)


def item_problem(announcement: Announcement, schedule_at: datetime | None = None) -> str:
    """Why the announcement may not go out now (or, with `schedule_at`, be scheduled for
    then): the portal item it points to is not published. Scheduling allows an item that
    is scheduled by then, or still a draft (the publisher holds it back until it is
    published). Empty when nothing stands in the way."""
    from touchpoint.courses.models import Status
    from touchpoint.library.models import AssetState

    asset, course = announcement.asset, announcement.course
    if asset is not None and asset.state != AssetState.PUBLISHED:
        if asset.state == AssetState.ARCHIVED:
            return _("“%(item)s” is archived. Link a current item instead.") % {"item": asset.title}
        if asset.state == AssetState.SCHEDULED and asset.publish_at:
            if schedule_at is None or asset.publish_at > schedule_at:
                return _(
                    "“%(item)s” is scheduled to publish at %(when)s, after this announcement. "
                    "Publish the item first, or announce it later: people should find it when "
                    "they read about it."
                ) % {"item": asset.title, "when": _when(asset.publish_at)}
        elif schedule_at is None:
            return _(
                "“%(item)s” is not published yet. Publish it first, then announce it: people "
                "should find it when they read about it."
            ) % {"item": asset.title}
    if course is not None:
        if course.status == Status.ARCHIVED:
            return _("The course “%(item)s” is archived. Link a current course instead.") % {
                "item": course.title
            }
        published = course.status == Status.PUBLISHED and course.published_version_id is not None
        if not published and schedule_at is None:
            return _(
                "The course “%(item)s” is not published yet. Publish it first, then announce "
                "it: people should find it when they read about it."
            ) % {"item": course.title}
    return ""


def item_pending(announcement: Announcement) -> str:
    """A warning for a scheduled announcement whose item is still a draft: it is held back
    unless the item is published by then."""
    from touchpoint.courses.models import Status
    from touchpoint.library.models import AssetState

    names = []
    if announcement.asset is not None and announcement.asset.state == AssetState.DRAFT:
        names.append(announcement.asset.title)
    if announcement.course is not None and announcement.course.status == Status.DRAFT:
        names.append(announcement.course.title)
    if not names:
        return ""
    return _(
        "%(items)s is not published yet. The announcement waits (and you are told) until it is."
    ) % {"items": ", ".join(f"“{n}”" for n in names)}


# --- saving and publishing ---------------------------------------------------------------------
def _attach(announcement: Announcement, files: list[NewFile]) -> None:
    for new in files:
        attachment = Attachment(
            announcement=announcement,
            file_name=new.file_name,
            file_type=new.file_type,
            file_size=new.upload.size or 0,
        )
        attachment.file.save(new.file_name, new.upload, save=False)
        attachment.save()


def save_announcement(
    user: User,
    announcement: Announcement,
    *,
    publish: bool,
    files: list[NewFile] | None = None,
    remove: list[int] | None = None,
) -> Announcement:
    """Create or update an announcement (a form's unsaved instance); with `publish`, publish
    it now or schedule it for its `publish_at`. Raises ValidationError (nothing saved) when
    the audience reaches people the author may not address (a channel manager: beyond their
    partners), or when the linked item is not ready for that time."""
    now = timezone.now()
    creating = announcement.pk is None
    if not may_address(user, announcement.audience):
        refused = _("This audience reaches people at partners you do not manage.")
        raise ValidationError({"audience": ValidationError(refused, code="not_managed")})
    if publish and announcement.state != AnnouncementState.PUBLISHED:
        later = (
            announcement.publish_at
            if announcement.publish_at and announcement.publish_at > now
            else None
        )
        problem = item_problem(announcement, later)
        if problem:
            raise ValidationError(problem, code="item_not_published")
    with transaction.atomic():
        # What it was, from the database: the instance already carries the form's changes.
        before = (
            {}
            if creating
            else audit.snapshot(Announcement.objects.get(pk=announcement.pk), ANNOUNCEMENT_FIELDS)
        )
        if creating:
            announcement.author = user
        going_out = False
        if publish and announcement.state != AnnouncementState.PUBLISHED:
            if announcement.publish_at and announcement.publish_at > now:
                announcement.state = AnnouncementState.SCHEDULED
            else:
                announcement.state = AnnouncementState.PUBLISHED
                announcement.publish_at = announcement.publish_at or now
                announcement.published_at = now
                going_out = True
            announcement.held_reason = ""
        announcement.save()
        _attach(announcement, files or [])
        if remove:
            announcement.attachments.filter(pk__in=remove).delete()
        audit.record(
            user,
            "announcement.created" if creating else "announcement.changed",
            announcement,
            before=before,
            after=audit.snapshot(announcement, ANNOUNCEMENT_FIELDS),
        )
        _after_commit(announcement, going_out)
    return announcement


def _after_commit(announcement: Announcement, going_out: bool) -> None:
    pk = announcement.pk
    if going_out:
        transaction.on_commit(lambda: deliveries.deliver_announcement.enqueue(pk))
    index.update(announcement)


def publish_due(now: datetime | None = None) -> dict[str, int]:
    """The periodic publisher: scheduled (and held) announcements whose time has come go
    out, unless their portal item is still unpublished; then they are held back and the
    author is told why, once per reason."""
    now = now or timezone.now()
    published = held = 0
    due = Announcement.objects.filter(
        state__in=[AnnouncementState.SCHEDULED, AnnouncementState.HELD], publish_at__lte=now
    ).select_related("asset", "course", "author")
    for candidate in due:
        with transaction.atomic():
            announcement = (
                # Only the announcement's row is locked: PostgreSQL cannot lock the nullable side
                # of the outer joins that select_related makes for its asset and course.
                Announcement.objects.select_for_update(of=("self",))
                .filter(
                    pk=candidate.pk, state__in=[AnnouncementState.SCHEDULED, AnnouncementState.HELD]
                )
                .select_related("asset", "course", "author")
                .first()
            )
            if announcement is None:  # another worker took it
                continue
            problem = item_problem(announcement)
            if problem:
                if announcement.held_reason != problem:
                    announcement.state = AnnouncementState.HELD
                    announcement.held_reason = problem[:300]
                    announcement.save(update_fields=["state", "held_reason", "updated_at"])
                    audit.record(
                        "publisher", "announcement.held", announcement, after={"reason": problem}
                    )
                    notify(
                        [announcement.author],
                        "comms_authoring",
                        gettext_lazy("“%(title)s” is held back"),
                        body=problem,
                        url=announcement.get_absolute_url(),
                        params={"title": announcement.title},
                    )
                held += 1
                continue
            announcement.state = AnnouncementState.PUBLISHED
            announcement.published_at = now
            announcement.held_reason = ""
            announcement.save(update_fields=["state", "published_at", "held_reason", "updated_at"])
            audit.record("publisher", "announcement.published", announcement)
            _after_commit(announcement, True)
            published += 1
    return {"published": published, "held": held}


def end_now(user: User, announcement: Announcement) -> Announcement:
    """Take it out of feeds now (it stays in the reach report)."""
    with transaction.atomic():
        before = audit.snapshot(announcement, ANNOUNCEMENT_FIELDS)
        announcement.ends_at = timezone.now()
        if announcement.state != AnnouncementState.PUBLISHED:
            announcement.state = AnnouncementState.DRAFT
        announcement.save(update_fields=["ends_at", "state", "updated_at"])
        audit.record(user, "announcement.ended", announcement, before=before,
                     after=audit.snapshot(announcement, ANNOUNCEMENT_FIELDS))  # fmt: skip
        index.update(announcement)
    return announcement


# --- reading ------------------------------------------------------------------------------------
def _delivery(user: User, announcement: Announcement) -> Delivery:
    """The person's delivery, made now if the background run has not reached them yet."""
    delivery, _created = Delivery.objects.get_or_create(
        announcement=announcement, user=user, defaults={"partner_id": user.partner_id}
    )
    return delivery


def mark_read(user: User, announcement: Announcement) -> bool:
    """True when this marked it read; False when it was read already."""
    with transaction.atomic():
        delivery = _delivery(user, announcement)
        if delivery.read_at:
            return False
        changed = Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return bool(changed)


def acknowledge(user: User, announcement: Announcement) -> bool:
    """True when this recorded the acknowledgement; False when it was given before (a
    second press changes nothing, and the page says so)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = _delivery(user, announcement)
        changed = Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, read_at=delivery.read_at or now
        )
        if changed:
            record_event(user, "acknowledged", announcement)
    return bool(changed)


# --- following up ------------------------------------------------------------------------------
def remind(user: User, announcement: Announcement) -> int:
    """Remind those who have not acknowledged, among the people this person's reach report
    counts (a channel manager: at their partners). Each person is reminded at most once an
    hour; returns how many will be reminded (0: all were reminded within the hour)."""
    if not announcement.requires_ack or not announcement.is_live:
        raise ValidationError(
            _("Only a live announcement that asks for acknowledgement has reminders.")
        )
    now = timezone.now()
    with transaction.atomic():
        owed = (
            Delivery.objects.visible_to(user)
            .filter(announcement=announcement)
            .unacknowledged()
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMINDER_GAP))
        )
        count = Delivery.objects.filter(pk__in=owed.values("pk")).update(reminded_at=now)
        if count:
            audit.record(user, "announcement.reminded", announcement, after={"people": count})
            pk = announcement.pk
            transaction.on_commit(lambda: deliveries.send_reminders.enqueue(pk, now.isoformat()))
    return count


# --- building campaigns ------------------------------------------------------------------------
def save_campaign(user: User, campaign: Campaign) -> Campaign:
    with transaction.atomic():
        creating = campaign.pk is None
        if creating:
            campaign.created_by = user
        campaign.save()
        # Teasers follow the campaign's audience.
        Announcement.objects.filter(step__campaign=campaign).exclude(
            state=AnnouncementState.PUBLISHED
        ).update(audience=campaign.audience)
        audit.record(user, "campaign.created" if creating else "campaign.changed", campaign,
                     after={"name": campaign.name, "audience": str(campaign.audience or "")})  # fmt: skip
    return campaign


def save_step(
    user: User, step: CampaignStep, stops: list[dict[str, str]] | None = None
) -> CampaignStep:
    """Save a step; a teaser creates (or updates) its announcement, scheduled for the step's
    time, so the announcement publisher sends it with its own rules."""
    with transaction.atomic():
        creating = step.pk is None
        if step.kind == StepKind.TEASER:
            announcement = step.announcement or Announcement(author=user)
            announcement.title = step.title
            announcement.body = step.body
            announcement.audience = step.campaign.audience
            announcement.publish_at = step.run_at
            announcement.ends_at = step.ends_at
            if announcement.state != AnnouncementState.PUBLISHED:
                announcement.state = AnnouncementState.SCHEDULED
            announcement.save()
            step.announcement = announcement
        step.save()
        forget_tours()
        if stops is not None:
            # Stops are kept by position, so their translations stay (out of date where the
            # words changed) rather than vanish with rows made afresh.
            kept = list(step.stops.order_by("position", "pk"))
            for i, stop in enumerate(stops):
                row = kept[i] if i < len(kept) else step.stops.model(step=step)
                for name, value in {**stop, "position": i}.items():
                    setattr(row, name, value)
                row.save()
            step.stops.filter(pk__in=[row.pk for row in kept[len(stops) :]]).delete()
        audit.record(user, "campaign.step_added" if creating else "campaign.step_changed",
                     step.campaign, after={"step": step.title, "kind": step.kind,
                                           "run_at": step.run_at.isoformat()})  # fmt: skip
        if step.announcement is not None:
            index.update(step.announcement)
    return step


def delete_step(user: User, step: CampaignStep) -> None:
    with transaction.atomic():
        if step.announcement and step.announcement.state != AnnouncementState.PUBLISHED:
            step.announcement.delete()
        audit.record(user, "campaign.step_removed", step.campaign, before={"step": step.title})
        step.delete()
        forget_tours()


# --- a person's part in a feature tour ---------------------------------------------------------
def mark_tour_seen(user: User, step: CampaignStep) -> bool:
    """The tour is shown to this person: the first showing counts as reached (the tour's
    read mark). True the first time."""
    # Called on every home page while a tour is on: get_or_create reads first and only
    # opens its own savepoint to create, so the common case (already seen) is one read
    # and no transaction; a single insert needs no outer atomic block.
    _progress, created = StepProgress.objects.get_or_create(step=step, user=user)
    return created


def close_tour(user: User, step: CampaignStep, finished: bool) -> None:
    """Dismissed (or finished: then it counts as acted). Harmless to repeat."""
    now = timezone.now()
    with transaction.atomic():
        progress, _created = StepProgress.objects.get_or_create(step=step, user=user)
        fields: dict[str, Any] = (
            {"closed_at": F("closed_at")} if progress.closed_at else {"closed_at": now}
        )
        if finished and progress.acted_at is None:
            fields["acted_at"] = now
        StepProgress.objects.filter(pk=progress.pk).update(**fields)
