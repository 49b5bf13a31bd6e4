"""How allauth fits Touchpoint: no public sign-up (people are invited or apply), and every
sign-in is an activity event."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import timezone

from touchpoint.kernel.activity import record_event


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Partners join through an application or an invitation, never a bare sign-up form.
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        if user.activated_at is None:
            # Someone invited who set a password through "forgot password" instead of the
            # invitation link has joined all the same.
            type(user).objects.filter(pk=user.pk).update(activated_at=timezone.now())
        record_event(user, "logged-in", object_type="portal", name="Touchpoint")
