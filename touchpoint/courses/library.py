"""Courses in the library: a section's page lists its courses, and launch readiness counts
the published courses of each section."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from touchpoint.courses.models import Course
from touchpoint.kernel.panels import Panel
from touchpoint.library import hooks as library
from touchpoint.library.models import Section
from touchpoint.library.readiness import Fact, Readiness, contribute
from touchpoint.orgs.models import User


@library.panels["section"].register
def section_courses(user: User, *, section: Section, **_: Any) -> Panel:
    courses = Course.objects.visible_to(user).published().filter(section=section)
    courses = courses.order_by("title")[:12]
    return Panel("courses/_section_courses.html", {"courses": list(courses)})


@contribute
def courses_readiness(readiness: Readiness) -> None:
    counts = dict(
        Course.objects.published()
        .filter(section__isnull=False)
        .order_by()
        .values("section_id")
        .annotate(n=Count("pk"))
        .values_list("section_id", "n")
    )
    for row in readiness.sections:
        n = counts.get(row.section.pk, 0)
        row.facts.append(
            Fact(_("Published courses"), n, row.section.get_absolute_url(), ok=bool(n))
        )
        if not n:
            row.missing.append(_("No published course."))
