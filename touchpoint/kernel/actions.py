"""Writes owned by the kernel: notification preferences, API tokens and portal settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel import audit
from touchpoint.kernel.apiauth import scopes_allowed
from touchpoint.kernel.html import sanitise_or_paragraphs
from touchpoint.kernel.mfa import mfa_required_message, must_set_up_mfa
from touchpoint.kernel.models import (
    ApiToken,
    Channel,
    Notification,
    NotificationPreference,
    PortalSettings,
    Translation,
)
from touchpoint.kernel.notifications import (
    ACCOUNT,
    ALL,
    KINDS,
    allowed_channels,
    channel_for,
    notify,
)
from touchpoint.kernel.translations import digest, translation_saved

# A person (settings.AUTH_USER_MODEL): the kernel does not import the orgs app that defines it.
User = Any

PORTAL_FIELDS = (
    "name", "tagline", "logo", "primary_colour", "accent_colour", "support_email",
    "require_mfa_for_staff",
)  # fmt: skip


@transaction.atomic
def save_notification_preferences(
    user: User, choices: dict[str, str], *, audit_action: str = "notifications.preferences_changed"
) -> dict[str, str]:
    """Save the channel per kind in one go; returns the kinds that changed (new channel).

    Notifications already waiting for a digest follow the new choice: to the other digest,
    or out of the digest (they stay in the portal) when the kind no longer goes by digest.
    """
    unknown = {k: c for k, c in choices.items() if k in KINDS and not _allowed(k, c)}
    if unknown:
        raise ValueError(f"Channels not allowed for these kinds: {unknown!r}")
    choices = {k: c for k, c in choices.items() if k in KINDS}
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    before = {k: channel_for(user, k, stored) for k in choices}
    changed = {k: c for k, c in choices.items() if before[k] != c or stored.get(k) != c}
    if not changed:
        return {}
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=k, channel=c) for k, c in changed.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["channel"],
    )
    by_channel: dict[str, list[str]] = {}
    for kind, channel in changed.items():
        by_channel.setdefault(channel if channel in Channel.digests() else "", []).append(kind)
    waiting = Notification.objects.filter(recipient=user).exclude(digest_frequency="")
    for frequency, kinds in by_channel.items():
        waiting.filter(kind__in=kinds).update(digest_frequency=frequency)
    moved = {k: c for k, c in changed.items() if before[k] != c}
    if moved:
        audit.record(
            user,
            audit_action,
            user,
            before={k: before[k] for k in moved},
            after=moved,
        )
    return moved


def _allowed(kind: str, channel: str) -> bool:
    return channel in {value for value, _label in allowed_channels(kind)}


EMAILING = (Channel.EMAIL, *Channel.digests())


@transaction.atomic
def stop_email(user: User, kind: str = ALL) -> list[str]:
    """Unsubscribe: the kind (or, for "all", every kind that can be switched off) comes in
    the portal only from now on. Kinds already in the portal only or off are left alone;
    required kinds are left alone by "all" (account and security messages keep coming).
    Returns the kinds changed."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    kinds = [k for k, spec in KINDS.items() if not spec.required] if kind == ALL else [kind]
    choices = {k: Channel.IN_APP.value for k in kinds if channel_for(user, k, stored) in EMAILING}
    return list(
        save_notification_preferences(user, choices, audit_action="notifications.unsubscribed")
    )


@transaction.atomic
def create_api_token(
    user: User, name: str, scopes: list[str], expires_at: datetime | None
) -> tuple[ApiToken, str]:
    if must_set_up_mfa(user):
        raise ValidationError(mfa_required_message())
    refused = sorted(set(scopes) - set(scopes_allowed(user)))
    if refused:
        raise ValidationError(
            _("Your role does not let you hold these scopes: %(scopes)s")
            % {"scopes": ", ".join(refused)}
        )
    token, secret = ApiToken.issue(user, name, scopes, expires_at)
    audit.record(user, "api_token.created", token, after={"name": name, "scopes": token.scopes})
    notify(
        [user],
        ACCOUNT.code,
        _("A new API token was created: %(name)s"),
        body=_("If this was not you, revoke it on your API tokens page and change your password."),
        params={"name": name},
        url="/me/tokens/",
    )
    return token, secret


@transaction.atomic
def revoke_api_token(actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor, "api_token.revoked", token, after={"name": token.name, "owner": token.user.email}
        )
    return token


@transaction.atomic
def save_portal_settings(actor: User, portal: PortalSettings) -> PortalSettings:
    """Save the portal's name, branding and policy as changed on `portal` (e.g. by a form's
    `save(commit=False)`), with the values before and after in the audit log."""
    before = audit.snapshot(PortalSettings.objects.get(pk=portal.pk), PORTAL_FIELDS)
    portal.full_clean()
    portal.save()
    after = audit.snapshot(portal, PORTAL_FIELDS)
    if before != after:
        audit.record(actor, "portal.settings_changed", portal, before=before, after=after)
    return portal


# --- the notification centre ----------------------------------------------------------------
def mark_read(user: User, notification: Notification) -> bool:
    """Opening a notification reads it; True when it was unread."""
    return bool(
        Notification.objects.visible_to(user)
        .filter(pk=notification.pk, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


def mark_all_read(user: User) -> int:
    return (
        Notification.objects.visible_to(user)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )


# --- Translations ----------------------------------------------------------------------------------
@transaction.atomic
def save_translation(
    actor: User,
    item: Any,
    language: str,
    values: dict[Any, dict[str, str]],
) -> list[Any]:
    """Save an item's words in `language`: `values` maps the item and each of its parts (a
    course's lessons, a tour's stops) to their translated fields. A part left all blank has
    its translation removed (it reads as the original); HTML fields are sanitised. Returns
    the translations saved. Audited once for the item; the item is re-indexed after commit."""
    if language not in dict(settings.LANGUAGES) or language == item.original_language:
        raise ValidationError(_("Choose one of the portal's other languages."))
    saved, removed = [], []
    for obj, fields in values.items():
        words = {
            name: (sanitise_or_paragraphs(v) if name in obj.translated_html else v.strip())
            for name, v in fields.items()
            if name in obj.translated_fields and (v or "").strip()
        }
        lookup = {
            "content_type": ContentType.objects.get_for_model(obj),
            "object_id": obj.pk,
            "language": language,
        }
        if not words:
            deleted, _rows = Translation.objects.filter(**lookup).delete()
            if deleted:
                removed.append(obj)
            continue
        row, _created = Translation.objects.update_or_create(
            **lookup,
            defaults={
                "fields": words,
                "source_digest": digest(obj),
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
        saved.append(row)
    audit.record(
        actor,
        "translation.saved",
        item,
        after={
            "language": language,
            "saved": [f"{r.content_type.model}:{r.object_id}" for r in saved],
            "removed": [f"{type(o).__name__.lower()}:{o.pk}" for o in removed],
        },
    )
    transaction.on_commit(lambda: [hook(item) for hook in translation_saved])
    return saved
