"""Who may read, write and follow up announcements, and who runs campaigns: the role
predicates, and the one rule about whom an author may address.

Readers: a partner person sees live announcements whose audience reaches them, and any
live one already delivered to them (an audience edited later does not take it away).
Vendor staff may open any announcement.

Authors:
- portal admins write to anyone and see every announcement's reach;
- content owners write to anyone and follow up the announcements they wrote;
- channel managers write only to their own partners (everyone an announcement reaches
  must be at a partner they manage) and see the reach of any announcement, counted for
  their partners only.
Campaigns are run by portal admins.

Which rows someone may see or change is on the QuerySets (comms.models):
    Announcement.objects.visible_to(user)   .manageable_by(user)   .get_for(user, pk=…)
    Announcement.objects.received_by(user)  (their feed)   .reportable_by(user)  (reach)
    Delivery.objects.visible_to(user)       (what a reach report counts)
    Campaign.objects / CampaignStep.objects .visible_to(user)  .manageable_by(user)
A missing announcement and one outside someone's reach give the same 404.
"""

from __future__ import annotations

from touchpoint.kernel.access import active
from touchpoint.orgs.audience import users_reached
from touchpoint.orgs.models import Audience, Partner, StaffRoleKind, User

R = StaffRoleKind
AUTHORS = (R.PORTAL_ADMIN, R.CONTENT_OWNER, R.CHANNEL_MANAGER)
# Who sees the reach of announcements they did not write (a channel manager: counted for
# their own partners).
REACH_READERS = (R.PORTAL_ADMIN, R.CHANNEL_MANAGER)


def can_write_announcements(user: User) -> bool:
    return active(user) and user.has_staff_role(*AUTHORS)


def writes_to_own_partners_only(user: User) -> bool:
    """Channel managers (without a wider role) address only the partners they manage."""
    return not user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER)


def can_run_campaigns(user: User) -> bool:
    return active(user) and user.is_portal_admin


def may_address(user: User, audience: Audience | None) -> bool:
    """May this author address everyone `audience` reaches? (Channel managers: only people
    at partners they manage.) One query."""
    if not writes_to_own_partners_only(user):
        return True
    return not (
        users_reached(audience).exclude(partner__in=Partner.objects.visible_to(user)).exists()
    )
