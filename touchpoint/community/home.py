"""The community's part of a person's home: for community moderators, what waits in their
queue."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from touchpoint.community.models import Category, Post, PostStatus, Report
from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.orgs.models import StaffRoleKind, User


@contribute
def community_home(user: User, home: Home) -> None:
    # Community moderators only: a role check costs no query (roles are loaded once per
    # request), so nobody else's home pays for it. Staff listed as a category's moderator
    # hear about their queue through notifications.
    if not user.has_staff_role(StaffRoleKind.MODERATOR):
        return
    open_reports = Report.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
    counts = Post.objects.filter(
        thread__category__in=Category.objects.moderated_by(user)
    ).aggregate(
        held=Count("pk", filter=Q(status=PostStatus.HELD)),
        reported=Count("pk", filter=Q(Exists(open_reports))),
    )
    held, reported = counts["held"], counts["reported"]
    waiting = held + reported
    if waiting:
        home.due.append(
            HomeItem(
                title=ngettext(
                    "%(n)d forum post waits for moderation",
                    "%(n)d forum posts wait for moderation",
                    waiting,
                )
                % {"n": waiting},
                url=reverse("community:queue"),
                meta=_("Held for review or reported."),
                tone="warn",
            )
        )
