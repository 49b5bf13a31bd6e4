"""Writing announcements (portal admins, content owners, channel managers for their own
partners): the list of one's announcements, the form with a live reach count, publishing
or scheduling, and ending one early."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.comms import actions
from touchpoint.comms.access import can_write_announcements
from touchpoint.comms.forms import AnnouncementForm, reach_of
from touchpoint.comms.models import Announcement, AnnouncementState
from touchpoint.kernel.access import require
from touchpoint.kernel.forms import add_errors
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import Audience, User


@require(can_write_announcements)
def manage(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    state = request.GET.get("state", "")
    announcements = (
        Announcement.objects.manageable_by(user) | Announcement.objects.reportable_by(user)
    ).select_related("author", "audience", "asset", "course")
    if state in AnnouncementState.values:
        announcements = announcements.filter(state=state)
    page = page_of(request, announcements.order_by("-updated_at", "-pk"), 25)
    editable = set(
        Announcement.objects.manageable_by(user)
        .filter(pk__in=[a.pk for a in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "comms/manage.html",
        {"page": page, "state": state, "states": AnnouncementState.choices, "editable": editable},
    )


def _message(announcement: Announcement) -> str:
    if announcement.state == AnnouncementState.PUBLISHED:
        return _("“%(title)s” is published; it is being delivered now.") % {
            "title": announcement.title
        }
    if announcement.state == AnnouncementState.SCHEDULED and announcement.publish_at:
        return _("“%(title)s” is scheduled for %(when)s.") % {
            "title": announcement.title,
            "when": date_format(announcement.publish_at, "DATETIME_FORMAT", use_l10n=True),
        }
    return _("“%(title)s” is saved as a draft.") % {"title": announcement.title}


def _form_page(request: HttpRequest, user: User, announcement: Announcement | None) -> HttpResponse:
    publish = request.POST.get("intent") == "publish"
    form = AnnouncementForm(
        request.POST or None,
        request.FILES or None,
        instance=announcement,
        user=user,
        publish=publish,
    )
    if request.method == "POST" and form.is_valid():
        draft = form.save(commit=False)
        try:
            saved = actions.save_announcement(
                user, draft, publish=publish, files=form.cleaned_data["attachments"],
                remove=[int(pk) for pk in form.cleaned_data.get("remove_attachments") or []],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _message(saved))
            if saved.state == AnnouncementState.SCHEDULED:
                pending = actions.item_pending(saved)
                if pending:
                    messages.warning(request, pending)
            return redirect("comms:manage")
    reach = (
        form.reach
        if form.reach is not None
        else reach_of(announcement.audience if announcement else None)
    )
    return render(
        request, "comms/announcement_form.html",
        {"form": form, "announcement": announcement, "reach": reach},
    )  # fmt: skip


@require(can_write_announcements)
def announcement_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, signed_in(request), None)


@require(can_write_announcements)
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    return _form_page(request, user, Announcement.objects.get_for(user, manage=True, pk=pk))


@require(can_write_announcements)
def reach_preview(request: HttpRequest) -> HttpResponse:
    """The live "reaches N people" line under the audience choice (htmx); a plain GET of
    the same address shows it too."""
    value = request.GET.get("audience", "")
    audience = Audience.objects.filter(pk=int(value)).first() if value.isdigit() else None
    return render(request, "comms/_reach.html", {"reach": reach_of(audience)})


@require(can_write_announcements)
@require_POST
def announcement_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    announcement = Announcement.objects.get_for(user, manage=True, pk=pk)
    actions.end_now(user, announcement)
    messages.success(
        request,
        _("“%(title)s” has ended: it is no longer in feeds or search.")
        % {"title": announcement.title},
    )
    return redirect("comms:manage")


urlpatterns: list[URLPattern] = [
    path("news/manage/", manage, name="manage"),
    path("news/manage/new/", announcement_create, name="announcement_create"),
    path("news/manage/reach/", reach_preview, name="reach_preview"),
    path("news/manage/<int:pk>/edit/", announcement_edit, name="announcement_edit"),
    path("news/manage/<int:pk>/end/", announcement_end, name="announcement_end"),
]
