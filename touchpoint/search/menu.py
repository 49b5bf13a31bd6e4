"""Search's places in the menu, on the predicates their pages are gated by."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.menu import WORK, MenuEntry, menu
from touchpoint.orgs.models import StaffRoleKind as R
from touchpoint.orgs.models import User


def _looks_after_content(user: User) -> bool:
    return user.is_authenticated and user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER, R.TRAINER)


menu.register(
    MenuEntry(_("Searches that found nothing"), "search:misses", WORK, _looks_after_content, 140)
)
