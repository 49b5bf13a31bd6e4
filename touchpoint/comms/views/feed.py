"""Announcements for the people they reach: the feed at /news/, one announcement with its
attachments, marking as read and acknowledging (both harmless to repeat)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.comms import actions
from touchpoint.comms.access import can_write_announcements
from touchpoint.comms.models import Announcement
from touchpoint.kernel.access import require
from touchpoint.kernel.activity import record_view
from touchpoint.kernel.files import file_view, serve_file
from touchpoint.kernel.htmx import is_htmx, render_page
from touchpoint.kernel.menu import everyone
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.redirects import redirect_back
from touchpoint.kernel.translations import localise
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import User

PAGE_SIZE = 20


@require(everyone)
def news_feed(request: HttpRequest) -> HttpResponse:
    # Listing writes nothing: the background run and its 15-minute catch-up make the
    # deliveries; reading or acknowledging one makes the person's own if it is missing.
    user = signed_in(request)
    show = request.GET.get("show", "")
    announcements = Announcement.objects.received_by(user).with_delivery_of(user).in_language()
    if show == "unread":
        announcements = announcements.filter(my_read_at__isnull=True)
    elif show == "to-acknowledge":
        announcements = announcements.filter(requires_ack=True, my_ack_at__isnull=True)
    page = page_of(request, announcements.order_by("-pinned", "-published_at", "-pk"), PAGE_SIZE)
    context = {"page": page, "show": show, "is_author": can_write_announcements(user)}
    return render_page(request, "comms/feed.html", "comms/_feed_list.html", context)


def _received(user: User, pk: int) -> Announcement:
    """An announcement from the person's own feed, with their delivery (404 when it is not
    meant for them)."""
    return (
        Announcement.objects.received_by(user)
        .with_delivery_of(user)
        .in_language()
        .get_or_404(pk=pk)
    )


@login_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    announcement = Announcement.objects.get_for(user, pk=pk)
    mine = Announcement.objects.received_by(user).with_delivery_of(user).filter(pk=pk).first()
    if mine is not None and not is_htmx(request):
        # Opening it is reading it: the one write a page view makes, through the action.
        actions.mark_read(user, announcement)
        record_view(request, announcement)
        mine = _received(user, pk)
    return render(
        request,
        "comms/announcement.html",
        {
            "announcement": localise(mine or announcement),
            "is_recipient": mine is not None,
            "attachments": list(announcement.attachments.all()),
            "can_manage": can_write_announcements(user),
        },
    )


def _item_response(request: HttpRequest, user: User, pk: int, note: str) -> HttpResponse:
    if is_htmx(request):
        context: dict[str, Any] = {
            "a": _received(user, pk),
            "note": note,
            "next": request.POST.get("next", ""),
        }
        template = (
            "comms/_home_pinned_item.html"
            if request.POST.get("place") == "home"
            else "comms/_feed_item.html"
        )
        return render(request, template, context)
    messages.success(request, note)
    return redirect_back(request, "comms:feed")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    announcement = _received(user, pk)
    changed = actions.mark_read(user, announcement)
    note = _("Marked as read.") if changed else _("You had already read this.")
    return _item_response(request, user, pk, note)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    announcement = _received(user, pk)
    if not announcement.requires_ack:
        return _item_response(
            request, user, pk, _("This announcement does not ask for acknowledgement.")
        )
    if actions.acknowledge(user, announcement):
        note = _("Thank you: your acknowledgement of “%(title)s” is recorded.") % {
            "title": announcement.title
        }
    else:
        when = announcement.my_ack_at  # type: ignore[attr-defined]
        note = _("You acknowledged this on %(when)s already; nothing changed.") % {
            "when": date_format(when, "DATETIME_FORMAT", use_l10n=True) if when else ""
        }
    return _item_response(request, user, pk, note)


@file_view
def attachment(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    user = signed_in(request)
    announcement = Announcement.objects.get_for(user, pk=pk)
    found = get_object_or_404(announcement.attachments.all(), pk=file_pk)
    return serve_file(request, found.file, filename=found.file_name, content_type=found.file_type)


urlpatterns: list[URLPattern] = [
    path("news/", news_feed, name="feed"),
    path("news/<int:pk>/", announcement_detail, name="announcement"),
    path("news/<int:pk>/read/", mark_read, name="mark_read"),
    path("news/<int:pk>/acknowledge/", acknowledge, name="acknowledge"),
    path("news/<int:pk>/files/<int:file_pk>/", attachment, name="attachment"),
]
