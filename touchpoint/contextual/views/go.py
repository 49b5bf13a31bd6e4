"""The deep link from a partner's own system: /go/?app=…&screen=…&product=…&topic=… opens
the one matching item, or lists the matches, or offers a search; /go/item/<id>/ is the
counted way into one item (the list, the widget and the API link through it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from touchpoint.contextual import actions
from touchpoint.contextual.models import ContextItem
from touchpoint.contextual.resolve import Context, Viewer, resolve, shown
from touchpoint.contextual.views.common import internal_redirect
from touchpoint.orgs.access import signed_in


def _via(request: HttpRequest, default: str) -> str:
    via = request.GET.get("via", "")
    return via if via in actions.VIA else default


@login_required
@require_GET
def go(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    context = Context.from_data(request.GET)
    resolution = resolve(context, Viewer.person(user))
    via = _via(request, "go")
    actions.record_ask(user, resolution, via)
    if len(resolution.items) == 1:
        only = resolution.items[0]
        actions.record_open(user, only, context, via)
        return internal_redirect(request, only.target_url)
    links = [(item, item.open_url(context, via="list")) for item in resolution.items]
    return render(
        request,
        "contextual/go.html",
        {"resolution": resolution, "context": context, "links": links},
    )


@login_required
@require_GET
def go_item(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    item = shown(ContextItem.objects.get_for(user, pk=pk))
    actions.record_open(user, item, Context.from_data(request.GET), _via(request, "go"))
    return internal_redirect(request, item.target_url)


urlpatterns: list[URLPattern] = [
    path("go/", go, name="go"),
    path("go/item/<int:pk>/", go_item, name="go_item"),
]
