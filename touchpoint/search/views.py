"""The one search page (content for everyone, partners and people for those who manage them),
and the list of searches that found nothing, for content owners."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from touchpoint.kernel.activity import record_event
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in, staff_required
from touchpoint.orgs.models import Partner, User
from touchpoint.orgs.models import StaffRoleKind as R
from touchpoint.search import facets
from touchpoint.search.actions import mark_handled, record_miss
from touchpoint.search.index import KIND_LABELS
from touchpoint.search.models import Miss
from touchpoint.search.query import search as run_search

PER_PAGE = 20
CONTENT_ROLES = (R.PORTAL_ADMIN, R.CONTENT_OWNER, R.TRAINER)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _directory(user: User, query: str) -> dict[str, Any]:
    """Partners and people the searcher may look up (managers and staff with a scope)."""
    if not (user.is_vendor or user.is_partner_manager):
        return {}
    partners = (
        Partner.objects.visible_to(user)
        .filter(Q(name__icontains=query) | Q(external_id__iexact=query) | Q(city__icontains=query))
        .select_related("tier", "parent")[:10]
    )
    people = (
        User.objects.visible_to(user)
        .filter(Q(name__icontains=query) | Q(email__icontains=query))
        .select_related("partner", "job_role")[:10]
    )
    return {"partners": list(partners), "people": list(people)}


@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    kind = kind if kind in KIND_LABELS else ""
    section = _int(request.GET.get("section"))
    page_number = _int(request.GET.get("page")) or 1
    context: dict[str, Any] = {
        "query": query,
        "kind": kind,
        "section": section,
        "sections": facets.sections(),
    }
    if query:
        results = run_search(user, query, kind=kind, section=section, page=page_number)
        directory = _directory(user, query) if page_number == 1 and not kind else {}
        found = results.total + sum(len(v) for v in directory.values())
        if not results.total:
            record_miss(query, section)
        # Live results as someone types are not searches yet; a submitted form is.
        if not request.htmx:  # type: ignore[attr-defined]
            record_event(
                user, "searched", object_type="search", name=query, extra={"results": found}
            )
        kinds = [(k, KIND_LABELS[k], results.facets.get(k, 0)) for k in KIND_LABELS]
        context |= {
            "results": results,
            "kinds": kinds,
            "found": found,
            "page": Paginator(range(results.total), PER_PAGE).get_page(page_number),
            **directory,
        }
    template = "search/results.html" if request.htmx else "search/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@staff_required(*CONTENT_ROLES)
def misses(request: HttpRequest) -> HttpResponse:
    show_handled = request.GET.get("show") == "handled"
    rows = Miss.objects.select_related("handled_by")
    rows = rows.filter(handled_at__isnull=not show_handled)
    rows = rows.order_by("-last_at") if show_handled else rows.order_by("-count", "-last_at")
    return render(
        request,
        "search/misses.html",
        {
            "page": page_of(request, rows, 50),
            "show_handled": show_handled,
            "section_names": facets.section_names(),
        },
    )


@require_POST
@staff_required(*CONTENT_ROLES)
def miss_handled(request: HttpRequest, pk: int) -> HttpResponse:
    mark_handled(signed_in(request), get_object_or_404(Miss, pk=pk))
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    return redirect("search:misses")
