"""Community's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.community.access import can_moderate, can_see_answering_content
from touchpoint.kernel.menu import COMMUNICATE, MenuEntry, everyone, menu

menu.register(
    MenuEntry(_("Community"), "community:home", COMMUNICATE, everyone, 60, "messages-square")
)
menu.register(MenuEntry(_("Moderation"), "community:queue", COMMUNICATE, can_moderate, 150))
menu.register(
    MenuEntry(
        _("Content that answers questions"),
        "community:answering_content",
        COMMUNICATE,
        can_see_answering_content,
        160,
    )
)
