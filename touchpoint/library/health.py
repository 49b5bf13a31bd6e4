"""Content health: how current the library is, per section and per owner.

Each published item has exactly one health status, the first of these that applies:

- **stale**: its review date passed more than `STALE_AFTER_DAYS` (90) days ago, or its
  content has not changed in `STALE_CONTENT_DAYS` (365) days and nobody has confirmed it
  "still current" in that time: nobody has looked after it;
- **due for review**: its review date has passed (recently);
- **expiring soon**: it expires within `EXPIRING_DAYS` (14) days;
- **unused**: published more than `UNUSED_DAYS` (180) days ago and not opened by a partner
  person in the last 180 days (or ever);
- **current**: none of the above.

Archived items (by hand or because they expired) are counted apart. All counts come from
two grouped queries (per section, per owner), whatever the size of the library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.library.models import Asset, AssetState

STALE_AFTER_DAYS = 90
STALE_CONTENT_DAYS = 365
EXPIRING_DAYS = 14
UNUSED_DAYS = 180

CURRENT, DUE, STALE, EXPIRING, UNUSED, ARCHIVED = (
    "current", "due", "stale", "expiring", "unused", "archived",
)  # fmt: skip
PROBLEMS = (STALE, DUE, EXPIRING, UNUSED)
LABELS = {
    CURRENT: _("Current"),
    DUE: _("Due for review"),
    STALE: _("Stale"),
    EXPIRING: _("Expiring soon"),
    UNUSED: _("Unused"),
    ARCHIVED: _("Expired or archived"),
}
TONES = {
    CURRENT: "ok",
    DUE: "warn",
    STALE: "error",
    EXPIRING: "warn",
    UNUSED: "info",
    ARCHIVED: "muted",
}
COLUMNS = (CURRENT, DUE, STALE, EXPIRING, UNUSED, ARCHIVED)


def conditions(now: datetime | None = None) -> dict[str, Q]:
    """Each problem as a filter on published items (they may overlap; `health_case` picks
    the first that applies)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    unused_since = now - timedelta(days=UNUSED_DAYS)
    year_ago = now - timedelta(days=STALE_CONTENT_DAYS)
    return {
        STALE: Q(review_by__lt=today - timedelta(days=STALE_AFTER_DAYS))
        | (
            Q(content_updated_at__lt=year_ago)
            & (Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=year_ago))
        ),
        DUE: Q(review_by__lt=today),
        EXPIRING: Q(expires_at__lte=now + timedelta(days=EXPIRING_DAYS)),
        UNUSED: Q(published_at__lt=unused_since)
        & (Q(last_opened_at__isnull=True) | Q(last_opened_at__lt=unused_since)),
    }


def health_case(now: datetime | None = None) -> Case:
    c = conditions(now)
    return Case(
        When(state=AssetState.ARCHIVED, then=Value(ARCHIVED)),
        *(When(c[name], then=Value(name)) for name in PROBLEMS),
        default=Value(CURRENT),
        output_field=CharField(),
    )


def with_health(assets: QuerySet[Asset], now: datetime | None = None) -> QuerySet[Asset]:
    """Published and archived items, each annotated with its `health`."""
    return assets.filter(state__in=[AssetState.PUBLISHED, AssetState.ARCHIVED]).annotate(
        health=health_case(now)
    )


@dataclass
class Row:
    key: Any
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(column, self.counts.get(column, 0)) for column in COLUMNS]

    @property
    def problems(self) -> int:
        return sum(self.counts.get(p, 0) for p in PROBLEMS)


def _grouped(assets: QuerySet[Asset], by: str, labels: list[str], now: datetime) -> list[Row]:
    """One GROUP BY query: item counts per (`by`, health), pivoted into rows."""
    rows: dict[Any, Row] = {}
    counts: Any = (
        with_health(assets, now).order_by().values(by, *labels, "health").annotate(n=Count("pk"))
    )
    for group in counts:
        # The first label that is not empty: a person's name, else their email.
        label = next((str(group[name]) for name in labels if group[name]), "")
        row = rows.setdefault(group[by], Row(key=group[by], label=label))
        row.counts[group["health"]] = row.counts.get(group["health"], 0) + group["n"]
    return sorted(rows.values(), key=lambda r: r.label.lower())


def by_section(assets: QuerySet[Asset], now: datetime | None = None) -> list[Row]:
    return _grouped(assets, "section_id", ["section__name"], now or timezone.now())


def by_owner(assets: QuerySet[Asset], now: datetime | None = None) -> list[Row]:
    return _grouped(assets, "owner_id", ["owner__name", "owner__email"], now or timezone.now())


def totals(rows: list[Row]) -> dict[str, int]:
    return {column: sum(r.counts.get(column, 0) for r in rows) for column in COLUMNS}


def problems(assets: QuerySet[Asset], now: datetime | None = None) -> QuerySet[Asset]:
    """Published items with a problem, the longest-neglected first (earliest review date,
    then the oldest content)."""
    return (
        with_health(assets, now)
        .filter(**{"health__in": PROBLEMS})  # an annotation the type checker cannot see
        .select_related("section", "owner")
        .order_by(
            F("review_by").asc(nulls_last=True), F("content_updated_at").asc(nulls_first=True), "pk"
        )
    )
