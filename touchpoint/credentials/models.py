"""Certifications (what can be earned, by which courses, for how long) and the credentials
people hold."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Status
from touchpoint.kernel.validators import validate_plain_text

User = settings.AUTH_USER_MODEL


# --- certifications -----------------------------------------------------------------------------
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


def new_verification_id() -> str:
    return secrets.token_urlsafe(18)


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

    class Meta:
        ordering = ["-issued_at", "-started_at"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification"],
                condition=Q(is_current=True),
                name="one_current_credential",
            )
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

    def state(self, now: Any = None) -> str:
        now = now or timezone.now()
        if self.status == CredentialStatus.REVOKED:
            return CredentialState.REVOKED
        if self.status == CredentialStatus.IN_PROGRESS:
            return CredentialState.IN_PROGRESS
        if self.expires_at and self.expires_at <= now:
            return CredentialState.EXPIRED
        if self.expiring_from and self.expiring_from <= now:
            return CredentialState.EXPIRING
        return CredentialState.ACTIVE

    @property
    def state_label(self) -> Any:
        return CredentialState(self.state()).label
