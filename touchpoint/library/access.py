"""Who may see, favourite, author and look after which library items and sections.

Partner people see published items whose audience reaches them; vendor staff see every
item. Authors are portal admins (everything) and content owners, who work on the sections
and items of their own department and on those they are accountable for (the same rule as
`courses.access.authored_courses`). A missing item and one outside someone's reach give
the same 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from touchpoint.library.models import Asset, AssetState, Section
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import Department, StaffRoleKind, User

R = StaffRoleKind
AUTHORS = (R.PORTAL_ADMIN, R.CONTENT_OWNER)


def is_author(user: User) -> bool:
    return user.is_authenticated and user.has_staff_role(*AUTHORS)


def can_see_health(user: User) -> bool:
    return is_author(user)


def can_see_readiness(user: User) -> bool:
    return user.is_authenticated and user.is_portal_admin


def owner_departments(user: User) -> QuerySet[Department]:
    """The departments a content owner publishes for."""
    ids = user.staffrole_set.filter(role=R.CONTENT_OWNER, department__isnull=False).values(
        "department"
    )
    return Department.objects.filter(pk__in=ids)


# --- reading -----------------------------------------------------------------------------------
def assets_visible_to(user: User) -> QuerySet[Asset]:
    """Items this person may open: everything for vendor staff, published items meant for
    them for partner people."""
    if not user.is_authenticated or not user.is_active:
        return Asset.objects.none()
    if user.is_vendor:
        return Asset.objects.all()
    return Asset.objects.filter(Q(state=AssetState.PUBLISHED) & for_user_q(user))


def published_for(user: User) -> QuerySet[Asset]:
    """What the library lists for this person: published items they may open."""
    return assets_visible_to(user).filter(state=AssetState.PUBLISHED)


def get_asset_for_user(user: User, pk: Any) -> Asset:
    return get_object_or_404(
        assets_visible_to(user).select_related(
            "section", "current_version", "owner", "department", "audience"
        ),
        pk=pk,
    )


# --- authoring ---------------------------------------------------------------------------------
def authored_sections(user: User) -> QuerySet[Section]:
    """Sections this person may file items under."""
    if not user.is_authenticated or not user.is_active:
        return Section.objects.none()
    if user.is_portal_admin:
        return Section.objects.all()
    if user.has_staff_role(R.CONTENT_OWNER):
        return Section.objects.filter(Q(department__in=owner_departments(user)) | Q(owner=user))
    return Section.objects.none()


def authored_assets(user: User) -> QuerySet[Asset]:
    """Items this person may edit: portal admins all; a content owner those of their
    department, those they own, and those in sections of their department or that they own."""
    if not user.is_authenticated or not user.is_active:
        return Asset.objects.none()
    if user.is_portal_admin:
        return Asset.objects.all()
    if user.has_staff_role(R.CONTENT_OWNER):
        departments = owner_departments(user)
        return Asset.objects.filter(
            Q(department__in=departments)
            | Q(owner=user)
            | Q(section__department__in=departments)
            | Q(section__owner=user)
        )
    return Asset.objects.none()


def can_author(user: User, asset: Asset) -> bool:
    """Would this (possibly unsaved) item be within the person's reach? Used by forms, so
    nobody files an item where they could not edit it afterwards."""
    if not is_author(user):
        return False
    if user.is_portal_admin:
        return True
    departments = set(owner_departments(user).values_list("pk", flat=True))
    section = asset.section if asset.section_id else None
    return (
        asset.department_id in departments
        or asset.owner_id == user.pk
        or (
            section is not None
            and (section.department_id in departments or section.owner_id == user.pk)
        )
    )


def get_authored_asset(user: User, pk: Any) -> Asset:
    return get_object_or_404(
        authored_assets(user).select_related("section", "current_version", "owner", "department"),
        pk=pk,
    )


def owner_choices() -> QuerySet[User]:
    """Who may be accountable for an item or a section: active vendor staff."""
    return User.objects.filter(partner__isnull=True, is_active=True).order_by("name", "email")
