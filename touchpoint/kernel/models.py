"""Records every layer uses: portal settings, the audit log, activity events, notifications
and digests, API tokens and the periodic-job ledger. Nothing here knows a domain app; people
are `settings.AUTH_USER_MODEL`, as in Django's own apps."""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.tokens import hash_token
from touchpoint.kernel.uploads import ContentNamedImageField

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1F6F4A."))


class PortalSettings(models.Model):
    """The one row of installation-wide settings: branding and security policy."""

    name = models.CharField(_("portal name"), max_length=80, default="Touchpoint")
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    logo = ContentNamedImageField(_("logo"), upload_to="branding/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1F5F8B", validators=[hex_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#E0A526", validators=[hex_colour]
    )
    support_email = models.EmailField(_("support email"), blank=True)
    require_mfa_for_staff = models.BooleanField(
        _("require two-factor authentication for vendor staff"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self) -> str:
        return self.name

    @property
    def logo_url(self) -> str:
        """Where pages and emails show the logo: a URL that changes with every save, so the
        long-cached old logo is never shown after a new one."""
        if not self.logo:
            return ""
        return f"{reverse('kernel:logo')}?v={int(self.updated_at.timestamp())}"

    @property
    def theme_url(self) -> str:
        """The style sheet with the brand colours, a new URL whenever they change."""
        return f"{reverse('kernel:theme')}?v={int(self.updated_at.timestamp())}"

    @classmethod
    def load(cls) -> PortalSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


# --- Audit log ------------------------------------------------------------------------------
class AuditEntry(models.Model):
    """Who changed what, when, from where, with the values before and after."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as typed so the trail survives the person being renamed or removed.
    actor_label = models.CharField(max_length=254, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=254, blank=True)
    # The partner whose data changed, so a channel manager's view can be scoped. A plain
    # number rather than a foreign key: the trail outlives the partner, and the kernel does
    # not depend on the orgs app that owns partners.
    partner_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field that differs, for the detail page."""
        keys = sorted(set(self.before) | set(self.after))
        return [
            (k, self.before.get(k), self.after.get(k))
            for k in keys
            if self.before.get(k) != self.after.get(k)
        ]


# --- Activity events (xAPI-shaped) -------------------------------------------------------------
class AppendOnlyQuerySet(models.QuerySet["ActivityEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Activity events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Activity events are append-only.")


class ActivityEvent(models.Model):
    """Something a person did: actor, verb, object, when, for which partner, plus extras.

    Append-only: rows are never changed or deleted by the application. `statement_id`
    and the verb registry in kernel.activity make each row an xAPI statement.
    """

    statement_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    timestamp = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    object_name = models.CharField(max_length=254, blank=True)
    object_url = models.CharField(max_length=500, blank=True)
    # The actor's partner at the time, so reports group by partner without a join to people.
    # A plain number: an append-only row is never rewritten when a partner goes (a foreign
    # key's SET NULL would), and the kernel does not depend on the orgs app.
    partner_id = models.PositiveBigIntegerField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        indexes = [
            models.Index(fields=["actor", "-timestamp"]),
            models.Index(fields=["partner_id", "-timestamp"]),
            models.Index(fields=["verb", "-timestamp"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Activity events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Activity events are append-only.")


# --- Notifications ------------------------------------------------------------------------------
class PersonalQuerySet(AccessQuerySet[Any]):
    """Rows that belong to one person (their notifications, their API tokens): they see and
    change their own, nobody else's."""

    owner_field: ClassVar[str] = "user"

    def visible_to(self, user: Any) -> Self:
        if not active(user):
            return self.none()
        return self.filter(**{self.owner_field: user})

    def manageable_by(self, user: Any) -> Self:
        return self.visible_to(user)


class NotificationQuerySet(PersonalQuerySet):
    owner_field = "recipient"


class Notification(models.Model):
    """One message in a person's in-app notification centre.

    When its recipient reads this kind in a digest, `digest_frequency` says which one
    ("daily"/"weekly") while it waits; the digest job clears it and links the `digest`
    email that carried it, so "pending" is one indexed column. When they read it by email
    right away, `email_due_at` says when the email goes (a short wait, so that several
    updates about the same thing go as one email); the sender clears it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    digest_frequency = models.CharField(max_length=10, blank=True, default="")
    digest = models.ForeignKey(
        "Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    email_due_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            # Only the few rows waiting for a digest are indexed, whatever the table's size.
            models.Index(
                fields=["digest_frequency", "recipient", "created_at"],
                condition=~models.Q(digest_frequency=""),
                name="notification_digest_pending",
            ),
            models.Index(
                fields=["recipient", "kind", "url"],
                condition=models.Q(email_due_at__isnull=False),
                name="notification_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the portal only")
    # Everything shows in the portal too (the preferences page says so): short labels fit
    # a phone's select.
    EMAIL = "email", _("Email right away")
    DAILY = "daily", _("Daily email digest")
    WEEKLY = "weekly", _("Weekly email digest")
    OFF = "off", _("Off")

    @classmethod
    def digests(cls) -> tuple[str, ...]:
        return (cls.DAILY.value, cls.WEEKLY.value)


class Digest(models.Model):
    """One digest email for one person and period (a local day, or the week from Monday).

    The unique (user, frequency, period) row is the claim: whichever worker inserts it
    sends that email, so a digest goes out once even if the job runs twice at once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=10,
        choices=[(Channel.DAILY.value, _("Daily")), (Channel.WEEKLY.value, _("Weekly"))],
    )
    # The first day of the period in the person's time zone (a Monday for weekly digests).
    period = models.DateField()
    due_at = models.DateTimeField()
    claim = models.UUIDField(db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Empty while being sent, or when everything in it had already been read in the portal.
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-due_at", "-pk"]
        verbose_name = _("digest email")
        verbose_name_plural = _("digest emails")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="one_digest_per_person_and_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.frequency} {self.period}"


class NotificationPreference(models.Model):
    """A person's chosen channel for one kind of notification (absent: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"


# --- API tokens ------------------------------------------------------------------------------------
class ApiScope(models.TextChoices):
    ORGS_READ = "orgs:read", _("Read partner organisations")
    ORGS_WRITE = "orgs:write", _("Create and change partner organisations")
    USERS_READ = "users:read", _("Read people")
    USERS_WRITE = "users:write", _("Invite and change people")
    CONTENT_READ = "content:read", _("Search content and find help for a context")


class ApiToken(models.Model):
    """A bearer token for the REST API. It acts as its owner, never beyond the owner's access,
    and only within its scopes. Only a hash is stored; the secret is shown once."""

    PREFIX = "tp_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("e.g. CRM sync"))
    # The first characters of the secret, shown in lists so people can tell tokens apart.
    lookup = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    SCOPE_RE: ClassVar[re.Pattern[str]] = re.compile(r"^[a-z]+:(read|write)$")

    objects = PersonalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.lookup}…)"

    @classmethod
    def issue(
        cls, user: Any, name: str, scopes: list[str], expires_at: Any = None
    ) -> tuple[ApiToken, str]:
        unknown = set(scopes) - set(ApiScope.values)
        if unknown:
            raise ValidationError(_("Unknown scopes: %(s)s") % {"s": ", ".join(sorted(unknown))})
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            lookup=raw[: len(cls.PREFIX) + 6],
            key_hash=hash_token(raw),
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


# --- Periodic jobs ---------------------------------------------------------------------------------
class PeriodicJob(models.Model):
    """When each registered periodic job last ran and next runs; the row lock is the claim."""

    name = models.CharField(max_length=120, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name


# --- Content in other languages ---------------------------------------------------------------
class Translation(models.Model):
    """One item's words in one other language (see kernel.translations): the translated
    fields by name, and a digest of the original's words when it was saved, so an author sees
    when the original changed since."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    fields = models.JSONField(default=dict)
    source_digest = models.CharField(max_length=64)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="one_translation_per_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} ({self.language})"
