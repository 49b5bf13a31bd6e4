"""The organisations' places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import ADMIN, WORK, MenuEntry, menu
from touchpoint.orgs.access import (
    can_browse_partners,
    can_build_audiences,
    can_look_up_partners,
    can_review_applications,
    is_partner_person,
    is_portal_admin,
)
from touchpoint.orgs.models import User


def _people_label(user: User) -> object:
    return _("People") if user.is_vendor else _("Team")


menu.register(MenuEntry(_("Partners"), "orgs:partner_list", WORK, can_browse_partners, 80))
menu.register(MenuEntry(_("My company"), "orgs:my_company", WORK, is_partner_person, 82))
menu.register(MenuEntry(_people_label, "orgs:people_list", WORK, can_look_up_partners, 85))  # type: ignore[arg-type]
menu.register(
    MenuEntry(_("Applications"), "orgs:application_list", WORK, can_review_applications, 200)
)
menu.register(MenuEntry(_("Audiences"), "orgs:audience_list", ADMIN, can_build_audiences, 10))
menu.register(MenuEntry(_("Staff"), "orgs:staff_list", ADMIN, is_portal_admin, 20))
menu.register(MenuEntry(_("Channel setup"), "orgs:channel_setup", ADMIN, is_portal_admin, 30))
menu.register(MenuEntry(_("Groups"), "orgs:group_list", ADMIN, is_portal_admin, 40))
menu.register(MenuEntry(_("Import"), "orgs:import_start", ADMIN, is_portal_admin, 50))
menu.register(MenuEntry(_("Program terms"), "orgs:terms_manage", ADMIN, is_portal_admin, 60))
