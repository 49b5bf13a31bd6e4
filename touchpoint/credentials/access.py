"""Who may see which certifications and credentials, and whose certification matrix."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from touchpoint.courses.access import is_author
from touchpoint.courses.models import Status
from touchpoint.credentials.models import Certification, Credential
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import Partner, StaffRoleKind, User

R = StaffRoleKind


def certifications_visible_to(user: User) -> QuerySet[Certification]:
    if is_author(user) or (user.is_authenticated and user.is_vendor and user.staff_roles):
        return Certification.objects.all()
    held = Credential.objects.filter(user=user).values("certification_id")
    return Certification.objects.filter(
        (Q(status=Status.PUBLISHED) & for_user_q(user)) | Q(pk__in=held)
    ).distinct()


def credentials_visible_to(user: User) -> QuerySet[Credential]:
    if not user.is_authenticated or not user.is_active:
        return Credential.objects.none()
    return Credential.objects.filter(Q(user=user) | Q(user__in=User.objects.visible_to(user)))


def matrix_partners(user: User) -> QuerySet[Partner]:
    """The partners whose certification matrix this person may read."""
    if user.is_vendor and not user.has_staff_role(
        R.PORTAL_ADMIN, R.ANALYST, R.TRAINER, R.CHANNEL_MANAGER
    ):
        return Partner.objects.none()
    if not user.is_vendor and not user.is_partner_manager:
        return Partner.objects.none()
    return Partner.objects.visible_to(user)
