"""The learning team's side of a request: classify, assign, set status and priority, link
and remove deliverables. Everyone else gets the 404 of a missing request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.alignment import actions
from touchpoint.alignment.access import get_deliverable_for_triage, get_request_for_triage
from touchpoint.alignment.forms import LinkForm, TriageForm, deliverable_from_value
from touchpoint.alignment.views.requests import detail_context
from touchpoint.orgs.access import signed_in


def _back(obj: object, anchor: str) -> HttpResponse:
    return redirect(obj.get_absolute_url() + anchor)  # type: ignore[attr-defined]


@login_required
@require_POST
def request_triage(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    obj = get_request_for_triage(user, pk)
    form = TriageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes = actions.triage(
                user, obj, relationship=data["relationship"], owner=data["owner"],
                status=data["status"], priority=data["priority"],
                decline_reason=data["decline_reason"],
            )  # fmt: skip
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            if changes:
                messages.success(request, _("The request is updated; the requester can see it."))
            else:
                messages.info(request, _("Nothing changed."))
            return _back(obj, "#triage")
    return render(
        request, "alignment/request_detail.html", detail_context(user, obj, triage_form=form),
        status=400,
    )  # fmt: skip


@login_required
@require_POST
def deliverable_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a course, library item or context mapping chosen in the picker."""
    user = signed_in(request)
    obj = get_request_for_triage(user, pk)
    deliverable = deliverable_from_value(request.POST.get("target", ""))
    if deliverable is None:
        messages.error(request, _("That item no longer exists. Search again."))
        return _back(obj, "#deliverables")
    try:
        actions.add_deliverable(user, obj, deliverable)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(title)s is linked; the requester is told.") % {"title": deliverable.title}
        )
    return _back(obj, "#deliverables")


@login_required
@require_POST
def deliverable_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link any other portal page by its address (a forum answer, for now)."""
    user = signed_in(request)
    obj = get_request_for_triage(user, pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        deliverable = form.deliverable()
        try:
            actions.add_deliverable(user, obj, deliverable)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(title)s is linked; the requester is told.") % {"title": deliverable.title},
            )
            return _back(obj, "#deliverables")
    return render(
        request, "alignment/request_detail.html", detail_context(user, obj, link_form=form),
        status=400,
    )  # fmt: skip


@login_required
@require_POST
def deliverable_remove(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    user = signed_in(request)
    obj = get_request_for_triage(user, pk)
    deliverable = get_deliverable_for_triage(user, obj, deliverable_pk)
    actions.remove_deliverable(user, deliverable)
    messages.success(request, _("%(title)s is no longer linked.") % {"title": deliverable.title})
    return _back(obj, "#deliverables")


urlpatterns: list[URLPattern] = [
    path("requests/<int:pk>/triage/", request_triage, name="request_triage"),
    path("requests/<int:pk>/deliverables/add/", deliverable_add, name="deliverable_add"),
    path("requests/<int:pk>/deliverables/link/", deliverable_link, name="deliverable_link"),
    path(
        "requests/<int:pk>/deliverables/<int:deliverable_pk>/remove/",
        deliverable_remove,
        name="deliverable_remove",
    ),
]
