"""L&D requests (seed 002): a department's or partner's ask for learning or information,
the business outcome and KPI it should move, its triage by the learning team into one of
the four relationship types, the deliverables that answer it, and its timeline."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from touchpoint.alignment.access import is_learning_team, reads_every_request
from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs.models import Partner, StaffRoleKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = settings.AUTH_USER_MODEL


class RelationshipType(models.TextChoices):
    """How the learning team serves a request (seed 002), from high touch to no touch."""

    STRATEGIC = "strategic", _("Strategic Partnership")
    VENDOR = "vendor", pgettext_lazy("relationship type", "Vendor")
    BROKER = "broker", _("Broker")
    SELF_SERVICE = "self_service", _("Self Service")


# The seed's definitions, in our words: shown beside the choice when triaging.
RELATIONSHIP_HELP: dict[str, StrOrPromise] = {
    RelationshipType.STRATEGIC: _(
        "A consulting relationship over time: shared business goals, joint planning, a formal "
        "needs analysis, a learning roadmap and measures agreed up front. Both sides shape the "
        "objectives and the outcome. High touch: regular contact with the sponsor. Example: "
        "the head of customer service wants satisfaction scores two points higher next year."
    ),
    RelationshipType.VENDOR: _(
        "We build, source or deliver learning to requirements the requester has already "
        "defined. Medium touch: one meeting to agree what is needed, little contact after. "
        "Example: compliance training on a new regulation by the end of the quarter."
    ),
    RelationshipType.BROKER: _(
        "We connect the people who have the knowledge with those who need it, making sure "
        "existing content is relevant, current and easy to reach. Medium touch: answers as "
        "questions come. Example: a moderator answers a technician's forum question with a "
        "link to the troubleshooting guide."
    ),
    RelationshipType.SELF_SERVICE: _(
        "Learning at the moment of need, without a person in the loop: it takes work to set "
        "up and steady monitoring so it is there when and where it is needed. No touch. "
        "Example: a sales rep clicks help in the point-of-sale system and gets the extended "
        "warranty guide."
    ),
}

# A short rule of thumb per type for the "how to choose" panel.
RELATIONSHIP_WHEN: dict[str, StrOrPromise] = {
    RelationshipType.STRATEGIC: _(
        "The ask is a business result (a KPI to move over months), not a course, and the "
        "sponsor will plan with us."
    ),
    RelationshipType.VENDOR: _(
        "The requester knows exactly what learning they need and by when; we deliver it."
    ),
    RelationshipType.BROKER: _(
        "The answer already exists somewhere (a guide, an expert, a forum answer); the job is "
        "to connect it to the people asking."
    ),
    RelationshipType.SELF_SERVICE: _(
        "The same question comes again and again at the same point of daily work; make the "
        "answer appear there by itself (a context mapping, the library)."
    ),
}


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("request status", "New")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    DELIVERED = "delivered", _("Delivered")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (Status.NEW, Status.TRIAGED, Status.IN_PROGRESS, Status.ON_HOLD)
STATUS_TONES = {
    Status.NEW: "info",
    Status.TRIAGED: "neutral",
    Status.IN_PROGRESS: "warn",
    Status.ON_HOLD: "muted",
    Status.DELIVERED: "ok",
    Status.DECLINED: "error",
}


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


# What a list or page of requests shows beside each one (one join each, no extra queries).
LIST_RELATED = ("requester", "partner", "department", "owner", "job_role")


class RequestQuerySet(AccessQuerySet["LearningRequest"]):
    related = LIST_RELATED

    def visible_to(self, user: Any) -> Self:
        """The requests this person may open and comment on (alignment.access says who)."""
        if not active(user):
            return self.none()
        if user.is_vendor:
            if reads_every_request(user):
                return self.all()
            if user.has_staff_role(StaffRoleKind.CHANNEL_MANAGER):
                return self.filter(
                    Q(partner__in=Partner.objects.visible_to(user)) | Q(requester=user)
                )
            return self.filter(requester=user)
        if user.is_partner_manager:
            return self.filter(partner__in=Partner.objects.visible_to(user))
        assert user.partner_id is not None
        return self.filter(requester=user, partner_id=user.partner_id)

    def manageable_by(self, user: Any) -> Self:
        """The requests this person triages: every one for the learning team, none otherwise."""
        return self.all() if is_learning_team(user) else self.none()


class LearningRequest(models.Model):
    """One ask for learning or information, from a vendor department or a partner."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    need = models.TextField(
        _("what you need"),
        help_text=_("What people should know or be able to do, and what happens today."),
    )
    audience = models.CharField(
        _("who it is for"),
        max_length=300,
        validators=[validate_plain_text],
        help_text=_("e.g. new service technicians at Gold dealers in the north-east"),
    )
    job_role = models.ForeignKey(
        "orgs.JobRole",
        verbose_name=_("job role"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: the job role most of them have."),
    )
    business_outcome = models.TextField(
        _("business outcome"),
        help_text=_("What will be better for the business when this works?"),
    )
    # The KPI it should move, kept as fields (not prose) so Measurement can report against it.
    kpi_metric = models.CharField(
        _("KPI"),
        max_length=120,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("The measure, e.g. first-time-fix rate, CSAT, warranty attach rate."),
    )
    kpi_baseline = models.DecimalField(
        _("baseline (today)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    kpi_target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    kpi_unit = models.CharField(
        _("unit"),
        max_length=30,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("e.g. %, points, days, USD"),
    )
    kpi_by = models.DateField(_("target date"), null=True, blank=True)
    deadline = models.DateField(
        _("needed by"), help_text=_("When the learning or information must be available.")
    )

    requester = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    # Exactly one of the two: who the request is for (see the constraint).
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_requests",
    )
    partner = models.ForeignKey(
        "orgs.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_requests",
    )

    relationship = models.CharField(
        _("relationship type"), max_length=20, choices=RelationshipType.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_learning_requests",
        help_text=_("The person in the learning team accountable for it."),
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    created_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("L&D request")
        verbose_name_plural = _("L&D requests")
        indexes = [
            models.Index(fields=["relationship", "status"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["partner", "-created_at"]),
            models.Index(fields=["requester", "-created_at"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, partner__isnull=True)
                | Q(department__isnull=True, partner__isnull=False),
                name="request_for_department_or_partner",
                violation_error_message=_("A request comes from a department or a partner."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_request_has_reason",
                violation_error_message=_("Say why the request is declined."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alignment:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(Status(self.status), "neutral")

    @property
    def requested_for(self) -> str:
        """The department or partner the request is for, as people read it."""
        return str(self.partner or self.department or "")

    @property
    def relationship_help(self) -> StrOrPromise:
        return RELATIONSHIP_HELP.get(self.relationship, "")

    @property
    def has_kpi(self) -> bool:
        return bool(self.kpi_metric)

    @property
    def kpi_change(self) -> Decimal | None:
        if self.kpi_baseline is None or self.kpi_target is None:
            return None
        return self.kpi_target - self.kpi_baseline


class DeliverableKind(models.TextChoices):
    COURSE = "course", _("Course")
    ASSET = "asset", _("Library item")
    MAPPING = "mapping", _("Context mapping")
    LINK = "link", _("Other portal page")


class DeliverableQuerySet(AccessQuerySet["Deliverable"]):
    related = ("request",)

    def visible_to(self, user: Any) -> Self:
        return self.filter(request__in=LearningRequest.objects.visible_to(user))

    def manageable_by(self, user: Any) -> Self:
        """What the learning team links and removes."""
        return self.all() if is_learning_team(user) else self.none()


class Deliverable(models.Model):
    """What answers a request: a course, a library item, a context mapping, or any other
    portal page (a forum answer, for now by its address)."""

    # The fields each kind points at; the other targets stay empty. A target may become
    # empty later when its item is deleted; the title keeps what it was.
    TARGETS: ClassVar[dict[str, str]] = {
        DeliverableKind.COURSE: "course",
        DeliverableKind.ASSET: "asset",
        DeliverableKind.MAPPING: "mapping",
    }

    request = models.ForeignKey(
        LearningRequest, on_delete=models.CASCADE, related_name="deliverables"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DeliverableKind.choices)
    course = models.ForeignKey(
        "courses.Course", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asset = models.ForeignKey(
        "library.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mapping = models.ForeignKey(
        "contextual.ContextMapping",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    url = models.CharField(
        _("portal address"),
        max_length=500,
        blank=True,
        help_text=_("A page of this portal, starting with /, e.g. /community/posts/42/"),
    )
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="course", asset__isnull=True, mapping__isnull=True, url="")
                    | Q(kind="asset", course__isnull=True, mapping__isnull=True, url="")
                    | Q(kind="mapping", course__isnull=True, asset__isnull=True, url="")
                    | (
                        Q(kind="link", course__isnull=True, asset__isnull=True)
                        & Q(mapping__isnull=True)
                        & ~Q(url="")
                    )
                ),
                name="deliverable_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["request", "course"],
                condition=Q(course__isnull=False),
                name="deliverable_course_once",
            ),
            models.UniqueConstraint(
                fields=["request", "asset"],
                condition=Q(asset__isnull=False),
                name="deliverable_asset_once",
            ),
            models.UniqueConstraint(
                fields=["request", "mapping"],
                condition=Q(mapping__isnull=False),
                name="deliverable_mapping_once",
            ),
            models.UniqueConstraint(
                fields=["request", "url"], condition=~Q(url=""), name="deliverable_link_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def target(self) -> models.Model | None:
        field = self.TARGETS.get(self.kind)
        return getattr(self, field) if field else None

    @property
    def is_gone(self) -> bool:
        """The course, item or mapping it pointed at has been deleted."""
        return self.kind != DeliverableKind.LINK and self.target is None

    def url_for(self, *, staff: bool) -> str:
        """Where the deliverable opens. A context mapping opens as its deep link (what a
        partner's system would open) for partners, and its editor for vendor staff."""
        if self.kind == DeliverableKind.LINK:
            return self.url
        target = self.target
        if target is None:
            return ""
        if isinstance(target, models.Model) and self.kind == DeliverableKind.MAPPING:
            from urllib.parse import urlencode

            if staff:
                return reverse("contextual:mapping_edit", args=[target.pk])
            values = {k: v for k, v in getattr(target, "values", {}).items() if v}
            return f"{reverse('contextual:go')}?{urlencode(values)}"
        return target.get_absolute_url()  # type: ignore[attr-defined]


class EntryKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    COMMENT = "comment", _("Comment")
    STATUS = "status", _("Status changed")
    CLASSIFIED = "classified", _("Classified")
    ASSIGNED = "assigned", _("Owner changed")
    PRIORITY = "priority", _("Priority changed")
    DELIVERABLE_ADDED = "deliverable_added", _("Deliverable linked")
    DELIVERABLE_REMOVED = "deliverable_removed", _("Deliverable removed")


class TimelineEntry(models.Model):
    """One line of a request's history, shown to the requester and the learning team.

    Changes keep the codes before and after (shown in the reader's language); comments keep
    the plain text as typed, which templates escape."""

    request = models.ForeignKey(LearningRequest, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.at:%Y-%m-%d}"

    def _label(self, code: str) -> str:
        if self.kind == EntryKind.STATUS:
            return str(Status(code).label) if code in Status.values else code
        if self.kind == EntryKind.CLASSIFIED:
            if code in RelationshipType.values:
                return str(RelationshipType(code).label)
            return str(_("not classified"))
        if self.kind == EntryKind.PRIORITY and code.isdigit() and int(code) in Priority.values:
            return str(Priority(int(code)).label)
        if self.kind == EntryKind.ASSIGNED and not code:
            return str(_("nobody"))
        return code

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)
