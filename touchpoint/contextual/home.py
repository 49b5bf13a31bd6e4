"""The launcher's part of a person's home: the links an admin pinned on home for them."""

from __future__ import annotations

from django.urls import reverse

from touchpoint.contextual.models import LauncherLink
from touchpoint.kernel.home import Home, HomeItem, contribute, shared
from touchpoint.orgs.audience import cached_audience_ids
from touchpoint.orgs.models import User

# At most this many pinned links lead the quick links; the Apps page shows them all.
HOME_LIMIT = 4


@contribute
def launcher_home(user: User, home: Home) -> None:
    if user.is_vendor:
        # Pinned for partner audiences; staff reach every link from the Apps page.
        return
    # The same for everyone the same audiences reach: shared, keyed by them.
    links = shared("launcher", cached_audience_ids(user), lambda: _pinned_for(user))
    # First among the quick links: reaching the other systems is what a true portal is for.
    home.quick_links[:0] = [
        HomeItem(title=name, url=reverse("contextual:app_open", args=[pk]), meta=meta)
        for pk, name, meta in links
    ]


def _pinned_for(user: User) -> list[tuple[int, str, str]]:
    links = (
        LauncherLink.objects.visible_to(user)
        .filter(on_home=True)
        .in_language()
        .only("pk", "name", "description", "sso_hint")[:HOME_LIMIT]
    )
    return [(link.pk, link.name, link.description or link.sso_hint) for link in links]
