"""Certifications' part of a person's home: the credentials they hold, with their state;
for a partner manager their team's gaps (courses overdue and due soon, certifications
running out), for a channel manager how many of their partners have such gaps, and for
those who see the whole channel how many people are certified."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from touchpoint.courses.models import Enrolment, EnrolmentStatus
from touchpoint.credentials import matrix
from touchpoint.credentials.matrix import STATE_TONES
from touchpoint.credentials.models import Credential, CredentialState, CredentialStatus
from touchpoint.kernel.home import Home, HomeItem, contribute, shared
from touchpoint.orgs.models import StaffRoleKind, User

R = StaffRoleKind


@contribute
def credentials_home(user: User, home: Home) -> None:
    now = timezone.now()
    credentials = (
        Credential.objects.filter(user=user, is_current=True)
        .select_related("certification")
        .order_by("expires_at")[:6]
    )
    for credential in credentials:
        state = credential.state(now)
        home.certifications.append(
            HomeItem(
                title=credential.certification.name,
                url=credential.get_absolute_url(),
                meta=CredentialState(state).label,
                when=credential.expires_at,
                when_kind="until",
                tone=STATE_TONES[CredentialState(state)],
            )
        )
    # Role checks cost no query (roles are read once per request). The portal admin and
    # analysts follow the whole channel: its figures, not a list of a thousand partners.
    if user.is_vendor:
        if user.has_staff_role(R.PORTAL_ADMIN, R.ANALYST):
            # One figure for the whole channel: shared by everyone who sees it.
            certified = shared("certified", ("channel",), lambda: _certified_people(now))
            home.stats.append((_("Certified people"), certified, reverse("credentials:matrix")))
        elif user.has_staff_role(R.CHANNEL_MANAGER):
            home.attention_kind = "partners"
            # Distinct counts over a region's people: kept a minute for this manager.
            gaps = shared("partner-gaps", (user.pk,), lambda: _partner_gap_counts(user, now))
            home.attention += _partners_with_gaps(*gaps)
    elif user.is_partner_manager:
        home.attention_kind = "team"
        home.attention += _team_gaps(matrix.Scope.of(user), now)


def _open(scope: matrix.Scope) -> Q:
    """Unfinished current enrolments of the people in scope, as the team page counts them."""
    return Q(scope.people_q(prefix="user__"), is_current=True, completed_at__isnull=True) & ~Q(
        status=EnrolmentStatus.COMPLETED
    )


def _expiring(scope: matrix.Scope, now: datetime) -> Q:
    """Still valid and gone within EXPIRING_DAYS, as the Expiring page lists them."""
    return Q(
        scope.people_q(prefix="user__"),
        is_current=True,
        status=CredentialStatus.ACTIVE,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=matrix.EXPIRING_DAYS),
    )


def _team_gaps(scope: matrix.Scope, now: datetime) -> list[HomeItem]:
    """Counts for the team page's own filters, each linking where it is acted on."""
    soon = now + timedelta(days=matrix.DUE_SOON_DAYS)
    due = Enrolment.objects.filter(_open(scope)).aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=soon)),
    )
    expiring = Credential.objects.filter(_expiring(scope, now)).count()
    team, expiring_url = reverse("credentials:team"), reverse("credentials:expiring")
    items = []
    if due["overdue"]:
        items.append(
            HomeItem(
                title=ngettext("%(n)d course overdue", "%(n)d courses overdue", due["overdue"])
                % {"n": due["overdue"]},
                url=team,
                meta=_("Remind the people or change the due date."),
                tone="error",
            )
        )
    if due["due_soon"]:
        items.append(
            HomeItem(
                title=ngettext(
                    "%(n)d course due within %(days)d days",
                    "%(n)d courses due within %(days)d days",
                    due["due_soon"],
                )
                % {"n": due["due_soon"], "days": matrix.DUE_SOON_DAYS},
                url=team,
                tone="warn",
            )
        )
    if expiring:
        items.append(
            HomeItem(
                title=ngettext(
                    "%(n)d certification expiring within %(days)d days",
                    "%(n)d certifications expiring within %(days)d days",
                    expiring,
                )
                % {"n": expiring, "days": matrix.EXPIRING_DAYS},
                url=expiring_url,
                meta=_("Renew before they lapse."),
                tone="warn",
            )
        )
    return items


def _partner_gap_counts(user: User, now: datetime) -> tuple[int, int]:
    """How many of a channel manager's partners have learning overdue, and certifications
    running out: one distinct count each over their people's rows."""
    scope = matrix.Scope.of(user)
    if not scope.partners:
        return 0, 0
    overdue = (
        Enrolment.objects.filter(_open(scope), due_at__lt=now)
        .values("user__partner")
        .distinct()
        .count()
    )
    expiring = (
        Credential.objects.filter(_expiring(scope, now)).values("user__partner").distinct().count()
    )
    return overdue, expiring


def _partners_with_gaps(overdue: int, expiring: int) -> list[HomeItem]:
    items = []
    if overdue:
        items.append(
            HomeItem(
                title=ngettext(
                    "%(n)d partner with overdue learning",
                    "%(n)d partners with overdue learning",
                    overdue,
                )
                % {"n": overdue},
                url=reverse("credentials:team"),
                tone="error",
            )
        )
    if expiring:
        items.append(
            HomeItem(
                title=ngettext(
                    "%(n)d partner with certifications expiring",
                    "%(n)d partners with certifications expiring",
                    expiring,
                )
                % {"n": expiring},
                url=reverse("credentials:expiring"),
                meta=_("Within %(days)d days.") % {"days": matrix.EXPIRING_DAYS},
                tone="warn",
            )
        )
    return items


def _certified_people(now: datetime) -> int:
    """People holding a certification now, across the channel (active partner people)."""
    return (
        Credential.objects.filter(
            matrix.certified_q(now),
            is_current=True,
            user__is_active=True,
            user__partner__isnull=False,
        )
        .values("user")
        .distinct()
        .count()
    )
