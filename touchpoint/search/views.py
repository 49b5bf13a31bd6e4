"""The one search page (content for everyone, partners and people for those who manage them),
and the list of searches that found nothing, for content owners."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from touchpoint.kernel.access import require
from touchpoint.kernel.forms import QUERY_MAX_LENGTH
from touchpoint.kernel.htmx import is_htmx, render_page
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import can_look_up_partners, signed_in
from touchpoint.orgs.models import Partner, User
from touchpoint.search import facets
from touchpoint.search.access import can_review_misses
from touchpoint.search.actions import mark_handled, record_search
from touchpoint.search.index import KIND_LABELS
from touchpoint.search.models import Miss
from touchpoint.search.query import search as run_search

PER_PAGE = 20


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _directory(user: User, query: str) -> dict[str, Any]:
    """Partners and people the searcher may look up (managers and staff with a scope)."""
    if not can_look_up_partners(user):
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
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
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
        # Live results as someone types are not searches yet (nor misses: "snow bl" on the
        # way to "snow blower belts"); a submitted form is.
        if not is_htmx(request):
            record_search(user, query, section=section, found=found, content_found=results.total)
        kinds = [(k, KIND_LABELS[k], results.facets.get(k, 0)) for k in KIND_LABELS]
        context |= {
            "results": results,
            "kinds": kinds,
            "found": found,
            "page": Paginator(range(results.total), PER_PAGE).get_page(page_number),
            **directory,
        }
    return render_page(request, "search/search.html", "search/results.html", context)


@require(can_review_misses)
def misses(request: HttpRequest) -> HttpResponse:
    show_handled = request.GET.get("show") == "handled"
    rows = Miss.objects.select_related("handled_by").visible_to(signed_in(request))
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
@require(can_review_misses)
def miss_handled(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    mark_handled(user, Miss.objects.get_for(user, manage=True, pk=pk))
    if is_htmx(request):
        return HttpResponse("")
    return redirect("search:misses")
