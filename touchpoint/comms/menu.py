"""Comms's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.comms.access import can_run_campaigns, can_write_announcements
from touchpoint.kernel.menu import COMMUNICATE, MenuEntry, everyone, menu

menu.register(MenuEntry(_("News"), "comms:feed", COMMUNICATE, everyone, 50, "newspaper"))
menu.register(
    MenuEntry(_("Announcements"), "comms:manage", COMMUNICATE, can_write_announcements, 170)
)
menu.register(
    MenuEntry(_("Launch campaigns"), "comms:campaign_list", COMMUNICATE, can_run_campaigns, 180)
)
