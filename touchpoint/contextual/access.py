"""Who may do what with contextual help, integrations and the launcher: the role predicates.

Which rows someone may see or change is on the QuerySets (contextual.models):
    ContextItem.objects.visible_to(user)    .get_for(user, pk=…)   a mapped item to open
    ContextMapping.objects.manageable_by(user)                     mappings and their items
    Integration.objects.manageable_by(user)  LauncherLink.objects.visible_to(user) …
A missing record and one outside someone's reach give the same 404.
"""

from __future__ import annotations

from touchpoint.kernel.access import active
from touchpoint.orgs.models import StaffRoleKind, User

R = StaffRoleKind
# Mappings are shared configuration: any content owner may fill a gap for any department.
CONTEXT_EDITORS = (R.PORTAL_ADMIN, R.CONTENT_OWNER)
INTEGRATION_ADMINS = (R.PORTAL_ADMIN,)
LAUNCHER_ADMINS = (R.PORTAL_ADMIN,)


def can_edit_contexts(user: User) -> bool:
    """Context mappings, their items and the usage figures."""
    return active(user) and user.has_staff_role(*CONTEXT_EDITORS)


def can_manage_integrations(user: User) -> bool:
    """Registering, editing and revoking the systems that embed the widget."""
    return active(user) and user.has_staff_role(*INTEGRATION_ADMINS)


def can_manage_launcher(user: User) -> bool:
    """The app launcher's links."""
    return active(user) and user.has_staff_role(*LAUNCHER_ADMINS)
