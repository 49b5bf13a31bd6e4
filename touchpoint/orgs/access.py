"""Who may do what with partners, people, applications and audiences: the role predicates.

Which rows someone may see or change is on the QuerySets (orgs.models):
    Partner.objects.visible_to(user)  .manageable_by(user)  .get_for(user, pk=…)
    User.objects.visible_to(user)     .manageable_by(user)  .get_for(user, pk=…)
    PartnerApplication.objects.visible_to(user)             .get_for(user, pk=…)
The predicates here say which pages and API calls a person's roles open; views gate on them
with kernel.access.require, and the menu offers a page on the same predicate.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

from touchpoint.kernel.access import active
from touchpoint.kernel.apiauth import ScopeRule, scope_rules, token_scopes
from touchpoint.kernel.models import ApiScope
from touchpoint.orgs.models import (
    AUDIENCE_BUILDERS,
    Audience,
    ChannelAssignment,
    Partner,
    Region,
    StaffRoleKind,
    User,
)

R = StaffRoleKind
# Staff who look partners and people up (and see their learning): channel-wide roles and
# channel managers (for their own partners).
PARTNER_VIEWERS = (R.PORTAL_ADMIN, R.ANALYST, R.TRAINER, R.CHANNEL_MANAGER)


def signed_in(request: HttpRequest) -> User:
    """The person behind a request that login_required (or require) has let through."""
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


# --- role predicates --------------------------------------------------------------------------
def is_portal_admin(user: User) -> bool:
    return active(user) and user.is_portal_admin


def can_look_up_partners(user: User) -> bool:
    """The partner and people directories: staff with a scope, and partner managers (their
    own company)."""
    return active(user) and (user.has_staff_role(*PARTNER_VIEWERS) or user.is_partner_manager)


def can_browse_partners(user: User) -> bool:
    """The list of partners (a partner manager has "My company" instead)."""
    return active(user) and user.has_staff_role(*PARTNER_VIEWERS)


def can_review_applications(user: User) -> bool:
    return active(user) and user.has_staff_role(R.PORTAL_ADMIN, R.CHANNEL_MANAGER)


def can_build_audiences(user: User) -> bool:
    return active(user) and user.has_staff_role(*AUDIENCE_BUILDERS)


def changes_partners_and_people(user: User) -> bool:
    """Whose roles can give Partner/User.objects.manageable_by anything: portal admins,
    channel managers (their partners) and partner admins (their company and its locations)."""
    return active(user) and (
        user.is_portal_admin
        or (user.is_vendor and user.has_staff_role(R.CHANNEL_MANAGER))
        or user.is_partner_admin
    )


def looks_after_own_company(user: User) -> bool:
    """Partner admins and managers: their company's profile, locations and team."""
    return active(user) and user.is_partner_manager


def is_partner_person(user: User) -> bool:
    return active(user) and user.partner_id is not None


# --- API scopes ------------------------------------------------------------------------------
# Everyone signed in sees at least their own company and themselves; changing partners and
# people is for the roles above.
scope_rules.register(ScopeRule(ApiScope.ORGS_READ, active))
scope_rules.register(ScopeRule(ApiScope.USERS_READ, active))
scope_rules.register(ScopeRule(ApiScope.ORGS_WRITE, changes_partners_and_people))
scope_rules.register(ScopeRule(ApiScope.USERS_WRITE, changes_partners_and_people))


# --- what forms offer ---------------------------------------------------------------------
# (kernel.forms.scope_choices: rules for choices that are not plainly visible_to/manageable_by)
def regions_placeable_by(regions: QuerySet[Region], user: User) -> QuerySet[Region]:
    """The regions someone may put a partner in: portal admins any; a channel manager only
    the regions assigned to them, so a partner they approve or edit stays in their scope
    (a region is also the scope of another channel manager)."""
    if not active(user):
        return regions.none()
    if user.is_portal_admin:
        return regions
    if user.has_staff_role(R.CHANNEL_MANAGER):
        assigned = ChannelAssignment.objects.filter(manager=user, region__isnull=False)
        return regions.filter(pk__in=assigned.values("region_id"))
    return regions.none()


def partners_targetable_by(partners: QuerySet[Partner], user: User) -> QuerySet[Partner]:
    """The companies an audience builder may name in an audience: every one, since content
    is targeted across the channel and the builder sees only counts of who it reaches."""
    return partners if can_build_audiences(user) else partners.none()


def audiences_targetable_by(audiences: QuerySet[Audience], user: User) -> QuerySet[Audience]:
    """The saved audiences staff may target an item at, by name: every one for vendor staff
    who write, moderate or teach (wider than `Audience.visible_to`, which is opening and
    editing an audience's criteria, for the builders); none for partner people."""
    return audiences if active(user) and user.is_vendor else audiences.none()


def staff_directory(people: QuerySet[User], user: User) -> QuerySet[User]:
    """Active vendor staff, offered to staff who name someone accountable (an item's owner,
    a category's moderators, a session's instructor): names only, for staff only."""
    if not (active(user) and user.is_vendor):
        return people.none()
    return people.filter(partner__isnull=True, is_active=True)
