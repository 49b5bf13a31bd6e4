"""Communication: announcements (bulletins) with their attachments and one delivery per
person reached, and launch campaigns: a scheduled sequence of teasers, emails, a feature
tour and launch incentives for one audience."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.comms.access import REACH_READERS, can_run_campaigns, can_write_announcements
from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.translations import Translatable, TranslatableQuerySet
from touchpoint.kernel.uploads import ContentNamedFileField
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import Partner

User = settings.AUTH_USER_MODEL


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important")
    URGENT = "urgent", _("Urgent")


class AnnouncementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    # Due, but the portal item it points to is not published yet ("posted before announced").
    HELD = "held", _("Held back")
    PUBLISHED = "published", _("Published")


class AnnouncementQuerySet(TranslatableQuerySet["Announcement"]):
    related = ("asset", "course", "author", "audience")

    def live(self, now: datetime | None = None) -> Self:
        """Published and not ended: what partners see."""
        now = now or timezone.now()
        return self.filter(state=AnnouncementState.PUBLISHED, published_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )

    def received_by(self, user: Any) -> Self:
        """A person's feed: live announcements meant for them or already delivered to them
        (an audience edited later does not take one away)."""
        if not active(user):
            return self.none()
        delivered = Exists(Delivery.objects.filter(announcement=OuterRef("pk"), user=user))
        return self.live().filter(for_user_q(user) | Q(delivered))

    def visible_to(self, user: Any) -> Self:
        """What this person may open: vendor staff with a role any announcement, everyone
        else what they received."""
        if not active(user):
            return self.none()
        if user.is_vendor and user.staff_roles:
            return self.all()
        return self.received_by(user)

    def manageable_by(self, user: Any) -> Self:
        """What this person may edit and end: portal admins every announcement, other
        authors their own."""
        if not can_write_announcements(user):
            return self.none()
        if user.is_portal_admin:
            return self.all()
        return self.filter(author=user)

    def reportable_by(self, user: Any) -> Self:
        """Whose reach this person may see: authors their own, portal admins and channel
        managers every one that went out (channel managers counted for their partners, see
        Delivery.objects.visible_to)."""
        if not can_write_announcements(user):
            return self.none()
        if user.has_staff_role(*REACH_READERS):
            return self.exclude(state=AnnouncementState.DRAFT)
        return self.filter(author=user)

    def with_delivery_of(self, user: Any) -> Any:
        """Each announcement with this person's delivery (`my_delivery`, `my_read_at`,
        `my_ack_at`) and `pinned`: urgent and not yet acknowledged, which keeps it at the top."""
        mine = Delivery.objects.filter(announcement=OuterRef("pk"), user=user)
        return self.annotate(
            my_delivery=Subquery(mine.values("pk")[:1]),
            my_read_at=Subquery(mine.values("read_at")[:1]),
            my_ack_at=Subquery(mine.values("acknowledged_at")[:1]),
        ).annotate(
            pinned=Case(
                When(priority=Priority.URGENT, my_ack_at__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )


class Announcement(Translatable, models.Model):
    """A bulletin from the vendor to an audience, optionally pointing to a portal item that
    must be published first, and optionally asking each person to acknowledge it."""

    translated_fields = ("title", "body")
    translated_html = ("body",)

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    body = models.TextField(
        _("text"),
        help_text=_(
            "Headings, paragraphs, lists, tables, links and bold are kept; anything else is removed."
        ),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    requires_ack = models.BooleanField(
        _("acknowledgement required"),
        default=False,
        help_text=_("Each person confirms “I have read this”; you see who has not."),
    )
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who receives it. Empty: every partner person."),
    )
    asset = models.ForeignKey(
        "library.Asset",
        verbose_name=_("library item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
        help_text=_("The item this announces. It must be published before the announcement."),
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
        help_text=_("The course this announces. It must be published before the announcement."),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AnnouncementState.choices,
        default=AnnouncementState.DRAFT,
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    # Why the publisher is holding it back; the author is told once per reason.
    held_reason = models.CharField(max_length=300, blank=True, editable=False)
    # When the background task finished creating deliveries (and emailing, when urgent).
    delivered_at = models.DateTimeField(null=True, blank=True, editable=False)
    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="announcements"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [
            models.Index(fields=["state", "publish_at"]),
            models.Index(fields=["state", "-published_at"]),
            models.Index(fields=["author", "state"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("comms:announcement", args=[self.pk])

    @property
    def is_urgent(self) -> bool:
        return self.priority == Priority.URGENT

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return (
            self.state == AnnouncementState.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.ends_at is None or self.ends_at > now)
        )

    @property
    def has_ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()

    def reach_limited_for(self, user: Any) -> bool:
        """Whether this person's reach report counts only their own partners (a channel
        manager following up someone else's announcement)."""
        return not (user.is_portal_admin or self.author_id == user.pk)


def attachment_upload_to(attachment: Attachment, filename: str) -> str:
    # `filename` is generated from the content (ContentNamedFileField); the uploader's name
    # is kept in `file_name` for the download header only.
    return f"comms/{attachment.announcement_id}/{filename}"


class Attachment(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="attachments"
    )
    file = ContentNamedFileField(upload_to=attachment_upload_to, max_length=255)
    file_name = models.CharField(max_length=255)
    file_type = models.CharField(max_length=100)
    file_size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["file_name", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file_name


class DeliveryQuerySet(AccessQuerySet["Delivery"]):
    def visible_to(self, user: Any) -> Self:
        """The deliveries a reach report counts for this person: portal admins every one,
        authors those of their own announcements, channel managers also those at the
        partners they manage. (Deliveries exist only for announcements that went out.)"""
        if not can_write_announcements(user):
            return self.none()
        if user.is_portal_admin:
            return self.all()
        own = Q(announcement__author=user)
        if user.has_staff_role(*REACH_READERS):
            return self.filter(own | Q(partner__in=Partner.objects.visible_to(user)))
        return self.filter(own)

    def unacknowledged(self) -> Self:
        """Still owed an acknowledgement by someone who can give it."""
        return self.filter(acknowledged_at__isnull=True, user__is_active=True)


class Delivery(models.Model):
    """One announcement in one person's feed: created in bulk when it is published (and for
    people who join the audience later), with when they read and acknowledged it."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="deliveries")
    # The person's company when it was delivered: reach by partner is a GROUP BY on this row.
    partner = models.ForeignKey(
        "orgs.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["announcement", "partner"]),
        ]

    def __str__(self) -> str:
        return f"{self.announcement} → {self.user}"


# --- launch campaigns --------------------------------------------------------------------------
class CampaignQuerySet(AccessQuerySet["Campaign"]):
    related = ("audience",)

    def visible_to(self, user: Any) -> Self:
        """Campaigns are planned and followed by the people who run them."""
        return self.all() if can_run_campaigns(user) else self.none()

    def manageable_by(self, user: Any) -> Self:
        return self.visible_to(user)


class Campaign(models.Model):
    """A launch run like a product launch (seed 004, pitfall 1): teasers, emails, a feature
    tour and incentives for one audience, each step at its own time."""

    name = models.CharField(_("name"), max_length=150, validators=[validate_plain_text])
    description = models.CharField(_("goal"), max_length=300, blank=True)
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who the campaign is for. Empty: every partner person."),
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("comms:campaign", args=[self.pk])


class StepKind(models.TextChoices):
    TEASER = "teaser", _("Teaser announcement")
    EMAIL = "email", _("Email")
    TOUR = "tour", _("Feature tour")
    INCENTIVES = "incentives", _("Launch incentives")


class Incentive(models.TextChoices):
    FIRST_SIGN_IN = "first-sign-in", _("First sign-in")
    PROFILE = "profile-complete", _("Profile completed")
    FIRST_COURSE = "first-course", _("First course completed")


class CampaignStepQuerySet(TranslatableQuerySet["CampaignStep"]):
    related = ("campaign__audience", "announcement")

    def running(self, kind: str, now: datetime | None = None) -> Self:
        """Steps of this kind that started and have not ended."""
        now = now or timezone.now()
        return self.filter(kind=kind, started_at__isnull=False).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )

    def visible_to(self, user: Any) -> Self:
        """What a person opens of a campaign: a running feature tour meant for them."""
        if not active(user):
            return self.none()
        return self.running(StepKind.TOUR).filter(for_user_q(user, "campaign__audience"))

    def manageable_by(self, user: Any) -> Self:
        """Every step, for the people who run campaigns."""
        return self.all() if can_run_campaigns(user) else self.none()


class CampaignStep(Translatable, models.Model):
    """One step of a campaign. Teasers are announcements (the announcement publisher sends
    them, with its rules); emails go out when due; a tour and incentives are active from
    `run_at` until `ends_at`."""

    # A tour's name; its stops are translated with it (TourStop).
    translated_fields = ("title",)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=12, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    run_at = models.DateTimeField(_("when"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    announcement = models.OneToOneField(
        Announcement, null=True, blank=True, on_delete=models.SET_NULL, related_name="step"
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    points_first_sign_in = models.PositiveIntegerField(_("points for the first sign-in"), default=0)
    points_profile = models.PositiveIntegerField(_("points for completing the profile"), default=0)
    points_first_course = models.PositiveIntegerField(
        _("points for the first course completed"), default=0
    )
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    reached = models.PositiveIntegerField(default=0, editable=False)

    objects = CampaignStepQuerySet.as_manager()

    class Meta:
        ordering = ["run_at", "pk"]
        verbose_name = _("campaign step")
        verbose_name_plural = _("campaign steps")
        indexes = [models.Index(fields=["started_at", "run_at"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.title}"

    def points(self) -> dict[str, int]:
        return {
            Incentive.FIRST_SIGN_IN: self.points_first_sign_in,
            Incentive.PROFILE: self.points_profile,
            Incentive.FIRST_COURSE: self.points_first_course,
        }

    @property
    def state(self) -> str:
        """scheduled, sent (teaser or email went out), active (tour, incentives) or done."""
        now = timezone.now()
        if self.kind == StepKind.TEASER:
            ann = self.announcement
            if ann is None or ann.state != AnnouncementState.PUBLISHED:
                return "held" if ann and ann.state == AnnouncementState.HELD else "scheduled"
            return "done" if ann.has_ended else "sent"
        if self.started_at is None:
            return "scheduled"
        if self.kind == StepKind.EMAIL:
            return "sent"
        return "done" if self.ends_at and self.ends_at <= now else "active"

    @property
    def is_active(self) -> bool:
        return self.state == "active"


class TourStop(Translatable, models.Model):
    """One stop of a feature tour: what to look at and the page where it is."""

    translated_fields = ("title", "text")

    step = models.ForeignKey(CampaignStep, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=120, validators=[validate_plain_text])
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(
        _("page"), max_length=300, help_text=_("A portal page, e.g. /learn/ or /library/.")
    )

    objects = TranslatableQuerySet["TourStop"].as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")

    def __str__(self) -> str:
        return self.title


class StepProgress(models.Model):
    """A person's part in an email or tour step: reached (emailed, tour shown) and acted
    (signed in after the email, finished the tour); `closed_at` when a tour was dismissed."""

    step = models.ForeignKey(CampaignStep, on_delete=models.CASCADE, related_name="progress")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reached_at = models.DateTimeField(default=timezone.now)
    acted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("campaign progress")
        verbose_name_plural = _("campaign progress")
        constraints = [
            models.UniqueConstraint(fields=["step", "user"], name="step_progress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.step} · {self.user}"


class IncentiveAward(models.Model):
    """A launch incentive one person achieved, once per incentive per step. The matching
    activity event ("earned", object comms.campaign) is what the Motivation app will read."""

    step = models.ForeignKey(CampaignStep, on_delete=models.CASCADE, related_name="awards")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    incentive = models.CharField(max_length=20, choices=Incentive.choices)
    points = models.PositiveIntegerField(default=0)
    achieved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("incentive achieved")
        verbose_name_plural = _("incentives achieved")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "user", "incentive"], name="incentive_award_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.incentive}"
