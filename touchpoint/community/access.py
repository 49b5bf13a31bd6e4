"""Who may read, write and moderate in the forums: the role predicates.

Partner people see the categories whose audience reaches them; vendor staff see every
category. In a visible category a person sees published threads and posts, plus their own
posts held for review; moderators also see held and hidden ones. Portal admins and
community moderators moderate every category and set categories up; anyone listed as a
category's moderator moderates that one (and holds the derived role below).

Which rows someone may see or change is on the QuerySets (community.models):
    Category.objects.visible_to(user)  .manageable_by(user) (settings)  .moderated_by(user)
    Thread.objects.visible_to(user)    .manageable_by(user) (lock, move)
    Post.objects.visible_to(user)      .manageable_by(user) (hide, approve, dismiss, best
        practice)  .editable_by(user)  .acceptable_by(user)  .history_visible_to(user)
A URL that names a record answers the same 404 for a missing one, one outside someone's
reach, and one they may see but not change.
"""

from __future__ import annotations

from touchpoint.kernel.access import active
from touchpoint.orgs.models import StaffRoleKind, User

R = StaffRoleKind
CHANNEL_MODERATORS = (R.PORTAL_ADMIN, R.MODERATOR)
# Who sees which content answers questions.
CONTENT_ROLES = (R.PORTAL_ADMIN, R.CONTENT_OWNER, R.MODERATOR)
# The role a person holds by being listed as a category's moderator (see roles.py).
CATEGORY_MODERATOR = "category_moderator"


def moderates_every_category(user: User) -> bool:
    """Portal admins and community moderators."""
    return active(user) and user.has_staff_role(*CHANNEL_MODERATORS)


def can_manage_categories(user: User) -> bool:
    """Setting categories up (audience, moderators) is for those who moderate them all."""
    return moderates_every_category(user)


def can_moderate(user: User) -> bool:
    """Portal admins, community moderators, and staff listed as a category's moderator (the
    category form offers vendor staff only); no query beyond the person's roles."""
    return active(user) and user.has_staff_role(*CHANNEL_MODERATORS, CATEGORY_MODERATOR)


def can_see_answering_content(user: User) -> bool:
    return active(user) and user.has_staff_role(*CONTENT_ROLES)
