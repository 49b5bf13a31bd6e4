"""Reading L&D requests in bulk: counts by relationship type and status (one query) and the
CSV export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from touchpoint.alignment.models import (
    LIST_RELATED,
    LearningRequest,
    Priority,
    RelationshipType,
    Status,
)
from touchpoint.kernel.exports import csv_lines

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

UNCLASSIFIED = "none"


@dataclass
class CountRow:
    code: str
    label: StrOrPromise
    cells: list[tuple[str, int]] = field(default_factory=list)
    total: int = 0


@dataclass
class Counts:
    rows: list[CountRow]
    columns: list[tuple[str, StrOrPromise]]
    column_totals: list[int]
    total: int


def counts(requests: QuerySet[LearningRequest]) -> Counts:
    """Requests per relationship type (unclassified first) and status, with totals."""
    found: dict[tuple[str, str], int] = {}
    for row in requests.order_by().values("relationship", "status").annotate(n=Count("pk")):
        found[(row["relationship"] or UNCLASSIFIED, row["status"])] = row["n"]
    columns: list[tuple[str, StrOrPromise]] = list(Status.choices)
    types: list[tuple[str, StrOrPromise]] = [
        (UNCLASSIFIED, _("Not classified yet")),
        *RelationshipType.choices,
    ]
    rows = []
    for code, label in types:
        cells = [(status, found.get((code, status), 0)) for status, _label in columns]
        rows.append(CountRow(code, label, cells, sum(n for _s, n in cells)))
    column_totals = [sum(r.cells[i][1] for r in rows) for i in range(len(columns))]
    return Counts(rows, columns, column_totals, sum(column_totals))


CSV_HEADER = (
    "id", "submitted", "title", "requested_by", "requester_email", "department", "partner",
    "audience", "job_role", "relationship_type", "status", "priority", "owner", "needed_by",
    "kpi", "kpi_baseline", "kpi_target", "kpi_unit", "kpi_by", "deliverables", "closed",
    "decline_reason",
)  # fmt: skip


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, "")) if value not in ("", None) else ""


def csv_export(requests: QuerySet[LearningRequest]) -> Iterator[str]:
    """Every request in `requests` as spreadsheet rows; cells that look like formulas are
    neutralised by csv_lines (titles and reasons are typed by anyone)."""
    rows = (
        requests.select_related(*LIST_RELATED)
        .annotate(deliverable_count=Count("deliverables"))
        .order_by("-created_at", "-pk")
    )

    def lines() -> Iterator[list[Any]]:
        for r in rows.iterator(chunk_size=500):
            yield [
                r.pk,
                r.created_at.date().isoformat(),
                r.title,
                r.requester.name,
                r.requester.email,
                r.department.name if r.department else "",
                r.partner.name if r.partner else "",
                r.audience,
                str(r.job_role) if r.job_role else "",
                _label(RelationshipType.choices, r.relationship),
                _label(Status.choices, r.status),
                _label(Priority.choices, r.priority),
                str(r.owner) if r.owner else "",
                r.deadline.isoformat(),
                r.kpi_metric,
                "" if r.kpi_baseline is None else r.kpi_baseline,
                "" if r.kpi_target is None else r.kpi_target,
                r.kpi_unit,
                r.kpi_by.isoformat() if r.kpi_by else "",
                r.deliverable_count,
                r.closed_at.date().isoformat() if r.closed_at else "",
                r.decline_reason,
            ]

    return csv_lines(CSV_HEADER, lines())
