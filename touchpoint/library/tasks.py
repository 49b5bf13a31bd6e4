"""Library housekeeping, run by the worker: publish scheduled items and archive expired ones
(every 15 minutes), and tell owners once a day about their items that need attention."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from touchpoint.kernel.notifications import notify
from touchpoint.kernel.scheduler import periodic
from touchpoint.library import actions, health
from touchpoint.library.models import Asset, AssetState
from touchpoint.orgs.models import User

HOUSEKEEPING_EVERY = timedelta(minutes=15)


@periodic(every=HOUSEKEEPING_EVERY)
@task()
def run_housekeeping() -> dict[str, int]:
    """Scheduled items go live and expired ones are archived, in that order (an item whose
    publish and expiry times have both passed ends archived)."""
    now = timezone.now()
    return {"published": actions.publish_due(now), "expired": actions.expire_due(now)}


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def owed_notices(now: datetime | None = None) -> list[dict[str, Any]]:
    """Published items whose owner has not yet been told about their current problem:
    a review date that passed (each date once), an expiry within 14 days (each date once),
    or no use in 180 days (again after another 180 days)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    unused_since = now - timedelta(days=health.UNUSED_DAYS)
    review = Q(review_by__lt=today) & (
        Q(review_notice_for__isnull=True) | ~Q(review_notice_for=F("review_by"))
    )
    expiring = Q(expires_at__gt=now, expires_at__lte=now + timedelta(days=health.EXPIRING_DAYS)) & (
        Q(expiry_notice_for__isnull=True) | ~Q(expiry_notice_for=F("expires_at"))
    )
    unused = health.conditions(now)[health.UNUSED] & (
        Q(unused_notice_at__isnull=True) | Q(unused_notice_at__lt=unused_since)
    )
    rows: Any = (
        Asset.objects.filter(state=AssetState.PUBLISHED, owner__is_active=True)
        .filter(review | expiring | unused)
        .annotate(is_review=_flag(review), is_expiring=_flag(expiring), is_unused=_flag(unused))
        .order_by("owner_id", "review_by", "title")
        .values(
            "pk",
            "title",
            "owner_id",
            "review_by",
            "expires_at",
            "last_opened_at",
            "is_review",
            "is_expiring",
            "is_unused",
        )
    )
    return list(rows)


def _line(item: dict[str, Any]) -> str:
    reasons = []
    if item["is_review"]:
        reasons.append(_("review was due %(date)s") % {"date": item["review_by"].isoformat()})
    if item["is_expiring"]:
        reasons.append(
            _("expires %(date)s") % {"date": timezone.localdate(item["expires_at"]).isoformat()}
        )
    if item["is_unused"]:
        reasons.append(
            _("not opened since %(date)s")
            % {"date": timezone.localdate(item["last_opened_at"]).isoformat()}
            if item["last_opened_at"]
            else _("never opened")
        )
    return f"• {item['title']} ({'; '.join(reasons)})"


@periodic(every=timedelta(days=1))
@task()
def notify_content_owners() -> int:
    """One notification (and email, by preference) per owner listing every item that needs
    them; the items are then marked so the next run does not repeat them."""
    now = timezone.now()
    items = owed_notices(now)
    if not items:
        return 0
    per_owner: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        per_owner[item["owner_id"]].append(item)
    owners = User.objects.in_bulk(list(per_owner))
    with transaction.atomic():
        for owner_id, owned in per_owner.items():
            owner = owners[owner_id]
            with translation.override(owner.language):
                title = ngettext(
                    "%(n)d library item needs your attention",
                    "%(n)d library items need your attention",
                    len(owned),
                ) % {"n": len(owned)}
                body = "\n".join(_line(item) for item in owned)
            notify(
                [owner], "content", title, body=body,
                url=f"{reverse('library:health')}?owner={owner_id}",
            )  # fmt: skip
        # Set-based: three UPDATEs however many items and owners.
        flagged = {
            flag: [i["pk"] for i in items if i[flag]]
            for flag in ("is_review", "is_expiring", "is_unused")
        }
        Asset.objects.filter(pk__in=flagged["is_review"]).update(review_notice_for=F("review_by"))
        Asset.objects.filter(pk__in=flagged["is_expiring"]).update(
            expiry_notice_for=F("expires_at")
        )
        Asset.objects.filter(pk__in=flagged["is_unused"]).update(unused_notice_at=now)
    return len(per_owner)
