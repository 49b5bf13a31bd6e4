"""The navigation each person sees: only the places their roles may use."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from touchpoint.orgs.models import StaffRoleKind as R
from touchpoint.orgs.models import User

SCOPED_STAFF = (R.PORTAL_ADMIN, R.ANALYST, R.TRAINER, R.CHANNEL_MANAGER)


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url: str
    group: Promise
    active: bool = False


WORK = _("Work")
ADMIN = _("Administration")


def _entries(user: User) -> list[tuple[Promise, str, Promise]]:
    entries: list[tuple[Promise, str, Promise]] = [
        (_("Home"), reverse("home"), WORK),
        (_("Learning"), reverse("courses:catalog"), WORK),
        (_("Apps"), reverse("contextual:apps"), WORK),
        (_("Library"), reverse("library:home"), WORK),
        (_("News"), reverse("comms:feed"), WORK),
        (_("Community"), reverse("community:home"), WORK),
        # Everyone may ask the learning team; the list shows what each person may follow.
        (_("L&D requests"), reverse("alignment:request_list"), WORK),
    ]
    if user.is_vendor:
        if user.has_staff_role(*SCOPED_STAFF):
            entries += [
                (_("Partners"), reverse("orgs:partner_list"), WORK),
                (_("People"), reverse("orgs:people_list"), WORK),
                (_("Certification tracking"), reverse("credentials:matrix"), WORK),
            ]
        if user.has_staff_role(R.PORTAL_ADMIN, R.TRAINER, R.CONTENT_OWNER):
            entries.append((_("Manage learning"), reverse("courses:manage"), WORK))
        if user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER):
            entries.append((_("Contextual help"), reverse("contextual:mapping_list"), WORK))
        if user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER):
            entries += [
                (_("Manage library"), reverse("library:manage"), WORK),
                (_("Content health"), reverse("library:health"), WORK),
            ]
        if user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER, R.TRAINER):
            entries.append((_("Searches that found nothing"), reverse("search:misses"), WORK))
        if user.has_staff_role(R.PORTAL_ADMIN, R.MODERATOR):
            entries.append((_("Moderation"), reverse("community:queue"), WORK))
        if user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER, R.MODERATOR):
            entries.append(
                (_("Content that answers questions"), reverse("community:answering_content"), WORK)
            )
        if user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER, R.CHANNEL_MANAGER):
            entries.append((_("Announcements"), reverse("comms:manage"), WORK))
        if user.is_portal_admin:
            entries.append((_("Launch campaigns"), reverse("comms:campaign_list"), WORK))
            entries.append((_("Launch readiness"), reverse("library:readiness"), WORK))
        if user.has_staff_role(R.PORTAL_ADMIN, R.CHANNEL_MANAGER):
            entries.append((_("Applications"), reverse("orgs:application_list"), WORK))
        if user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER, R.TRAINER):
            entries.append((_("Audiences"), reverse("orgs:audience_list"), ADMIN))
        if user.is_portal_admin:
            entries += [
                (_("Staff"), reverse("orgs:staff_list"), ADMIN),
                (_("Channel setup"), reverse("orgs:channel_setup"), ADMIN),
                (_("Groups"), reverse("orgs:group_list"), ADMIN),
                (_("Import"), reverse("orgs:import_start"), ADMIN),
                (_("Program terms"), reverse("orgs:terms_manage"), ADMIN),
                (_("Audit log"), reverse("portal:audit_log"), ADMIN),
                (_("API tokens"), reverse("portal:api_tokens_admin"), ADMIN),
                (_("Integrations"), reverse("contextual:integration_list"), ADMIN),
                (_("Portal settings"), reverse("portal:portal_settings"), ADMIN),
            ]
    elif user.is_partner_manager:
        entries += [
            (_("My company"), reverse("orgs:my_company"), WORK),
            (_("Team"), reverse("orgs:people_list"), WORK),
            (_("Team learning"), reverse("credentials:team"), WORK),
            (_("Certification tracking"), reverse("credentials:matrix"), WORK),
        ]
    return entries


def navigation_for(user: User, path: str) -> list[NavItem]:
    items = []
    best = ""
    entries = _entries(user)
    # The longest matching URL prefix is the current section ("/" only matches exactly).
    for _label, url, _group in entries:
        if (path == url or (url != "/" and path.startswith(url))) and len(url) > len(best):
            best = url
    for label, url, group in entries:
        items.append(NavItem(label=label, url=url, group=group, active=url == best))
    return items
