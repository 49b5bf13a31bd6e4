"""REST API authentication: bearer tokens (hashed at rest, scoped, revocable) or the
browser session; a token never does more than its owner, and only within its scopes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from touchpoint.kernel.models import ApiToken
from touchpoint.kernel.tokens import hash_token

# Recording every use would turn each read into a write; once a minute is enough to show
# "last used" and to spot stale tokens.
LAST_USED_PRECISION = timedelta(minutes=1)


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
        request.user = found.user
        return found


class BrowserSession(SessionAuth):
    """The signed-in browser session (with CSRF protection on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def token_scopes(request: HttpRequest) -> list[str] | None:
    """The scopes of the token behind an API request; None for a browser session."""
    auth = getattr(request, "auth", None)
    return auth.scopes if isinstance(auth, ApiToken) else None
