"""Reach of one announcement: delivered, read and acknowledged, in all and by partner
organisation (aggregate queries over the deliveries), a reminder for those who have not
acknowledged, and the same table as CSV. A channel manager sees their partners only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from touchpoint.comms import actions
from touchpoint.comms.access import can_write_announcements
from touchpoint.comms.models import Announcement, Delivery, DeliveryQuerySet
from touchpoint.kernel.access import require
from touchpoint.kernel.exports import csv_lines
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.access import signed_in
from touchpoint.orgs.models import User

COUNTS = {
    "delivered": Count("pk"),
    "read": Count("pk", filter=Q(read_at__isnull=False)),
    "acknowledged": Count("pk", filter=Q(acknowledged_at__isnull=False)),
}


def _reportable(user: User, pk: int) -> Announcement:
    return Announcement.objects.select_related("audience").reportable_by(user).get_or_404(pk=pk)


def _deliveries(user: User, announcement: Announcement) -> DeliveryQuerySet:
    """What this person's report counts (a channel manager: at their partners)."""
    return Delivery.objects.visible_to(user).filter(announcement=announcement)


def by_partner(deliveries: QuerySet[Delivery]) -> QuerySet[Any]:
    return (
        deliveries.order_by()
        .values("partner_id", "partner__name")
        .annotate(**COUNTS)
        .order_by("partner__name", "partner_id")
    )


@require(can_write_announcements)
def reach(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    announcement = _reportable(user, pk)
    deliveries = _deliveries(user, announcement)
    totals = deliveries.aggregate(**COUNTS)
    page = page_of(request, by_partner(deliveries), 50)
    return render(
        request,
        "comms/reach.html",
        {
            "announcement": announcement,
            "totals": totals,
            "page": page,
            "limited": announcement.reach_limited_for(user),
            "can_remind": announcement.requires_ack and announcement.is_live,
        },
    )


@require(can_write_announcements)  # type: ignore[type-var]  # require is typed for HttpResponse
def reach_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    user = signed_in(request)
    announcement = _reportable(user, pk)
    deliveries = _deliveries(user, announcement)
    rows = (
        (
            row["partner__name"] or _("Vendor staff"),
            row["delivered"],
            row["read"],
            row["acknowledged"],
        )
        for row in by_partner(deliveries).iterator()
    )
    header = [_("Partner"), _("Delivered"), _("Read"), _("Acknowledged")]
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="announcement-{announcement.pk}-reach.csv"'
    )
    return response


@require(can_write_announcements)
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    announcement = _reportable(user, pk)
    try:
        count = actions.remind(user, announcement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if count:
            messages.success(request, ngettext(
                "A reminder is on its way to %(n)d person who has not acknowledged.",
                "A reminder is on its way to %(n)d people who have not acknowledged.", count,
            ) % {"n": count})  # fmt: skip
        elif _deliveries(user, announcement).unacknowledged().exists():
            messages.warning(request, _(
                "Everyone who has not acknowledged was reminded within the last hour. "
                "Try again later."
            ))  # fmt: skip
        else:
            messages.info(request, _("Everyone has acknowledged: nobody to remind."))
    return redirect("comms:reach", pk=announcement.pk)


urlpatterns: list[URLPattern] = [
    path("news/manage/<int:pk>/reach/", reach, name="reach"),
    path("news/manage/<int:pk>/reach.csv", reach_csv, name="reach_csv"),
    path("news/manage/<int:pk>/remind/", remind, name="remind"),
]
