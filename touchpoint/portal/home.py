"""The portal's own quick links on home: portal settings for admins, and everyone's profile."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.orgs.models import User


@contribute
def portal_links(user: User, home: Home) -> None:
    if user.is_portal_admin:
        home.quick_links.append(
            HomeItem(
                _("Portal settings"), reverse("portal:portal_settings"), _("Name, logo, colours")
            )
        )
    home.quick_links.append(
        HomeItem(_("Profile"), reverse("portal:profile"), _("Language, time zone, alerts"))
    )
