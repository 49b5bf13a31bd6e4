"""The app launcher: the other systems partners use, on /apps/ and as quick links on home;
each click is counted on the way out. Portal admins manage the links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from touchpoint.contextual import actions
from touchpoint.contextual.access import can_manage_launcher
from touchpoint.contextual.forms import LauncherLinkForm
from touchpoint.contextual.models import LauncherLink
from touchpoint.kernel.access import require
from touchpoint.kernel.files import file_view, serve_file
from touchpoint.orgs.access import signed_in


@login_required
def apps(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    return render(
        request,
        "contextual/apps.html",
        {
            "links": LauncherLink.objects.visible_to(user).in_language(),
            "can_manage": can_manage_launcher(user),
        },
    )


@login_required
@require_GET
def app_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A counted redirect to another system. Not an open redirect: the address was typed by a
    portal admin (http or https only), and a link the person may not see is a 404."""
    user = signed_in(request)
    link = LauncherLink.objects.get_for(user, pk=pk)
    if not link.url.lower().startswith(("https://", "http://")):
        raise Http404("Not a web address")
    actions.record_launch(user, link)
    return HttpResponseRedirect(link.url)


@file_view
def app_icon(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A link's own icon, for the people the link reaches and for those who manage links
    (they see hidden ones too); there is no public media folder to fetch it from."""
    user = signed_in(request)
    link = LauncherLink.objects.get_for(user, manage=can_manage_launcher(user), pk=pk)
    if not link.icon_image:
        raise Http404("No icon")
    return serve_file(request, link.icon_image, filename=link.icon_image.name or "icon")


@require(can_manage_launcher)
def launcher_manage(request: HttpRequest) -> HttpResponse:
    links = LauncherLink.objects.select_related("audience").manageable_by(signed_in(request))
    return render(request, "contextual/launcher_manage.html", {"links": links})


@require(can_manage_launcher)
def launcher_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = LauncherLinkForm(request.POST or None, request.FILES or None, actor=user)
    if request.method == "POST" and form.is_valid():
        link = actions.save_launcher_link(user, form.save(commit=False))
        messages.success(request, _("%(name)s is added to the launcher.") % {"name": link.name})
        return redirect("contextual:launcher_manage")
    return render(request, "contextual/launcher_form.html", {"form": form, "link": None})


@require(can_manage_launcher)
def launcher_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    link = LauncherLink.objects.get_for(user, manage=True, pk=pk)
    form = LauncherLinkForm(request.POST or None, request.FILES or None, instance=link, actor=user)
    if request.method == "POST" and form.is_valid():
        actions.save_launcher_link(user, form.save(commit=False))
        messages.success(request, _("%(name)s is saved.") % {"name": link.name})
        return redirect("contextual:launcher_manage")
    return render(request, "contextual/launcher_form.html", {"form": form, "link": link})


@require(can_manage_launcher)
@require_POST
def launcher_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    link = LauncherLink.objects.get_for(user, manage=True, pk=pk)
    name = link.name
    actions.delete_launcher_link(user, link)
    messages.success(request, _("%(name)s is removed from the launcher.") % {"name": name})
    return redirect("contextual:launcher_manage")


urlpatterns: list[URLPattern] = [
    path("apps/", apps, name="apps"),
    path("apps/<int:pk>/open/", app_open, name="app_open"),
    path("apps/<int:pk>/icon/", app_icon, name="app_icon"),
    path("apps/manage/", launcher_manage, name="launcher_manage"),
    path("apps/manage/new/", launcher_create, name="launcher_create"),
    path("apps/manage/<int:pk>/", launcher_edit, name="launcher_edit"),
    path("apps/manage/<int:pk>/delete/", launcher_delete, name="launcher_delete"),
]
