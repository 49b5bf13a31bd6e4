"""The kernel's public pages: the portal's branding, its logo and its colours, which anyone
may see (the sign-in page, emails). Every other uploaded file is served by the view of
the record it belongs to, after that record's access check (kernel.files)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from touchpoint.kernel.colours import readable_text_on
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


@require_safe
def theme(request: HttpRequest) -> HttpResponse:
    """The brand colours as CSS custom properties: a style sheet of our own origin rather
    than an inline <style>, so every page keeps a Content-Security-Policy without
    'unsafe-inline'. Versioned by its URL (PortalSettings.theme_url)."""
    portal = get_portal(request)
    primary, accent = portal.primary_colour, portal.accent_colour
    css = (
        f":root{{--brand:{primary};--brand-text:{readable_text_on(primary)};"
        f"--accent:{accent};--accent-text:{readable_text_on(accent)};}}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000"
    return response
