"""Who may do what with partners, people, applications and audiences: the role predicates.

Which rows someone may see or change is on the QuerySets (orgs.models):
    Partner.objects.visible_to(user)  .manageable_by(user)  .get_for(user, pk=…)
    User.objects.visible_to(user)     .manageable_by(user)  .get_for(user, pk=…)
    PartnerApplication.objects.visible_to(user)             .get_for(user, pk=…)
The predicates here say which pages and API calls a person's roles open; views gate on them
with kernel.access.require, and the menu offers a page on the same predicate.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError

from touchpoint.kernel.access import active
from touchpoint.kernel.apiauth import ScopeRule, scope_rules, token_scopes
from touchpoint.kernel.models import ApiScope
from touchpoint.orgs.models import AUDIENCE_BUILDERS, StaffRoleKind, User

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
