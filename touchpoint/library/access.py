"""Who may do what in the library: the role predicates.

Which rows someone may see or change is on the QuerySets (library.models):
    Asset.objects.visible_to(user)     .manageable_by(user)   .get_for(user, pk=…)
    Section.objects.visible_to(user)   .manageable_by(user)   .authorable_by(user)
    AssetVersion.objects.get_for(user, asset_id=…, number=…)  (earlier versions, for staff)
Partner people see published items whose audience reaches them; vendor staff see every
item. Authors are portal admins (everything) and content owners, who work on the sections
and items of their own department and on those they are accountable for (the same rule as
courses' authoring). A missing item and one outside someone's reach give the same 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from touchpoint.kernel.access import active
from touchpoint.orgs.models import Department, StaffRoleKind, User

R = StaffRoleKind
AUTHORS = (R.PORTAL_ADMIN, R.CONTENT_OWNER)


def can_author_library(user: User) -> bool:
    """The authors' pages: their list of items, new items and versions, content health."""
    return active(user) and user.has_staff_role(*AUTHORS)


def can_manage_sections(user: User) -> bool:
    """Adding and editing the portal's sections."""
    return active(user) and user.has_staff_role(R.PORTAL_ADMIN)


def can_see_readiness(user: User) -> bool:
    """Launch readiness, for every section and the channel."""
    return active(user) and user.has_staff_role(R.PORTAL_ADMIN)


def owner_departments(user: User) -> QuerySet[Department]:
    """The departments a content owner publishes for."""
    ids = user.staffrole_set.filter(role=R.CONTENT_OWNER, department__isnull=False).values(
        "department"
    )
    return Department.objects.filter(pk__in=ids)


def departments_filed_by(departments: QuerySet[Department], user: User) -> QuerySet[Department]:
    """The departments someone may file an item under (kernel.forms.scope_choices): portal
    admins any, a content owner only their own, so nobody hands an item to another
    department's owners."""
    if not can_author_library(user):
        return departments.none()
    if user.is_portal_admin:
        return departments
    return departments.filter(pk__in=owner_departments(user).values("pk"))
