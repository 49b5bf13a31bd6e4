"""Content health (authors: their own scope) and launch readiness (portal admins)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone

from touchpoint.kernel.access import require
from touchpoint.kernel.paging import page_of
from touchpoint.library import health
from touchpoint.library.access import can_author_library, can_see_readiness
from touchpoint.library.models import Asset
from touchpoint.library.readiness import build_readiness
from touchpoint.orgs.access import signed_in


@require(can_author_library)
def content_health(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    scope = Asset.objects.manageable_by(signed_in(request))
    sections = health.by_section(scope, now)
    owners = health.by_owner(scope, now)
    problems = health.problems(scope, now)
    section, owner, status = (request.GET.get(k, "") for k in ("section", "owner", "status"))
    if section.isdigit():
        problems = problems.filter(section_id=int(section))
    if owner.isdigit():
        problems = problems.filter(owner_id=int(owner))
    if status in health.PROBLEMS:
        problems = problems.filter(**{"health": status})  # annotated by health.problems
    page = page_of(request, problems, 25)
    return render(
        request,
        "library/health.html",
        {
            "sections": sections,
            "owners": owners,
            "totals": health.totals(sections),
            "columns": [(c, health.LABELS[c]) for c in health.COLUMNS],
            "page": page,
            "labels": health.LABELS,
            "tones": health.TONES,
            "problem_choices": [(p, health.LABELS[p]) for p in health.PROBLEMS],
            "section": section,
            "owner": owner,
            "status": status,
            "filtered": bool(section or owner or status),
            "definitions": {
                "stale_days": health.STALE_AFTER_DAYS,
                "stale_content_days": health.STALE_CONTENT_DAYS,
                "expiring_days": health.EXPIRING_DAYS,
                "unused_days": health.UNUSED_DAYS,
            },
        },
    )


@require(can_see_readiness)
def launch_readiness(request: HttpRequest) -> HttpResponse:
    readiness = build_readiness()
    ready = sum(1 for s in readiness.sections if s.ready)
    return render(
        request,
        "library/readiness.html",
        {"readiness": readiness, "ready": ready, "total": len(readiness.sections)},
    )


urlpatterns: list[URLPattern] = [
    path("library/health/", content_health, name="health"),
    path("library/readiness/", launch_readiness, name="readiness"),
]
