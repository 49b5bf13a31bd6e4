"""The library's part of a person's home: new items for partner people (among the quick
links, at most three) and, for content owners, how many of their items need review."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.library import health
from touchpoint.library.models import Asset
from touchpoint.orgs.models import StaffRoleKind, User

NEW_DAYS = 30
HOME_NEW_ITEMS = 3


@contribute
def library_home(user: User, home: Home) -> None:
    now = timezone.now()
    if not user.is_vendor:
        recent = (
            Asset.objects.visible_to(user)
            .published()
            .filter(content_updated_at__gte=now - timedelta(days=NEW_DAYS))
            .select_related("section")
            .order_by("-content_updated_at")[:HOME_NEW_ITEMS]
        )
        home.quick_links[:0] = [
            HomeItem(
                title=asset.title,
                url=asset.get_absolute_url(),
                meta=_("New in the library · %(section)s") % {"section": asset.section.name},
                when=asset.content_updated_at,
            )
            for asset in recent
        ]
    elif user.has_staff_role(StaffRoleKind.CONTENT_OWNER):
        scope = Asset.objects.manageable_by(user).published()
        due = health.conditions(now)[health.DUE]
        count = scope.filter(due).count()
        if count:
            home.due.append(
                HomeItem(
                    title=ngettext(
                        "%(n)d library item needs review",
                        "%(n)d library items need review",
                        count,
                    )
                    % {"n": count},
                    url=reverse("library:health"),
                    meta=_("Confirm they are still current, update or archive them."),
                    tone="warn",
                )
            )
