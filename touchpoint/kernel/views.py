"""The kernel's one public page: the portal's logo (branding is meant to be seen by anyone,
on the sign-in page and in emails). Every other uploaded file is served by the view of
the record it belongs to, after that record's access check (kernel.files)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from touchpoint.kernel.files import serve_file
from touchpoint.kernel.portal import get_portal


@require_safe
def logo(request: HttpRequest) -> HttpResponseBase:
    portal = get_portal(request)
    if not portal.logo:
        raise Http404("No logo")
    # The URL carries the settings' version (PortalSettings.logo_url), so a new logo is a
    # new URL and the old one may be cached for long.
    return serve_file(request, portal.logo, filename=str(portal.logo.name), public=True)
