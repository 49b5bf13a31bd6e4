"""Reach of one announcement: delivered, read and acknowledged, in all and by partner
organisation (aggregate queries over the deliveries), a reminder for those who have not
acknowledged, and the same table as CSV. A channel manager sees their partners only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from touchpoint.comms import actions
from touchpoint.comms.access import get_reportable_announcement, reach_partners
from touchpoint.comms.models import Announcement, Delivery
from touchpoint.comms.views.author import _author
from touchpoint.kernel.exports import csv_lines
from touchpoint.kernel.paging import page_of
from touchpoint.orgs.models import Partner, User

COUNTS = {
    "delivered": Count("pk"),
    "read": Count("pk", filter=Q(read_at__isnull=False)),
    "acknowledged": Count("pk", filter=Q(acknowledged_at__isnull=False)),
}


def _deliveries(user: User, announcement: Announcement) -> tuple[QuerySet[Delivery], Any]:
    partners = reach_partners(user, announcement)
    deliveries = Delivery.objects.filter(announcement=announcement)
    if partners is not None:
        deliveries = deliveries.filter(partner__in=partners)
    return deliveries, partners


def by_partner(deliveries: QuerySet[Delivery]) -> QuerySet[Any]:
    return (
        deliveries.order_by()
        .values("partner_id", "partner__name")
        .annotate(**COUNTS)
        .order_by("partner__name", "partner_id")
    )


@login_required
def reach(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    announcement = get_reportable_announcement(user, pk)
    deliveries, partners = _deliveries(user, announcement)
    totals = deliveries.aggregate(**COUNTS)
    page = page_of(request, by_partner(deliveries), 50)
    return render(
        request,
        "comms/reach.html",
        {
            "announcement": announcement,
            "totals": totals,
            "page": page,
            "limited": partners is not None,
            "can_remind": announcement.requires_ack and announcement.is_live,
        },
    )


@login_required
def reach_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    user = _author(request)
    announcement = get_reportable_announcement(user, pk)
    deliveries, _partners = _deliveries(user, announcement)
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


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    user = _author(request)
    announcement = get_reportable_announcement(user, pk)
    partners: QuerySet[Partner] | None = reach_partners(user, announcement)
    try:
        count = actions.remind(user, announcement, partners)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if count:
            messages.success(request, ngettext(
                "A reminder is on its way to %(n)d person who has not acknowledged.",
                "A reminder is on its way to %(n)d people who have not acknowledged.", count,
            ) % {"n": count})  # fmt: skip
        elif actions.unacknowledged(announcement, partners).exists():
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
