"""The learning team's side of a request: classify, assign, set status and priority, link
and remove deliverables. Everyone else gets the 404 of a missing request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.alignment import actions
from touchpoint.alignment.access import is_learning_team
from touchpoint.alignment.forms import LinkForm, TriageForm, deliverable_from_value
from touchpoint.alignment.models import Deliverable, LearningRequest
from touchpoint.alignment.views.requests import detail_context
from touchpoint.kernel.access import require
from touchpoint.kernel.forms import add_errors
from touchpoint.orgs.access import signed_in


def _back(obj: object, anchor: str) -> HttpResponse:
    return redirect(obj.get_absolute_url() + anchor)  # type: ignore[attr-defined]


@require(is_learning_team)
@require_POST
def request_triage(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    obj = LearningRequest.objects.get_for(user, manage=True, pk=pk)
    form = TriageForm(request.POST, actor=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes = actions.triage(
                user, obj, relationship=data["relationship"], owner=data["owner"],
                status=data["status"], priority=data["priority"],
                decline_reason=data["decline_reason"],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
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


@require(is_learning_team)
@require_POST
def deliverable_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a course, library item or context mapping chosen in the picker."""
    user = signed_in(request)
    obj = LearningRequest.objects.get_for(user, manage=True, pk=pk)
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


@require(is_learning_team)
@require_POST
def deliverable_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link any other portal page by its address (a forum answer, for now)."""
    user = signed_in(request)
    obj = LearningRequest.objects.get_for(user, manage=True, pk=pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        deliverable = form.deliverable()
        try:
            actions.add_deliverable(user, obj, deliverable)
        except ValidationError as exc:
            add_errors(form, exc)
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


@require(is_learning_team)
@require_POST
def deliverable_remove(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    user = signed_in(request)
    obj = LearningRequest.objects.get_for(user, manage=True, pk=pk)
    deliverable = Deliverable.objects.filter(request=obj).get_for(
        user, manage=True, pk=deliverable_pk
    )
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
