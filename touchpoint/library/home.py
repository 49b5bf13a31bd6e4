"""The library's part of a person's home: new items for partner people (with what's new for
them, at most three) and, for content owners, how many of their items need review."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from touchpoint.kernel.home import Home, HomeItem, contribute, shared
from touchpoint.library import health
from touchpoint.library.models import Asset
from touchpoint.orgs.audience import cached_audience_ids
from touchpoint.orgs.models import StaffRoleKind, User

NEW_DAYS = 30
HOME_NEW_ITEMS = 3


@contribute
def library_home(user: User, home: Home) -> None:
    now = timezone.now()
    if not user.is_vendor:
        # The same for everyone the same audiences reach: shared, keyed by them.
        recent = shared("library-new", cached_audience_ids(user), lambda: _recent_for(user, now))
        home.new_items += [
            HomeItem(
                title=title,
                url=url,
                meta=_("New in the library · %(section)s") % {"section": section},
                when=updated_at,
            )
            for title, url, section, updated_at in recent
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


def _recent_for(user: User, now: datetime) -> list[tuple[str, str, str, datetime | None]]:
    assets = (
        Asset.objects.visible_to(user)
        .published()
        .filter(content_updated_at__gte=now - timedelta(days=NEW_DAYS))
        .select_related("section")
        .order_by("-content_updated_at")[:HOME_NEW_ITEMS]
    )
    return [(a.title, a.get_absolute_url(), a.section.name, a.content_updated_at) for a in assets]
