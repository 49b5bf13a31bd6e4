"""Notifications: the in-app centre plus email, by each person's preference per kind.

`notify()` writes the in-app rows inside the caller's transaction and, once it commits,
queues one background task that emails those who chose email. Text is rendered in each
recipient's own language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from touchpoint.core.models import Channel, Notification, NotificationPreference

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Kind:
    code: str
    label: StrOrPromise
    help: StrOrPromise
    default: str = Channel.EMAIL
    # Security and account messages cannot be switched off.
    required: bool = False


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


ACCOUNT = register_kind(
    Kind(
        "account",
        _("Account and security"),
        _("Changes to your roles, sign-in and API tokens."),
        required=True,
    )
)
APPROVALS = register_kind(
    Kind(
        "approvals",
        _("Approvals"),
        _("Partner applications to review and decisions on your requests."),
    )
)
TEAM = register_kind(
    Kind(
        "team",
        _("My team"),
        _("People joining or leaving the companies you manage."),
        default=Channel.IN_APP,
    )
)
PROGRAM = register_kind(
    Kind("program", _("Program news"), _("New program terms and program changes."))
)


def channel_for(user: Any, kind: str, preferences: dict[str, str] | None = None) -> str:
    spec = KINDS[kind]
    if preferences is None:
        preferences = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
        )
    chosen = preferences.get(kind, spec.default)
    if spec.required and chosen == Channel.OFF:
        return Channel.IN_APP if spec.default == Channel.IN_APP else Channel.EMAIL
    return chosen


def _render(text: str | Promise, params: dict[str, Any] | None) -> str:
    rendered = str(text)
    return rendered % params if params else rendered


def notify(
    recipients: Iterable[Any] | QuerySet,
    kind: str,
    title: str | Promise,
    *,
    body: str | Promise = "",
    url: str = "",
    params: dict[str, Any] | None = None,
) -> list[Notification]:
    """Notify people of something. `title`/`body` may be lazy strings with %(name)s params;
    they are translated into each recipient's language."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    people = [p for p in recipients if p.is_active]
    if not people:
        return []
    prefs: dict[int, dict[str, str]] = {}
    for user_id, pref_kind, channel in NotificationPreference.objects.filter(
        user__in=[p.pk for p in people], kind=kind
    ).values_list("user_id", "kind", "channel"):
        prefs.setdefault(user_id, {})[pref_kind] = channel

    rows: list[Notification] = []
    for person in people:
        channel = channel_for(person, kind, prefs.get(person.pk, {}))
        if channel == Channel.OFF:
            continue
        with translation.override(person.language):
            rows.append(
                Notification(
                    recipient=person,
                    kind=kind,
                    title=_render(title, params)[:200],
                    body=_render(body, params),
                    url=url,
                )
            )
    created = Notification.objects.bulk_create(rows)
    email_ids = [
        n.pk
        for n in created
        if channel_for(n.recipient, kind, prefs.get(n.recipient_id, {})) == Channel.EMAIL
    ]
    if email_ids:
        from touchpoint.core.tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.enqueue(email_ids))
    return created
