"""The launcher's part of a person's home: the other systems they use, as quick links."""

from __future__ import annotations

from django.urls import reverse

from touchpoint.contextual.models import LauncherLink
from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.orgs.models import User

# Home shows the first few; the Apps page shows them all.
HOME_LIMIT = 8


@contribute
def launcher_home(user: User, home: Home) -> None:
    links = (
        LauncherLink.objects.visible_to(user)
        .in_language()
        .only("pk", "name", "description", "sso_hint")[:HOME_LIMIT]
    )
    # First among the quick links: reaching the other systems is what a true portal is for.
    home.quick_links[:0] = [
        HomeItem(
            title=link.name,
            url=reverse("contextual:app_open", args=[link.pk]),
            meta=link.description or link.sso_hint,
        )
        for link in links
    ]
