"""Authentication backend: allauth's email sign-in, loading what every page needs at once."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from touchpoint.orgs.models import User


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        # The partner chain, tier and job role are read on nearly every page (navigation,
        # targeting, scoping), so they come with the user in one query.
        user = (
            User.objects.select_related(
                "partner__tier", "partner__parent__parent", "partner__parent__tier", "job_role"
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
