"""The organisations' part of home: applications to review, program terms to accept,
invitations nobody accepted, channel figures for staff, and quick links to company and
channel pages."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from touchpoint.kernel.home import Home, HomeItem, contribute, shared
from touchpoint.orgs.models import (
    CHANNEL_WIDE_ROLES,
    ApplicationStatus,
    Invitation,
    Partner,
    PartnerApplication,
    PartnerHeadcount,
    ProgramTerms,
    StaffRoleKind,
    TermsAcceptance,
    User,
)

R = StaffRoleKind


@contribute
def orgs_home(user: User, home: Home) -> None:
    home.due += _due(user, home.attention)
    home.quick_links += _quick_links(user)
    if user.is_vendor and user.has_staff_role(R.PORTAL_ADMIN, R.CHANNEL_MANAGER, R.ANALYST):
        home.stats = _channel_stats(user)


def _due(user: User, home_attention: list[HomeItem]) -> list[HomeItem]:
    items: list[HomeItem] = []
    if user.is_vendor and user.has_staff_role(R.PORTAL_ADMIN, R.CHANNEL_MANAGER):
        pending = PartnerApplication.objects.visible_to(user).filter(
            status=ApplicationStatus.PENDING
        )
        summary = pending.aggregate(n=Count("pk"), oldest=Max("submitted_at"))
        if summary["n"]:
            # A channel manager's first question is their partners: it leads that list.
            target = home_attention if not user.is_portal_admin else items
            target.append(
                HomeItem(
                    title=ngettext(
                        "%(n)d partner application to review",
                        "%(n)d partner applications to review",
                        summary["n"],
                    )
                    % {"n": summary["n"]},
                    url=reverse("orgs:application_list"),
                    when=summary["oldest"],
                    tone="warn",
                )
            )
    if user.is_partner_admin:
        terms = ProgramTerms.current()
        if terms and not TermsAcceptance.objects.filter(terms=terms, user=user).exists():
            items.append(
                HomeItem(
                    title=_("Accept the program terms: %(title)s") % {"title": terms.title},
                    url=reverse("orgs:terms"),
                    meta=_("Version %(v)s") % {"v": terms.version},
                    when=terms.published_at,
                    tone="warn",
                )
            )
    if user.is_partner_admin or user.is_portal_admin:
        stale = timezone.now() - timedelta(days=3)
        waiting = Invitation.objects.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, created_at__lt=stale
        )
        if user.is_partner_admin:
            waiting = waiting.filter(user__partner__in=Partner.objects.visible_to(user))
        count = waiting.count()
        if count:
            items.append(
                HomeItem(
                    title=ngettext(
                        "%(n)d person has not accepted their invitation",
                        "%(n)d people have not accepted their invitations",
                        count,
                    )
                    % {"n": count},
                    url=reverse("orgs:people_list") + "?status=invited",
                    meta=_("Invited more than 3 days ago; resend or check the address."),
                )
            )
    return items


def _quick_links(user: User) -> list[HomeItem]:
    links: list[HomeItem] = []
    if user.is_partner_manager and user.partner_id:
        links += [
            HomeItem(_("My company"), reverse("orgs:my_company"), _("Profile and locations")),
            HomeItem(_("Team"), reverse("orgs:people_list"), _("People and roles")),
        ]
        if user.is_partner_admin:
            links.append(
                HomeItem(
                    _("Invite a person"),
                    reverse("orgs:partner_invite", args=[user.partner_id]),
                    _("They get an email"),
                )
            )
    if user.is_vendor:
        if user.has_staff_role(R.PORTAL_ADMIN, R.CHANNEL_MANAGER, R.ANALYST, R.TRAINER):
            links.append(HomeItem(_("Partners"), reverse("orgs:partner_list"), _("Find a partner")))
        if user.has_staff_role(R.PORTAL_ADMIN, R.CHANNEL_MANAGER):
            links.append(
                HomeItem(_("Applications"), reverse("orgs:application_list"), _("New partners"))
            )
        if user.is_portal_admin:
            links += [
                HomeItem(_("Add a partner"), reverse("orgs:partner_create"), _("Or import a CSV")),
                HomeItem(_("Staff"), reverse("orgs:staff_list"), _("Roles and regions")),
            ]
    links.append(HomeItem(_("Program terms"), reverse("orgs:terms"), _("What we agreed")))
    return links


def _channel_stats(user: User) -> list[tuple[Promise, int, str]]:
    # The same figures for everyone who sees the whole channel; a channel manager's own.
    scope_key = ("channel",) if user.has_staff_role(*CHANNEL_WIDE_ROLES) else ("staff", user.pk)
    counts = shared("channel-stats", scope_key, lambda: _channel_counts(user))
    people_url = reverse("orgs:people_list")
    return [
        (_("Partners"), counts["partners"], reverse("orgs:partner_list")),
        (_("Active people"), counts["active"], people_url + "?status=active"),
        (_("Invited, not joined"), counts["invited"], people_url + "?status=invited"),
    ]


def _channel_counts(user: User) -> dict[str, int]:
    # From the headcount rollup: a row per partner, not a count over every person.
    scope = Partner.objects.visible_to(user)
    # Every partner has a headcount row (kept by the actions), so one query gives all three.
    return PartnerHeadcount.objects.filter(partner__in=scope).aggregate(
        partners=Count("pk", filter=~Q(partner__kind="location")),
        active=Coalesce(Sum("active"), 0),
        invited=Coalesce(Sum("invited"), 0),
    )
