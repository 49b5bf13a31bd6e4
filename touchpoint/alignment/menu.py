"""Alignment's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import ALIGN, MenuEntry, everyone, menu

menu.register(MenuEntry(_("L&D requests"), "alignment:request_list", ALIGN, everyone, 70))
