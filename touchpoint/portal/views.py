"""The portal's own pages: home, notifications, profile and preferences, API tokens, portal
settings, the audit log, the health check and the language switch."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from touchpoint.kernel import actions
from touchpoint.kernel.access import require
from touchpoint.kernel.digests import digest_hour
from touchpoint.kernel.home import build_home
from touchpoint.kernel.htmx import render_page
from touchpoint.kernel.mfa import must_set_up_mfa
from touchpoint.kernel.models import ApiToken, AuditEntry, Notification
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.portal import get_portal
from touchpoint.orgs import actions as orgs_actions
from touchpoint.orgs.access import is_portal_admin, signed_in
from touchpoint.orgs.audience import resolved_once
from touchpoint.portal import styleguide
from touchpoint.portal.demo.contextual import demo_enabled, demo_integration, demo_token
from touchpoint.portal.forms import (
    ApiTokenForm,
    AuditFilterForm,
    NotificationPreferencesForm,
    PortalSettingsForm,
    ProfileForm,
)


# --- home --------------------------------------------------------------------------------
@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Home lists items of every kind for one person: their audiences are read once.
    with resolved_once():
        return render(request, "portal/home.html", {"home": build_home(signed_in(request))})


@login_required
def bench_bare(request: HttpRequest) -> HttpResponse:
    """The benchmark's ceiling: a signed-in answer that reads the session and the user and
    nothing else (routed only when settings.BENCH_BARE_VIEW is on)."""
    return HttpResponse(f"Hello, {signed_in(request).get_short_name()}", content_type="text/plain")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: the app answers and the database answers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; a signed-in person's choice is saved to their profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(language):
        orgs_actions.set_language(signed_in(request), language)
    return response


# --- notifications ---------------------------------------------------------------------------
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.visible_to(signed_in(request))
    show_unread = request.GET.get("show") == "unread"
    if show_unread:
        rows = rows.filter(read_at__isnull=True)
    return render(
        request,
        "portal/notifications.html",
        {"page": page_of(request, rows), "show_unread": show_unread},
    )


@login_required
def notification_badge(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.visible_to(signed_in(request)).filter(read_at__isnull=True).count()
    return render(request, "portal/_notification_badge.html", {"count": count})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    note = Notification.objects.get_for(signed_in(request), pk=pk)
    actions.mark_read(signed_in(request), note)
    target = note.url if url_has_allowed_host_and_scheme(note.url, allowed_hosts=None) else ""
    return redirect(target or "portal:notifications")


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(signed_in(request))
    messages.success(request, _("All notifications are marked as read."))
    return redirect("portal:notifications")


# --- profile ----------------------------------------------------------------------------------
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ProfileForm(instance=user, prefix="profile")
    prefs = NotificationPreferencesForm(user=user, prefix="prefs")
    if request.method == "POST":
        if "save_profile" in request.POST:
            form = ProfileForm(request.POST, instance=user, prefix="profile")
            if form.is_valid():
                orgs_actions.update_profile(user, **form.cleaned_data)
                translation.activate(user.language)
                messages.success(request, _("Your profile is saved."))
                return redirect("portal:profile")
        elif "no_email" in request.POST:
            actions.stop_email(user)
            messages.success(
                request,
                _("You will get no more email, except messages that cannot be switched off, such as "
                  "security alerts and urgent announcements. Everything still shows in the portal."),
            )  # fmt: skip
            return redirect(reverse("portal:profile") + "#preferences")
        else:
            prefs = NotificationPreferencesForm(request.POST, user=user, prefix="prefs")
            if prefs.is_valid():
                actions.save_notification_preferences(user, prefs.cleaned_data)
                messages.success(request, _("Your notification preferences are saved."))
                return redirect(reverse("portal:profile") + "#preferences")
    from allauth.mfa.models import Authenticator

    has_mfa = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return render(
        request,
        "portal/profile.html",
        {"form": form, "prefs": prefs, "has_mfa": has_mfa, "digest_hour": digest_hour()},
    )


# --- API tokens ---------------------------------------------------------------------------------
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    # Staff held back by the MFA policy get no form, and are told why (the action refuses
    # them too).
    mfa_needed = must_set_up_mfa(user, get_portal(request))
    form = ApiTokenForm(request.POST or None, user=user)
    new_secret = None
    if request.method == "POST" and not mfa_needed and form.is_valid():
        try:
            _token, new_secret = actions.create_api_token(
                user, form.cleaned_data["name"], form.cleaned_data["scopes"], form.expiry()
            )
            form = ApiTokenForm(user=user)
        except ValidationError as refused:
            form.add_error(None, refused)
    tokens = ApiToken.objects.visible_to(user)
    return render(
        request,
        "portal/api_tokens.html",
        {"form": form, "tokens": tokens, "new_secret": new_secret, "mfa_needed": mfa_needed},
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    # A person revokes their own tokens; a portal admin any (from the tokens admin page).
    tokens = ApiToken.objects.all() if is_portal_admin(user) else ApiToken.objects.visible_to(user)
    token = tokens.get_or_404(pk=pk)
    actions.revoke_api_token(user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return HttpResponseRedirect(back)
    return redirect("portal:api_tokens")


@require(is_portal_admin)
def api_tokens_admin(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.select_related("user__partner").order_by("revoked_at", "-created_at")
    return render(request, "portal/api_tokens_admin.html", {"page": page_of(request, tokens)})


# --- portal settings -----------------------------------------------------------------------------
@require(is_portal_admin)
def portal_settings(request: HttpRequest) -> HttpResponse:
    portal = get_portal(request)
    form = PortalSettingsForm(request.POST or None, request.FILES or None, instance=portal)
    if request.method == "POST" and form.is_valid():
        actions.save_portal_settings(signed_in(request), form.save(commit=False))
        messages.success(request, _("Portal settings are saved."))
        return redirect("portal:portal_settings")
    return render(request, "portal/portal_settings.html", {"form": form})


# --- style guide ------------------------------------------------------------------------------
@require(is_portal_admin)
def styleguide_page(request: HttpRequest) -> HttpResponse:
    """Every template component in every state, for the people building the next screens."""
    if request.method == "POST":  # the example dialog's form: nothing to change, a toast
        messages.success(request, _("The dialog's form was sent."))
        return redirect(reverse("portal:styleguide") + "#toast")
    return render(request, "portal/styleguide.html", styleguide.examples(request))


# --- audit log ------------------------------------------------------------------------------------
@require(is_portal_admin)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.select_related("target_type")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            entries = entries.filter(
                Q(actor_label__icontains=data["q"]) | Q(target_label__icontains=data["q"])
            )
        if data["action"]:
            entries = entries.filter(action__startswith=data["action"].strip())
        tz = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(at__gte=datetime.combine(data["since"], time.min, tzinfo=tz))
        if data["until"]:
            entries = entries.filter(at__lte=datetime.combine(data["until"], time.max, tzinfo=tz))
    context = {"form": form, "page": page_of(request, entries, 50)}
    return render_page(request, "portal/audit_log.html", "portal/_audit_rows.html", context)


@require(is_portal_admin)
def audit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(AuditEntry.objects.select_related("target_type", "actor"), pk=pk)
    return render(request, "portal/audit_entry.html", {"entry": entry})


# --- the demo point-of-sale screen -----------------------------------------------------------
def demo_pos(request: HttpRequest) -> HttpResponse:
    """A dealer's point-of-sale screen with the widget embedded (see portal/demo/contextual.py
    for when it is served)."""
    if not demo_enabled() or demo_integration() is None:
        raise Http404("The demo is not set up here")
    return render(
        request,
        "portal/demo_pos.html",
        {
            "token": demo_token(),
            "script_url": request.build_absolute_uri(static("contextual/widget.js")),
        },
    )
