"""Community's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.community.access import can_moderate, can_see_answering_content
from touchpoint.kernel.menu import WORK, MenuEntry, everyone, menu

menu.register(MenuEntry(_("Community"), "community:home", WORK, everyone, 60))
menu.register(MenuEntry(_("Moderation"), "community:queue", WORK, can_moderate, 150))
menu.register(
    MenuEntry(
        _("Content that answers questions"),
        "community:answering_content",
        WORK,
        can_see_answering_content,
        160,
    )
)
