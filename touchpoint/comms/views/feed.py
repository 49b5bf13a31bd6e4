"""Announcements for the people they reach: the feed at /news/, one announcement with its
attachments, marking as read and acknowledging (both harmless to repeat)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.comms import actions
from touchpoint.comms.access import feed_for, get_announcement_for_user, is_author
from touchpoint.comms.models import Announcement, Delivery, Priority
from touchpoint.kernel.activity import record_view
from touchpoint.kernel.files import file_view, serve_file
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.redirects import redirect_back
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import User

PAGE_SIZE = 20


def with_my_delivery(announcements: QuerySet[Announcement], user: User) -> Any:
    """Each announcement with this person's delivery (read, acknowledged) and `pinned`:
    urgent and not yet acknowledged, which keeps it at the top."""
    mine = Delivery.objects.filter(announcement=OuterRef("pk"), user=user)
    return announcements.annotate(
        my_delivery=Subquery(mine.values("pk")[:1]),
        my_read_at=Subquery(mine.values("read_at")[:1]),
        my_ack_at=Subquery(mine.values("acknowledged_at")[:1]),
    ).annotate(
        pinned=Case(
            When(priority=Priority.URGENT, my_ack_at__isnull=True, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def deliver_lazily(user: User, announcements: list[Announcement]) -> None:
    """The background run may not have reached this person yet (or they joined the audience
    since): their delivery is made as they see it, so reach counts them."""
    missing = [a for a in announcements if a.my_delivery is None]  # type: ignore[attr-defined]
    if missing:
        Delivery.objects.bulk_create(
            [Delivery(announcement=a, user=user, partner_id=user.partner_id) for a in missing],
            ignore_conflicts=True,
        )


@login_required
def news_feed(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    show = request.GET.get("show", "")
    announcements = with_my_delivery(feed_for(user), user)
    if show == "unread":
        announcements = announcements.filter(my_read_at__isnull=True)
    elif show == "to-acknowledge":
        announcements = announcements.filter(requires_ack=True, my_ack_at__isnull=True)
    page = page_of(request, announcements.order_by("-pinned", "-published_at", "-pk"), PAGE_SIZE)
    deliver_lazily(user, list(page))
    template = "comms/_feed_list.html" if request.htmx else "comms/feed.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "show": show, "is_author": is_author(user)})


def _one(user: User, pk: int) -> Announcement:
    """An announcement from the person's own feed (404 when it is not meant for them)."""
    return get_object_or_404(with_my_delivery(feed_for(user), user), pk=pk)


@login_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    announcement = get_announcement_for_user(user, pk)
    mine = with_my_delivery(feed_for(user), user).filter(pk=pk).first()
    if mine is not None and not request.htmx:  # type: ignore[attr-defined]
        # Opening it is reading it.
        actions.mark_read(user, announcement)
        record_view(request, announcement)
        mine = _one(user, pk)
    return render(
        request,
        "comms/announcement.html",
        {
            "announcement": mine or announcement,
            "is_recipient": mine is not None,
            "attachments": list(announcement.attachments.all()),
            "can_manage": is_author(user),
        },
    )


def _item_response(request: HttpRequest, user: User, pk: int, note: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        context: dict[str, Any] = {
            "a": _one(user, pk),
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
    announcement = _one(user, pk)
    changed = actions.mark_read(user, announcement)
    note = _("Marked as read.") if changed else _("You had already read this.")
    return _item_response(request, user, pk, note)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    announcement = _one(user, pk)
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
    announcement = get_announcement_for_user(user, pk)
    found = get_object_or_404(announcement.attachments.all(), pk=file_pk)
    response = serve_file(
        request, found.file, filename=found.file_name, content_type=found.file_type
    )
    return response


urlpatterns: list[URLPattern] = [
    path("news/", news_feed, name="feed"),
    path("news/<int:pk>/", announcement_detail, name="announcement"),
    path("news/<int:pk>/read/", mark_read, name="mark_read"),
    path("news/<int:pk>/acknowledge/", acknowledge, name="acknowledge"),
    path("news/<int:pk>/files/<int:file_pk>/", attachment, name="attachment"),
]
