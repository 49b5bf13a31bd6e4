"""Certifications (what can be earned, by which courses, for how long) and the credentials
people hold."""

from __future__ import annotations

import operator
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, Count, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Status
from touchpoint.credentials.access import can_manage_certifications, can_see_every_certification
from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import User as Person

User = settings.AUTH_USER_MODEL


# --- certifications -----------------------------------------------------------------------------
class CertificationQuerySet(AccessQuerySet["Certification"]):
    related = ("audience",)

    def visible_to(self, user: Person) -> Self:
        """Published certifications meant for this person, and any they hold or held; vendor
        staff with a role see them all."""
        if not active(user):
            return self.none()
        if can_see_every_certification(user):
            return self.all()
        held = Credential.objects.filter(user=user).values("certification_id")
        return self.filter((Q(status=Status.PUBLISHED) & for_user_q(user)) | Q(pk__in=held))

    def manageable_by(self, user: Person) -> Self:
        return self.all() if can_manage_certifications(user) else self.none()

    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED)

    def with_holder_counts(self, now: datetime | None = None) -> Self:
        """Each certification with its current holders (active or expiring soon), the people
        on the way, and the expired ones, in the same query."""
        now = now or timezone.now()
        current = Q(credentials__is_current=True)

        def state(name: str) -> Q:
            return state_q(name, now, prefix="credentials__")

        return self.annotate(
            holders=Count(
                "credentials",
                filter=current & (state(CredentialState.ACTIVE) | state(CredentialState.EXPIRING)),
            ),
            on_the_way=Count("credentials", filter=current & state(CredentialState.IN_PROGRESS)),
            expired=Count("credentials", filter=current & state(CredentialState.EXPIRED)),
        )


class Certification(models.Model):
    """What can be earned: by completing its courses, or granted by a trainer; valid for a
    period; renewed by a (possibly shorter) recertification that opens before expiry."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(
        _("criteria"), blank=True, help_text=_("What holders know and can do; shown on the badge.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("who should hold it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    courses = models.ManyToManyField(
        "courses.Course",
        verbose_name=_("courses to complete"),
        related_name="certifications",
        blank=True,
    )
    recert_courses = models.ManyToManyField(
        "courses.Course",
        verbose_name=_("courses to recertify"),
        related_name="recertifications",
        blank=True,
        help_text=_("Empty: the same courses again."),
    )
    validity_months = models.PositiveIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Empty: never expires.")
    )
    recert_window_days = models.PositiveIntegerField(
        _("recertification opens (days before expiry)"), default=60
    )
    reminder_days = models.CharField(
        _("reminders (days before expiry)"),
        max_length=60,
        default="60,30,7",
        help_text=_("Comma-separated, e.g. 60,30,7. The holder and their partner admins are told."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("credentials:certification_detail", args=[self.pk])

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted(
            {int(d) for d in self.reminder_days.split(",") if d.strip().isdigit()}, reverse=True
        )


class CredentialStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class CredentialState(models.TextChoices):
    """What a credential is now, from its status and dates (expiry is never stored)."""

    IN_PROGRESS = "in_progress", _("In progress")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# --- a credential's state: one rule, in Python and in SQL -----------------------------------
@dataclass(frozen=True)
class _StateRule:
    """A credential is in `state` when its status is `status` (if given) and the date in
    `reached` (if given) is set and has come. The rules are tried in order; the first that
    holds is the state."""

    state: CredentialState
    status: str | None = None
    reached: str | None = None

    def holds_for(self, credential: Credential, now: datetime) -> bool:
        if self.status is not None and credential.status != self.status:
            return False
        if self.reached is not None:
            moment = getattr(credential, self.reached)
            if moment is None or moment > now:
                return False
        return True

    def q(self, now: datetime, prefix: str = "") -> Q:
        """The same condition as a filter (`prefix` reaches credentials through a relation)."""
        q = self.reached_q(now, prefix)
        if self.status is not None:
            q &= Q(**{f"{prefix}status": self.status})
        return q

    def reached_q(self, now: datetime, prefix: str = "") -> Q:
        """Its date condition alone (everything, for a rule without one)."""
        if self.reached is None:
            return Q()
        return Q(**{f"{prefix}{self.reached}__isnull": False, f"{prefix}{self.reached}__lte": now})

    def fails_q(self, now: datetime, prefix: str = "") -> Q:
        """The opposite condition, written positively: it stays correct inside aggregate
        filters across a relation, where a negated Q would not."""
        parts = []
        if self.status is not None:
            others = [value for value in CredentialStatus.values if value != self.status]
            parts.append(Q(**{f"{prefix}status__in": others}))
        if self.reached is not None:
            parts.append(Q(**{f"{prefix}{self.reached}__isnull": True}))
            parts.append(Q(**{f"{prefix}{self.reached}__gt": now}))
        if not parts:
            raise ValueError(f"the last rule ({self.state}) has no opposite")
        return reduce(operator.or_, parts)


# Expiry is never stored as a status: it is read from the dates, so a credential expires on
# time without a job having to run.
STATE_RULES = (
    _StateRule(CredentialState.REVOKED, status=CredentialStatus.REVOKED),
    _StateRule(CredentialState.IN_PROGRESS, status=CredentialStatus.IN_PROGRESS),
    _StateRule(CredentialState.EXPIRED, reached="expires_at"),
    _StateRule(CredentialState.EXPIRING, reached="expiring_from"),
    _StateRule(CredentialState.ACTIVE),
)


def state_of(credential: Credential, now: datetime) -> str:
    return next(rule.state for rule in STATE_RULES if rule.holds_for(credential, now))


def state_q(state: str, now: datetime, prefix: str = "") -> Q:
    """The credentials in `state` at `now`, as a filter: this state's rule holds and none of
    the rules before it does. `prefix` reaches credentials through a relation (e.g.
    "credentials__")."""
    position = next((i for i, rule in enumerate(STATE_RULES) if rule.state == state), None)
    if position is None:
        raise ValueError(f"unknown credential state {state!r}")
    rule = STATE_RULES[position]
    # Earlier rules that claim a whole status narrow the statuses left, so the filter reads
    # `status = 'active'` as the partial indexes on active credentials expect.
    statuses = [rule.status] if rule.status is not None else list(CredentialStatus.values)
    q = Q()
    for earlier in STATE_RULES[:position]:
        if earlier.reached is None and earlier.status is not None:
            statuses = [value for value in statuses if value != earlier.status]
        else:
            q &= earlier.fails_q(now, prefix)
    if len(statuses) == 1:
        q &= Q(**{f"{prefix}status": statuses[0]})
    else:
        q &= Q(**{f"{prefix}status__in": statuses})
    return q & rule.reached_q(now, prefix)


def state_case(now: datetime, prefix: str = "") -> Case:
    """A credential's state as an SQL expression, for annotating rows (first rule wins)."""
    *conditions, last = STATE_RULES
    return Case(
        *(When(rule.q(now, prefix), then=Value(str(rule.state))) for rule in conditions),
        default=Value(str(last.state)),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


class CredentialQuerySet(AccessQuerySet["Credential"]):
    related = ("user__partner", "certification", "granted_by", "revoked_by")

    def visible_to(self, user: Person) -> Self:
        """A person's own credentials, and those of the people whose progress they may see."""
        if not active(user):
            return self.none()
        return self.filter(Q(user=user) | Q(user__in=Person.objects.visible_to(user)))

    def manageable_by(self, user: Person) -> Self:
        """Credentials this person may revoke: certification managers, among those they see."""
        if not can_manage_certifications(user):
            return self.none()
        return self.visible_to(user)

    def in_state(self, state: str, now: datetime | None = None) -> Self:
        return self.filter(state_q(state, now or timezone.now()))

    def state_counts(self, now: datetime | None = None) -> list[StateCount]:
        """How many of these credentials are in each state (one query)."""
        now = now or timezone.now()
        totals = self.aggregate(
            **{state.value: Count("pk", filter=state_q(state, now)) for state in CredentialState}
        )
        return [
            StateCount(state.value, str(state.label), totals[state.value])
            for state in CredentialState
        ]

    def verifiable(self, verification_id: str) -> Credential | None:
        """The issued (or revoked) credential behind a public verification link. One still in
        progress is not a credential yet, so it is as unknown as a wrong id."""
        return (
            self.select_related("user__partner", "certification")
            .exclude(status=CredentialStatus.IN_PROGRESS)
            .filter(verification_id=verification_id)
            .first()
        )


def new_verification_id() -> str:
    return secrets.token_urlsafe(18)


class StatusList(models.Model):
    """A W3C Bitstring Status List of revocations: each issued credential holds one index
    in one list. The bits are not stored as such: bit i is set when the credential at index
    i is revoked or expired, so the published list always agrees with the credentials."""

    # The spec's minimum (16 KB of bits before compression), so one index says little.
    SIZE = 131_072

    size = models.PositiveIntegerField(default=SIZE)
    allocated = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self) -> str:
        return f"status list {self.pk}"


class Credential(models.Model):
    """One person's certification: earned (or on the way), with issue and expiry dates.
    A renewal is a new row; the one in force has `is_current`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="credentials")
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="credentials"
    )
    status = models.CharField(
        max_length=12, choices=CredentialStatus.choices, default=CredentialStatus.IN_PROGRESS
    )
    is_current = models.BooleanField(default=True)
    started_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # When it counts as "expiring soon" (and recertification opens): kept with the row so
    # the state is a plain comparison in SQL.
    expiring_from = models.DateTimeField(null=True, blank=True)
    renewal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    renewal_opened_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grant_reason = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)
    verification_id = models.CharField(
        max_length=32, unique=True, default=new_verification_id, editable=False
    )
    reminders_sent = models.JSONField(default=list, blank=True)
    # Its place in a revocation status list, taken when it is issued (never reused).
    status_list = models.ForeignKey(
        StatusList, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    status_index = models.PositiveIntegerField(null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-started_at"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification"],
                condition=Q(is_current=True),
                name="one_current_credential",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_status_index"
            ),
        ]
        indexes = [
            models.Index(fields=["certification", "is_current", "expires_at"]),
            models.Index(
                fields=["expiring_from"],
                condition=Q(status="active", is_current=True),
                name="active_credential_expiry",
            ),
            # The "expiring in 90 days" list and the expiry reminders read by expiry date.
            models.Index(
                fields=["expires_at"],
                condition=Q(status="active", is_current=True),
                name="active_credential_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.certification}"

    def get_absolute_url(self) -> str:
        return reverse("credentials:credential_detail", args=[self.pk])

    def state(self, now: datetime | None = None) -> str:
        """What the credential is at `now` (STATE_RULES; `state_q` and `state_case` are the
        same rule in SQL)."""
        return state_of(self, now or timezone.now())

    @property
    def state_label(self) -> Any:
        return CredentialState(self.state()).label

    @property
    def has_certificate(self) -> bool:
        """Issued and not revoked: it has a PDF and a badge. (Expired ones keep theirs: the
        dates on them say so.)"""
        return self.status == CredentialStatus.ACTIVE and self.issued_at is not None

    @property
    def holder_name(self) -> str:
        """The holder as printed and shown publicly: their name, never their email address."""
        return self.user.name.strip() or gettext("Name not recorded")

    def renewal_history(self) -> list[Credential]:
        """The renewal chain this credential belongs to, oldest first (one query: all of the
        person's credentials for the certification, linked in Python)."""
        rows = {
            c.pk: c
            for c in Credential.objects.filter(
                user_id=self.user_id, certification_id=self.certification_id
            )
        }
        rows[self.pk] = self
        chain = [self]
        seen = {self.pk}
        before = self.renewal_of_id
        while before in rows and before not in seen:
            chain.insert(0, rows[before])
            seen.add(before)
            before = rows[before].renewal_of_id
        successors = {c.renewal_of_id: c for c in rows.values() if c.renewal_of_id}
        after = successors.get(self.pk)
        while after is not None and after.pk not in seen:
            chain.append(after)
            seen.add(after.pk)
            after = successors.get(after.pk)
        return chain
