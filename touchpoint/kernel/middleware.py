"""Per-request context: client address for the audit log, the person's language and time
zone, and the staff MFA policy."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from touchpoint.kernel.mfa import must_set_up_mfa
from touchpoint.kernel.portal import get_portal
from touchpoint.kernel.requestcontext import client_ip, reset_client_ip, set_client_ip

Handler = Callable[[HttpRequest], HttpResponse]


class RequestContextMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_client_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_ip(token)


class UserPreferencesMiddleware:
    """Signed-in people see the portal in their own language and time zone."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            language = getattr(user, "language", "") or translation.get_language()
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            try:
                timezone.activate(zoneinfo.ZoneInfo(getattr(user, "time_zone", "UTC")))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        if user.is_authenticated:
            response.headers.setdefault("Content-Language", translation.get_language())
        return response


# Pages a staff member may reach before setting up MFA: the set-up itself, signing out, and
# unsubscribing from email (a link that works without signing in).
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/unsubscribe/")


class RequireStaffMfaMiddleware:
    """When the portal requires it, vendor staff must turn on TOTP before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API answers for itself (kernel.apiauth): a JSON 403 rather than a redirect.
        if not request.path.startswith((*MFA_EXEMPT_PREFIXES, "/api/")) and must_set_up_mfa(
            request.user, get_portal(request)
        ):
            messages.warning(
                request,
                _("The portal requires two-factor authentication for staff. "
                  "Set up an authenticator app to continue."),
            )  # fmt: skip
            return redirect("mfa_activate_totp")
        return self.get_response(request)
