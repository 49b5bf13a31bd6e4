"""The portal's settings row, loaded at most once per request."""

from __future__ import annotations

from django.http import HttpRequest

from touchpoint.kernel.models import PortalSettings


def get_portal(request: HttpRequest) -> PortalSettings:
    portal = getattr(request, "_portal_settings", None)
    if portal is None:
        portal = PortalSettings.load()
        request._portal_settings = portal  # type: ignore[attr-defined]
    return portal
