"""Community's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.community.access import CONTENT_ROLES, is_moderator_anywhere
from touchpoint.kernel.menu import WORK, MenuEntry, everyone, menu
from touchpoint.orgs.models import User


def _sees_answering_content(user: User) -> bool:
    return user.is_authenticated and user.has_staff_role(*CONTENT_ROLES)


menu.register(MenuEntry(_("Community"), "community:home", WORK, everyone, 60))
menu.register(MenuEntry(_("Moderation"), "community:queue", WORK, is_moderator_anywhere, 150))
menu.register(
    MenuEntry(
        _("Content that answers questions"),
        "community:answering_content",
        WORK,
        _sees_answering_content,
        160,
    )
)
