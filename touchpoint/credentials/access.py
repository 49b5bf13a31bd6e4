"""Who may do what with certifications and credentials: the role predicates.

Which certifications and credentials someone may see or change is on the QuerySets
(credentials.models):
    Certification.objects.visible_to(user)   .manageable_by(user)   .get_for(user, pk=…)
    Credential.objects.visible_to(user)      .manageable_by(user)   .get_for(user, pk=…)
The predicates here are functions of the person alone; views gate on them with
kernel.access.require, and the menu offers a page on the same predicate.
"""

from __future__ import annotations

from touchpoint.kernel.access import active
from touchpoint.orgs.models import StaffRoleKind, User

R = StaffRoleKind
# Who builds certifications, grants them and revokes credentials.
CERTIFICATION_MANAGERS = (R.PORTAL_ADMIN, R.TRAINER)
# Vendor staff who follow the learning of the people they look after (channel managers: their
# partners'; the others: the whole channel).
LEARNING_TRACKERS = (R.PORTAL_ADMIN, R.ANALYST, R.TRAINER, R.CHANNEL_MANAGER)


def can_manage_certifications(user: User) -> bool:
    return active(user) and user.has_staff_role(*CERTIFICATION_MANAGERS)


def can_see_every_certification(user: User) -> bool:
    """Vendor staff with a role see every certification, drafts included, and how many of
    the people they look after hold each one."""
    return active(user) and user.is_vendor and bool(user.staff_roles)


def can_track_learning(user: User) -> bool:
    """The team's learning and the certification matrix: partner admins and managers (their
    company), and vendor staff who follow partners' learning."""
    if not active(user):
        return False
    if user.is_vendor:
        return user.has_staff_role(*LEARNING_TRACKERS)
    return user.is_partner_manager
