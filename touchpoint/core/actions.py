"""Writes owned by core: profile, preferences, API tokens, portal settings, audiences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.core import audit
from touchpoint.core.models import (
    ApiToken,
    Audience,
    NotificationPreference,
    PortalSettings,
)
from touchpoint.core.notifications import ACCOUNT, KINDS, notify
from touchpoint.orgs.models import User

PORTAL_FIELDS = (
    "name", "tagline", "logo", "primary_colour", "accent_colour", "support_email",
    "require_mfa_for_staff",
)  # fmt: skip


@transaction.atomic
def update_profile(user: User, form: Any) -> User:
    before = audit.snapshot(user, form.Meta.fields)
    form.save()
    after = audit.snapshot(user, form.Meta.fields)
    if before != after:
        audit.record(user, "profile.updated", user, before=before, after=after)
    return user


@transaction.atomic
def save_notification_preferences(user: User, choices: dict[str, str]) -> None:
    for kind, channel in choices.items():
        if kind not in KINDS:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )


@transaction.atomic
def create_api_token(
    user: User, name: str, scopes: list[str], expires_at: datetime | None
) -> tuple[ApiToken, str]:
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
def save_portal_settings(actor: User, form: Any) -> PortalSettings:
    before = audit.snapshot(PortalSettings.objects.get(pk=form.instance.pk), PORTAL_FIELDS)
    portal: PortalSettings = form.save()
    after = audit.snapshot(portal, PORTAL_FIELDS)
    if before != after:
        audit.record(actor, "portal.settings_changed", portal, before=before, after=after)
    return portal


AUDIENCE_FIELDS = (
    "name",
    "partner_kinds",
    "countries",
    "tiers",
    "regions",
    "partners",
    "job_roles",
    "groups",
)


@transaction.atomic
def save_audience(actor: User, form: Any) -> Audience:
    creating = form.instance.pk is None
    before = (
        {}
        if creating
        else audit.snapshot(Audience.objects.get(pk=form.instance.pk), AUDIENCE_FIELDS)
    )
    audience: Audience = form.save(commit=False)
    if creating:
        audience.created_by = actor
    audience.save()
    form.save_m2m()
    after = audit.snapshot(audience, AUDIENCE_FIELDS)
    audit.record(
        actor,
        "audience.created" if creating else "audience.updated",
        audience,
        before=before,
        after=after,
    )
    return audience
