"""The organisations' places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import ADMINISTER, ALIGN, MenuEntry, menu
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


menu.register(MenuEntry(_("Partners"), "orgs:partner_list", ALIGN, can_browse_partners, 80))
menu.register(MenuEntry(_("My company"), "orgs:my_company", ALIGN, is_partner_person, 82))
menu.register(MenuEntry(_people_label, "orgs:people_list", ALIGN, can_look_up_partners, 85))  # type: ignore[arg-type]
menu.register(
    MenuEntry(_("Applications"), "orgs:application_list", ALIGN, can_review_applications, 200)
)
menu.register(MenuEntry(_("Audiences"), "orgs:audience_list", ADMINISTER, can_build_audiences, 10))
menu.register(MenuEntry(_("Staff"), "orgs:staff_list", ADMINISTER, is_portal_admin, 20))
menu.register(MenuEntry(_("Channel setup"), "orgs:channel_setup", ADMINISTER, is_portal_admin, 30))
menu.register(MenuEntry(_("Groups"), "orgs:group_list", ADMINISTER, is_portal_admin, 40))
menu.register(MenuEntry(_("Import"), "orgs:import_start", ADMINISTER, is_portal_admin, 50))
menu.register(MenuEntry(_("Program terms"), "orgs:terms_manage", ADMINISTER, is_portal_admin, 60))
