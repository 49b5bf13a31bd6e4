"""Who may do what with search: the role predicates.

Which rows someone may see is on the QuerySets (search.models):
    Entry.objects.visible_to(user)                  what a person's searches may find
    Miss.objects.visible_to(user)  .get_for(user, manage=True, pk=…)
"""

from __future__ import annotations

from touchpoint.kernel.access import active
from touchpoint.orgs.models import StaffRoleKind as R
from touchpoint.orgs.models import User

# The people who act on searches that found nothing: they write and file the content.
CONTENT_ROLES = (R.PORTAL_ADMIN, R.CONTENT_OWNER, R.TRAINER)


def can_review_misses(user: User) -> bool:
    """The list of searches that found nothing, and marking them handled."""
    return active(user) and user.has_staff_role(*CONTENT_ROLES)
