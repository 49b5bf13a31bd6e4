"""Who may see and change which partners and people: the only place these rules live.

Every view that takes an id fetches through one of the `get_*_for_user` helpers, which
raise Http404 both when the row does not exist and when it is outside the user's scope,
so a partner cannot even learn that another partner's record exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja.errors import HttpError

from touchpoint.kernel.apiauth import token_scopes
from touchpoint.orgs.models import (
    ChannelAssignment,
    Partner,
    PartnerApplication,
    StaffRoleKind,
    User,
)

R = StaffRoleKind
# Staff roles that see every partner's people and progress (read), channel-wide.
CHANNEL_WIDE_ROLES = (R.PORTAL_ADMIN, R.ANALYST, R.TRAINER)

V = TypeVar("V", bound=Callable[..., HttpResponse])


# --- partners -------------------------------------------------------------------------------
def signed_in(request: HttpRequest) -> User:
    """The person behind a request that login_required (or staff_required) has let through."""
    user = request.user
    assert isinstance(user, User)
    return user


def api_user(request: HttpRequest) -> User:
    """The person an API request acts as (a token's owner, or the signed-in browser)."""
    return signed_in(request)


def require_scope(request: HttpRequest, scope: str) -> User:
    """The acting person, once the request's token is allowed `scope` (sessions always are)."""
    scopes = token_scopes(request)
    if scopes is not None and scope not in scopes:
        raise HttpError(403, f"This token lacks the '{scope}' scope.")
    return api_user(request)


def managed_partner_roots_q(manager: User) -> Q:
    """Partners a channel manager is responsible for: assigned ones and those in assigned
    regions (an assigned partner brings everything under it)."""
    assigned = ChannelAssignment.objects.filter(manager=manager)
    partner_ids = assigned.filter(partner__isnull=False).values("partner_id")
    region_ids = assigned.filter(region__isnull=False).values("region_id")
    return (
        Q(region__in=region_ids)
        | Q(pk__in=partner_ids)
        | Q(parent__in=partner_ids)
        | Q(parent__parent__in=partner_ids)
    )


def partners_in_scope(user: User) -> QuerySet[Partner]:
    """The partners whose company data (people, progress, plans) this user may see."""
    if not user.is_authenticated or not user.is_active:
        return Partner.objects.none()
    if user.is_vendor:
        if user.has_staff_role(*CHANNEL_WIDE_ROLES):
            return Partner.objects.all()
        if user.has_staff_role(R.CHANNEL_MANAGER):
            return Partner.objects.filter(managed_partner_roots_q(user))
        return Partner.objects.none()
    assert user.partner_id is not None
    if user.is_partner_manager:
        return Partner.objects.with_descendants_of([user.partner_id])
    return Partner.objects.filter(pk=user.partner_id)


def partners_managed_by(user: User) -> QuerySet[Partner]:
    """The partners whose profile, locations and people this user may change."""
    if not user.is_authenticated or not user.is_active:
        return Partner.objects.none()
    if user.is_portal_admin:
        return Partner.objects.all()
    if user.has_staff_role(R.CHANNEL_MANAGER):
        return Partner.objects.filter(managed_partner_roots_q(user))
    if user.is_partner_admin:
        assert user.partner_id is not None
        return Partner.objects.with_descendants_of([user.partner_id])
    return Partner.objects.none()


def get_partner_for_user(user: User, pk: Any, *, manage: bool = False) -> Partner:
    scope = partners_managed_by(user) if manage else partners_in_scope(user)
    return get_object_or_404(scope.select_related("tier", "region", "parent__parent"), pk=pk)


# --- people ------------------------------------------------------------------------------------
def people_in_scope(user: User) -> QuerySet[User]:
    """People whose profile and progress this user may see. Members see only themselves."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.is_portal_admin:
        return User.objects.all()
    if user.is_vendor and user.has_staff_role(*CHANNEL_WIDE_ROLES, R.CHANNEL_MANAGER):
        return User.objects.filter(partner__in=partners_in_scope(user))
    if user.is_partner_manager:
        return User.objects.filter(partner__in=partners_in_scope(user))
    return User.objects.filter(pk=user.pk)


def people_managed_by(user: User) -> QuerySet[User]:
    """People whose roles and status this user may change (never themselves)."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.is_portal_admin:
        people = User.objects.all()
    elif (user.is_vendor and user.has_staff_role(R.CHANNEL_MANAGER)) or user.is_partner_admin:
        people = User.objects.filter(partner__in=partners_managed_by(user))
    else:
        return User.objects.none()
    return people.exclude(pk=user.pk)


def get_person_for_user(user: User, pk: Any, *, manage: bool = False) -> User:
    scope = people_managed_by(user) if manage else people_in_scope(user)
    return get_object_or_404(
        scope.select_related("partner__tier", "partner__parent", "job_role"), pk=pk
    )


# --- applications ------------------------------------------------------------------------------
def applications_in_scope(user: User) -> QuerySet[PartnerApplication]:
    """Portal admins review every application; a channel manager those from their regions
    and those no region claims yet."""
    if not user.is_authenticated or not user.is_vendor:
        return PartnerApplication.objects.none()
    if user.is_portal_admin:
        return PartnerApplication.objects.all()
    if user.has_staff_role(R.CHANNEL_MANAGER):
        regions = ChannelAssignment.objects.filter(manager=user, region__isnull=False)
        return PartnerApplication.objects.filter(
            Q(region__isnull=True) | Q(region__in=regions.values("region_id"))
        )
    return PartnerApplication.objects.none()


def get_application_for_user(user: User, pk: Any) -> PartnerApplication:
    return get_object_or_404(applications_in_scope(user).select_related("terms", "region"), pk=pk)


# --- view decorators ------------------------------------------------------------------------------
def refuse(url_kwargs: dict[str, Any]) -> None:
    """A page outside someone's role: 404 when the URL names a record (so it cannot be told
    from a missing one), 403 with an explanation for a plain page."""
    if url_kwargs:
        raise Http404("Not found")
    raise PermissionDenied


def staff_required(*roles: str) -> Callable[[V], V]:
    """Only vendor staff holding one of `roles` (or any staff role when none are given)."""

    def decorator(view: V) -> V:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            assert isinstance(user, User)
            allowed = user.has_staff_role(*roles) if roles else bool(user.staff_roles)
            if not allowed:
                refuse(kwargs)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
