"""Who may configure contextual help, integrations and launcher links, and which launcher
links each person sees. A missing record and one outside someone's reach give the same 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from touchpoint.contextual.models import ContextItem, ContextMapping, Integration, LauncherLink
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import StaffRoleKind, User

R = StaffRoleKind
# Mappings are shared configuration: any content owner may fill a gap for any department.
CONTEXT_EDITORS = (R.PORTAL_ADMIN, R.CONTENT_OWNER)
INTEGRATION_ADMINS = (R.PORTAL_ADMIN,)
LAUNCHER_ADMINS = (R.PORTAL_ADMIN,)


def can_edit_contexts(user: User) -> bool:
    return user.is_authenticated and user.has_staff_role(*CONTEXT_EDITORS)


def mappings_for_editor(user: User) -> QuerySet[ContextMapping]:
    return (
        ContextMapping.objects.all() if can_edit_contexts(user) else ContextMapping.objects.none()
    )


def get_mapping_for_editor(user: User, pk: Any) -> ContextMapping:
    return get_object_or_404(mappings_for_editor(user), pk=pk)


def get_item_for_editor(user: User, mapping: ContextMapping, pk: Any) -> ContextItem:
    return get_object_or_404(
        ContextItem.objects.filter(mapping=mapping).select_related("mapping"), pk=pk
    )


def integrations_for_admin(user: User) -> QuerySet[Integration]:
    if user.is_authenticated and user.has_staff_role(*INTEGRATION_ADMINS):
        return Integration.objects.all()
    return Integration.objects.none()


def get_integration_for_admin(user: User, pk: Any) -> Integration:
    return get_object_or_404(integrations_for_admin(user), pk=pk)


def launcher_links_for(user: User) -> QuerySet[LauncherLink]:
    """The shown links this person's audience reaches; vendor staff see every shown link
    (they look after them, and partners' systems are theirs to try)."""
    if not user.is_authenticated or not user.is_active:
        return LauncherLink.objects.none()
    links = LauncherLink.objects.filter(is_active=True)
    if user.is_vendor:
        return links
    return links.filter(for_user_q(user))


def get_launcher_link_for_user(user: User, pk: Any) -> LauncherLink:
    return get_object_or_404(launcher_links_for(user), pk=pk)


def launcher_links_for_admin(user: User) -> QuerySet[LauncherLink]:
    if user.is_authenticated and user.has_staff_role(*LAUNCHER_ADMINS):
        return LauncherLink.objects.all()
    return LauncherLink.objects.none()


def get_launcher_link_for_admin(user: User, pk: Any) -> LauncherLink:
    return get_object_or_404(launcher_links_for_admin(user).select_related("audience"), pk=pk)
