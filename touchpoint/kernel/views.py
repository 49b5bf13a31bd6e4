"""The kernel's public pages: the portal's branding, its logo and its colours, which anyone
may see (the sign-in page, emails), and the unsubscribe page an email links to. Every other
uploaded file is served by the view of the record it belongs to, after that record's
access check (kernel.files). And the one translations page every translatable item's
authors use (kernel.translations)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from touchpoint.kernel import actions
from touchpoint.kernel.colours import readable_text_on
from touchpoint.kernel.files import serve_file
from touchpoint.kernel.forms import TranslationForm
from touchpoint.kernel.notifications import KINDS, read_unsubscribe_token
from touchpoint.kernel.portal import get_portal
from touchpoint.kernel.translations import kind_named, states


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


# --- unsubscribing from a link in an email ---------------------------------------------------
def _masked(email: str) -> str:
    """b…@aldercreek.example: enough to recognise, not to harvest from a forwarded link."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


@csrf_exempt  # mail clients POST here with no cookie (RFC 8058); the signed token is the key
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one kind of email (or all) from a link in an email, without signing in: GET
    asks to confirm, POST does it (a mail client's one-click POST too)."""
    try:
        user_id, kind = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "kernel/unsubscribe_invalid.html", status=400)
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return render(request, "kernel/unsubscribe_invalid.html", {"gone": True}, status=404)
    done = request.method == "POST"
    if done:
        actions.stop_email(person, kind)
    # In the language of the email's reader, whoever's browser opened the link.
    with translation.override(person.language):
        return render(
            request,
            "kernel/unsubscribe.html",
            {
                "done": done,
                "kind": KINDS.get(kind),
                "email": _masked(person.email),
                "signed_in_as_someone_else": (
                    request.user.is_authenticated and request.user.pk != person.pk
                ),
            },
        )


@login_required
@require_http_methods(["GET", "POST"])
def translations(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """An item's versions in the portal's other languages: where each stands, and a form
    for one language (beside the original's words)."""
    found = kind_named(kind)
    if found is None:
        raise Http404("Not found")
    item = found.model.objects.get_for(request.user, manage=True, pk=pk)  # type: ignore[attr-defined]
    if not found.applies(item):
        raise Http404("Not found")
    parts = found.parts(item)
    languages = states(item, parts)
    codes = [s.code for s in languages]
    asked = request.POST.get("language") or request.GET.get("language") or ""
    language = asked if asked in codes else (codes[0] if codes else "")
    if not language:
        raise Http404("Not found")
    form = TranslationForm(item, parts, language, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_translation(request.user, item, language, form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Translation saved."))
            return redirect(f"{request.path}?language={language}")
    return render(
        request,
        "kernel/translations.html",
        {
            "item": item,
            "languages": languages,
            "language": language,
            "form": form,
            "back_url": found.back_url(item),
        },
    )
