"""Notifications: the in-app centre plus email, by each person's preference per kind.

`notify()` writes the in-app rows inside the caller's transaction. Once it commits, a
background task emails those who chose email right away, after a short wait
(NOTIFICATION_EMAIL_GROUP_SECONDS) in which further notifications to the same person about
the same thing join the same email; rows for those who chose a daily or weekly digest
wait for the digest job (kernel.digests). Text is rendered in each
recipient's own language. Unsubscribe links carry a signed token (no sign-in needed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from touchpoint.kernel.emails import send_templated
from touchpoint.kernel.models import Channel, Notification, NotificationPreference

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
    # Only vendor staff receive it (content owners, authors, moderators), so partner
    # people are not asked about it in their preferences.
    staff_only: bool = False


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


ALL = "all"  # an unsubscribe token for every kind of email at once
UNSUBSCRIBE_SALT = "touchpoint.kernel.notifications.unsubscribe"


def allowed_channels(kind: str) -> list[tuple[str, StrOrPromise]]:
    """The channels a person may pick for `kind`: all of them, less "off" when required."""
    spec = KINDS[kind]
    return [(v, label) for v, label in Channel.choices if not (spec.required and v == Channel.OFF)]


def channel_for(user: Any, kind: str, preferences: dict[str, str] | None = None) -> str:
    """The channel `user` gets `kind` by: their choice, else the kind's default; a required
    kind is never off, whatever is stored."""
    spec = KINDS[kind]
    if preferences is None:
        preferences = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
        )
    chosen = preferences.get(kind, spec.default)
    if chosen not in Channel.values:  # a value no longer offered
        chosen = spec.default
    if spec.required and chosen == Channel.OFF:
        return spec.default if spec.default != Channel.OFF else Channel.EMAIL
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
    urgent: bool = False,
) -> list[Notification]:
    """Notify people of something; returns the in-app rows created.

    `title`/`body` may be lazy strings with %(name)s params; they are translated into each
    recipient's language. `url` is a path in the portal ("/news/12/"); emails make it
    absolute. Call it inside your action's transaction: nothing is emailed unless it
    commits.

    Each recipient gets `kind` as they chose on their profile: in the portal only, by email
    right away, in a daily or weekly digest email (the row waits in the portal until the
    digest job sends it), or not at all.

    `urgent=True` (keyword only) is for what everyone must see now, such as an urgent
    announcement: every active recipient gets the in-app row and an email right away,
    even if they chose a digest or switched the kind off. Use it sparingly; people cannot
    opt out of it.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    people = [p for p in recipients if p.is_active]
    if not people:
        return []
    prefs: dict[int, dict[str, str]] = {}
    if not urgent:
        for user_id, pref_kind, channel in NotificationPreference.objects.filter(
            user__in=[p.pk for p in people], kind=kind
        ).values_list("user_id", "kind", "channel"):
            prefs.setdefault(user_id, {})[pref_kind] = channel

    now = timezone.now()
    email_due = (
        now if urgent else now + timedelta(seconds=settings.NOTIFICATION_EMAIL_GROUP_SECONDS)
    )
    rows: list[Notification] = []
    for person in people:
        channel = Channel.EMAIL if urgent else channel_for(person, kind, prefs.get(person.pk, {}))
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
                    digest_frequency=channel if channel in Channel.digests() else "",
                    email_due_at=email_due if channel == Channel.EMAIL else None,
                    created_at=now,
                )
            )
    created = Notification.objects.bulk_create(rows)
    email_ids = [n.pk for n in created if n.email_due_at is not None]
    if email_ids:
        sender = email_notifications if urgent else email_notifications.using(run_after=email_due)
        transaction.on_commit(lambda: sender.enqueue(email_ids, urgent=urgent))
    return created


@task()
def email_notifications(notification_ids: list[int], urgent: bool = False) -> int:
    """Email the notifications still owed; returns how many emails were sent. Each takes
    along the others still owed to the same person about the same thing (same kind and
    link: one L&D request's status change, comment and deliverable), newest first, so a
    burst of updates is one email. Urgent ones go each on its own, and carry no
    unsubscribe link, nor do required kinds."""
    sent = 0
    for note in Notification.objects.filter(
        pk__in=notification_ids, email_due_at__isnull=False
    ).select_related("recipient"):
        with transaction.atomic():
            owed = Notification.objects.select_for_update().filter(email_due_at__isnull=False)
            if urgent or not note.url:
                owed = owed.filter(pk=note.pk)
            else:
                owed = owed.filter(recipient=note.recipient_id, kind=note.kind, url=note.url)
            group = list(owed.order_by("-created_at", "-pk"))
            if not group:
                continue  # sent with an earlier one of the same burst
            # Marked inside the same transaction as the send: should sending fail, they stay
            # owed and the task's retry sends them; should the commit fail, one is sent twice.
            Notification.objects.filter(pk__in=[n.pk for n in group]).update(email_due_at=None)
            if note.recipient.is_active:
                _email(note.recipient, group, urgent)
                sent += 1
    return sent


def _email(person: Any, group: list[Notification], urgent: bool) -> None:
    newest = group[0]
    spec = KINDS.get(newest.kind)
    can_stop = not urgent and spec is not None and not spec.required
    send_templated(
        "notification",
        person.email,
        person.language,
        {
            "notification": newest,
            "earlier": group[1:],
            "person": person,
            "unsubscribe_url": unsubscribe_url(person, newest.kind) if can_stop else "",
            "kind_label": spec.label if spec else "",
        },
        headers=unsubscribe_headers(person, newest.kind) if can_stop else None,
    )


# --- unsubscribe links ---------------------------------------------------------------------
def unsubscribe_token(user: Any, kind: str = ALL) -> str:
    """A signed token that stops email of `kind` (or every kind: "all") for `user`. It
    needs no sign-in, so it says nothing but who and what, and does nothing else."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; raises signing.BadSignature if it was tampered with
    or names an unknown kind."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict):
        raise signing.BadSignature("Unexpected unsubscribe token")
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not (kind == ALL or kind in KINDS):
        raise signing.BadSignature("Unexpected unsubscribe token")
    return user_id, kind


def unsubscribe_url(user: Any, kind: str = ALL) -> str:
    """The absolute address of the unsubscribe page, for emails."""
    from django.urls import reverse

    path = reverse("kernel:unsubscribe", args=[unsubscribe_token(user, kind)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_headers(user: Any, kind: str = ALL) -> dict[str, str]:
    """List-Unsubscribe headers with one-click unsubscribe (RFC 8058) for mail clients."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
