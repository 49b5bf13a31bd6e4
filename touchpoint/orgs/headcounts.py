"""The per-partner headcount rollup: recount people by status for some partners (or all)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count
from django.utils import timezone

from touchpoint.orgs.models import STATUS_Q, Partner, PartnerHeadcount, User


def refresh(partner_ids: Iterable[int | None] | None = None) -> int:
    """Recount the given partners' people (all partners when None); one GROUP BY query and
    one upsert. Returns how many partners were refreshed."""
    partners = Partner.objects.all()
    if partner_ids is not None:
        ids = {pk for pk in partner_ids if pk is not None}
        if not ids:
            return 0
        partners = partners.filter(pk__in=ids)
    counts: dict[int, Mapping[str, Any]] = {
        row["partner_id"]: row
        for row in User.objects.filter(partner__in=partners)
        .values("partner_id")
        .annotate(
            active=Count("pk", filter=STATUS_Q["active"]),
            invited=Count("pk", filter=STATUS_Q["invited"]),
            deactivated=Count("pk", filter=STATUS_Q["deactivated"]),
        )
    }
    now = timezone.now()
    nobody = {"active": 0, "invited": 0, "deactivated": 0}
    rows = [
        PartnerHeadcount(
            partner_id=pk,
            active=counts.get(pk, nobody)["active"],
            invited=counts.get(pk, nobody)["invited"],
            deactivated=counts.get(pk, nobody)["deactivated"],
            refreshed_at=now,
        )
        for pk in partners.values_list("pk", flat=True)
    ]
    PartnerHeadcount.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["partner"],
        update_fields=["active", "invited", "deactivated", "refreshed_at"],
    )
    return len(rows)
