"""Who may ask for, see, discuss and triage which L&D requests.

- Anyone signed in may ask: vendor staff for one of the vendor's departments, partner people
  for their own company (every partner person, not only admins: the seed's Broker example is a
  technician asking). The partner recorded is the requester's own organisation.
- The learning team (portal admins, trainers, content owners) sees and triages every request;
  analysts see every request (they report on them) but do not triage.
- A channel manager sees the requests of the partners they look after, and their own.
- A partner admin or manager sees every request of their company (and its locations); any
  other partner person sees the requests they made themselves.
- Whoever may see a request may comment on it.

A missing request and one outside someone's reach give the same 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from touchpoint.alignment.models import LIST_RELATED, Deliverable, LearningRequest
from touchpoint.orgs.access import refuse
from touchpoint.orgs.models import Partner, StaffRoleKind, User

R = StaffRoleKind
LEARNING_TEAM = (R.PORTAL_ADMIN, R.TRAINER, R.CONTENT_OWNER)
READ_ALL = (*LEARNING_TEAM, R.ANALYST)


def is_learning_team(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_staff_role(*LEARNING_TEAM)


def can_request(user: User) -> bool:
    return user.is_authenticated and user.is_active


def sees_many(user: User) -> bool:
    """Whether someone's request list holds other people's requests (so it gets filters,
    counts and an export), rather than only their own."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_vendor:
        return user.has_staff_role(*READ_ALL, R.CHANNEL_MANAGER)
    return user.is_partner_manager


def requests_visible_to(user: User) -> QuerySet[LearningRequest]:
    if not user.is_authenticated or not user.is_active:
        return LearningRequest.objects.none()
    if user.is_vendor:
        if user.has_staff_role(*READ_ALL):
            return LearningRequest.objects.all()
        if user.has_staff_role(R.CHANNEL_MANAGER):
            return LearningRequest.objects.filter(
                Q(partner__in=Partner.objects.visible_to(user)) | Q(requester=user)
            )
        return LearningRequest.objects.filter(requester=user)
    if user.is_partner_manager:
        return LearningRequest.objects.filter(partner__in=Partner.objects.visible_to(user))
    assert user.partner_id is not None
    return LearningRequest.objects.filter(requester=user, partner_id=user.partner_id)


def get_request_for_user(user: User, pk: Any) -> LearningRequest:
    return get_object_or_404(requests_visible_to(user).select_related(*LIST_RELATED), pk=pk)


def get_request_for_triage(user: User, pk: Any) -> LearningRequest:
    """A request the learning team is changing; anyone else gets the 404 of a missing one."""
    if not is_learning_team(user):
        refuse({"pk": pk})
    return get_object_or_404(LearningRequest.objects.select_related(*LIST_RELATED), pk=pk)


def get_deliverable_for_triage(user: User, request: LearningRequest, pk: Any) -> Deliverable:
    return get_object_or_404(Deliverable.objects.filter(request=request), pk=pk)


def owner_choices() -> QuerySet[User]:
    """Who may own a request: active staff of the learning team."""
    return (
        User.objects.filter(partner__isnull=True, is_active=True, staffrole__role__in=LEARNING_TEAM)
        .distinct()
        .order_by("name", "email")
    )
