"""Certifications in launch readiness: how many are published in each portal section."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from touchpoint.courses.models import Status
from touchpoint.credentials.models import Certification
from touchpoint.library.readiness import Fact, Readiness, contribute


@contribute
def certifications_readiness(readiness: Readiness) -> None:
    # Certifications have no section: one counts in each section one of its courses is in.
    through: Any = Certification.courses.through
    counts: dict[int, int] = dict(
        through.objects.filter(
            certification__status=Status.PUBLISHED, course__section__isnull=False
        )
        .order_by()
        .values("course__section_id")
        .annotate(n=Count("certification_id", distinct=True))
        .values_list("course__section_id", "n")
    )
    for row in readiness.sections:
        row.facts.append(Fact(_("Certifications"), counts.get(row.section.pk, 0)))
