"""Contextual's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.contextual.access import can_edit_contexts, can_manage_integrations
from touchpoint.kernel.menu import ADMINISTER, EDUCATE, SELL, MenuEntry, everyone, menu

menu.register(MenuEntry(_("Apps"), "contextual:apps", SELL, everyone, 65, "layout-grid"))
menu.register(
    MenuEntry(_("Contextual help"), "contextual:mapping_list", EDUCATE, can_edit_contexts, 110)
)
menu.register(
    MenuEntry(
        _("Integrations"), "contextual:integration_list", ADMINISTER, can_manage_integrations, 90
    )
)
