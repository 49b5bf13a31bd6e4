"""REST API authentication: bearer tokens (hashed at rest, scoped, revocable) or the
browser session; a token never does more than its owner, and only within its scopes and
the scopes its owner's role allows. Both obey the staff MFA policy the pages obey."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from touchpoint.kernel.mfa import mfa_required_message, must_set_up_mfa
from touchpoint.kernel.models import ApiScope, ApiToken
from touchpoint.kernel.portal import get_portal
from touchpoint.kernel.registry import Registry
from touchpoint.kernel.tokens import hash_token

# Recording every use would turn each read into a write; once a minute is enough to show
# "last used" and to spot stale tokens.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class ScopeRule:
    """Who may hold an API scope: registered by the app that knows the roles behind it."""

    scope: str
    may_hold: Callable[[Any], bool]


# Filled in the AppConfig.ready() of the apps owning the records (orgs for orgs:* and
# users:*, search for content:read): the kernel knows the scopes, not the roles.
scope_rules: Registry[ScopeRule] = Registry("who may hold each API scope")


def scopes_allowed(user: Any) -> list[str]:
    """The scopes this person's roles let them hold: all the token screen offers, all a new
    token may have, and all a token is granted on each call (roles change after tokens are
    made). A scope without a rule is held by nobody; with several, every rule must agree."""
    allowed = []
    for scope in ApiScope.values:
        rules = [rule for rule in scope_rules if rule.scope == scope]
        if rules and all(rule.may_hold(user) for rule in rules):
            allowed.append(scope)
    return allowed


def _refuse_without_mfa(request: HttpRequest, user: Any) -> None:
    """The pages' MFA policy (kernel.mfa), answered as the API answers: a 403 with why."""
    if must_set_up_mfa(user, get_portal(request)):
        raise HttpError(403, mfa_required_message())


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token.startswith(ApiToken.PREFIX):
            return None
        found = (
            ApiToken.objects.select_related(
                "user__partner__parent__parent", "user__partner__tier", "user__job_role"
            )
            .filter(key_hash=hash_token(token))
            .first()
        )
        if found is None or not found.is_active or not found.user.is_active:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        _refuse_without_mfa(request, found.user)
        request.user = found.user
        return found


class BrowserSession(SessionAuth):
    """The signed-in browser session (with CSRF protection on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        _refuse_without_mfa(request, user)
        return user


def token_scopes(request: HttpRequest) -> list[str] | None:
    """What the token behind an API request may do now: its scopes that its owner may still
    hold. None for a browser session (the person's own access applies)."""
    auth = getattr(request, "auth", None)
    if not isinstance(auth, ApiToken):
        return None
    allowed = scopes_allowed(auth.user)
    return [scope for scope in auth.scopes if scope in allowed]
