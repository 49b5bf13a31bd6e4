"""Alignment's part of home: for a channel manager, the open L&D requests of their partners
(one count), among the partners needing attention."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from touchpoint.alignment.models import OPEN_STATUSES, LearningRequest
from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.orgs.models import StaffRoleKind, User


@contribute
def alignment_home(user: User, home: Home) -> None:
    # The same people credentials.home answers "partners needing attention" for; the role
    # check costs no query, so nobody else's home pays for it.
    if not user.is_vendor or user.has_staff_role(StaffRoleKind.PORTAL_ADMIN, StaffRoleKind.ANALYST):
        return
    if not user.has_staff_role(StaffRoleKind.CHANNEL_MANAGER):
        return
    count = (
        LearningRequest.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES, partner__isnull=False)
        .count()
    )
    if count:
        home.attention.append(
            HomeItem(
                title=ngettext("%(n)d open L&D request", "%(n)d open L&D requests", count)
                % {"n": count},
                url=reverse("alignment:request_list"),
                tone="info",
            )
        )
