"""L&D request pages for everyone: the list (with counts by type and status for those who
see more than their own), "My requests", the intake form, a request's page with its
timeline, comments, and the CSV export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.alignment import actions, listing
from touchpoint.alignment.access import can_export_requests, can_request, is_learning_team
from touchpoint.alignment.forms import (
    CommentForm,
    FilterForm,
    LinkForm,
    RequestForm,
    TriageForm,
    find_candidates,
    owner_choices,
)
from touchpoint.alignment.models import (
    LIST_RELATED,
    RELATIONSHIP_HELP,
    RELATIONSHIP_WHEN,
    LearningRequest,
    RelationshipType,
)
from touchpoint.kernel.access import require
from touchpoint.kernel.activity import record_view
from touchpoint.kernel.forms import add_errors
from touchpoint.kernel.htmx import is_htmx, render_page
from touchpoint.kernel.menu import everyone
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import User

PER_PAGE = 25


def relationship_guide() -> list[dict[str, Any]]:
    """The four types with the seed's definition and when to choose each."""
    return [
        {"code": code, "label": label, "help": RELATIONSHIP_HELP[code],
         "when": RELATIONSHIP_WHEN[code]}
        for code, label in RelationshipType.choices
    ]  # fmt: skip


def _filters(request: HttpRequest, user: User) -> tuple[FilterForm, QuerySet[LearningRequest]]:
    scope = LearningRequest.objects.visible_to(user)
    form = FilterForm(
        request.GET or None,
        actor=user,
        owners=owner_choices() if user.is_vendor else None,
        vendor=user.is_vendor,
    )
    return form, form.apply(scope)


# --- lists -----------------------------------------------------------------------------------------
@require(everyone)
def request_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not can_export_requests(user):
        return my_requests(request)
    form, scoped = _filters(request, user)
    requests = form.apply_type_and_status(scoped).select_related(*LIST_RELATED)
    page = page_of(request, requests.order_by("-created_at", "-pk"), PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "counts": listing.counts(scoped),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "learning_team": is_learning_team(user),
        "guide": relationship_guide(),
    }
    return render_page(
        request, "alignment/request_list.html", "alignment/_request_rows.html", context
    )


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    mine = (
        LearningRequest.objects.select_related(*LIST_RELATED)
        .visible_to(user)
        .filter(requester=user)
    )
    page = page_of(request, mine.order_by("-created_at", "-pk"), PER_PAGE)
    return render(
        request,
        "alignment/my_requests.html",
        {"page": page, "sees_many": can_export_requests(user)},
    )


@require(can_export_requests)  # type: ignore[type-var]  # require is typed for HttpResponse
def request_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    user = signed_in(request)
    form, scoped = _filters(request, user)
    if form.is_bound and not form.is_valid():
        # A download cannot show form errors; say what was wrong rather than export
        # something other than what was asked for.
        errors = "; ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        listing.csv_export(form.apply_type_and_status(scoped)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"ld-requests-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- asking ----------------------------------------------------------------------------------------
@require(can_request)
def request_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = RequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.submit_request(
                user, form.save(commit=False), department=form.cleaned_data.get("department")
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your request is in. The learning team will classify it and pick an owner; "
                  "you will hear when its status changes."),
            )  # fmt: skip
            return redirect(created)
    return render(
        request,
        "alignment/request_form.html",
        {"form": form, "partner": user.partner if not user.is_vendor else None},
    )


# --- one request -----------------------------------------------------------------------------------
def detail_context(
    user: User,
    obj: LearningRequest,
    *,
    comment_form: CommentForm | None = None,
    triage_form: TriageForm | None = None,
    link_form: LinkForm | None = None,
    query: str = "",
) -> dict[str, Any]:
    team = is_learning_team(user)
    deliverables = list(
        obj.deliverables.select_related("course", "asset", "mapping").order_by("added_at", "pk")
    )
    links = [(d, d.url_for(staff=user.is_vendor)) for d in deliverables]
    context: dict[str, Any] = {
        "req": obj,
        "timeline": obj.timeline.select_related("actor").order_by("at", "pk"),
        "deliverables": links,
        "comment_form": comment_form or CommentForm(),
        "learning_team": team,
        "guide": relationship_guide(),
        "guide_help": RELATIONSHIP_HELP,
    }
    if team:
        context.update(
            triage_form=triage_form or TriageForm.for_request(obj, user),
            link_form=link_form or LinkForm(),
            query=query,
            candidates=find_candidates(query) if query else None,
        )
    return context


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    obj = LearningRequest.objects.get_for(user, pk=pk)
    team = is_learning_team(user)
    query = request.GET.get("find", "")[:100] if team else ""
    if team and is_htmx(request) and "find" in request.GET:
        return render(
            request,
            "alignment/_picker_results.html",
            {"req": obj, "query": query, "candidates": find_candidates(query)},
        )
    record_view(request, obj)
    return render(request, "alignment/request_detail.html", detail_context(user, obj, query=query))


@login_required
@require_POST
def request_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    obj = LearningRequest.objects.get_for(user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.comment(user, obj, form.cleaned_data["body"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect(obj.get_absolute_url() + "#timeline")
    return render(
        request,
        "alignment/request_detail.html",
        detail_context(user, obj, comment_form=form),
        status=400,
    )


urlpatterns: list[URLPattern] = [
    path("requests/", request_list, name="request_list"),
    path("requests/mine/", my_requests, name="my_requests"),
    path("requests/new/", request_new, name="request_new"),
    path("requests/export.csv", request_export, name="request_export"),
    path("requests/<int:pk>/", request_detail, name="request_detail"),
    path("requests/<int:pk>/comment/", request_comment, name="request_comment"),
]
