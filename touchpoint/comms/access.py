"""Who may read, write and follow up which announcements, and who runs campaigns.

Readers: a partner person sees live announcements whose audience reaches them, and any
live one already delivered to them (an audience edited later does not take it away).
Vendor staff may open any announcement.

Authors:
- portal admins write to anyone and see every announcement's reach;
- content owners write to anyone and follow up the announcements they wrote;
- channel managers write only to their own partners (everyone an announcement reaches
  must be at a partner they manage) and see the reach of any announcement, counted for
  their partners only.
Campaigns are run by portal admins. A missing announcement and one outside someone's reach
give the same 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from touchpoint.comms.models import Announcement, AnnouncementState, Delivery
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import Partner, StaffRoleKind, User

R = StaffRoleKind
AUTHORS = (R.PORTAL_ADMIN, R.CONTENT_OWNER, R.CHANNEL_MANAGER)


def is_author(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_staff_role(*AUTHORS)


def writes_to_own_partners_only(user: User) -> bool:
    """Channel managers (without a wider role) address only the partners they manage."""
    return not user.has_staff_role(R.PORTAL_ADMIN, R.CONTENT_OWNER)


def can_run_campaigns(user: User) -> bool:
    return user.is_authenticated and user.is_portal_admin


# --- reading -----------------------------------------------------------------------------------
def delivered_to_q(user: User) -> Q:
    return Q(Exists(Delivery.objects.filter(announcement=OuterRef("pk"), user=user)))


def feed_for(user: User) -> QuerySet[Announcement]:
    """What a person's feed shows: live announcements meant for them or delivered to them."""
    if not user.is_authenticated or not user.is_active:
        return Announcement.objects.none()
    return Announcement.objects.live().filter(for_user_q(user) | delivered_to_q(user))


def announcements_visible_to(user: User) -> QuerySet[Announcement]:
    if not user.is_authenticated or not user.is_active:
        return Announcement.objects.none()
    if user.is_vendor and user.staff_roles:
        return Announcement.objects.all()
    return feed_for(user)


def get_announcement_for_user(user: User, pk: Any) -> Announcement:
    return get_object_or_404(
        announcements_visible_to(user).select_related("asset", "course", "author"), pk=pk
    )


# --- writing and following up ------------------------------------------------------------------
def authored_announcements(user: User) -> QuerySet[Announcement]:
    """Announcements this person may edit: portal admins all, others their own."""
    if not is_author(user):
        return Announcement.objects.none()
    if user.is_portal_admin:
        return Announcement.objects.all()
    return Announcement.objects.filter(author=user)


def get_authored_announcement(user: User, pk: Any) -> Announcement:
    return get_object_or_404(
        authored_announcements(user).select_related("audience", "asset", "course"), pk=pk
    )


def reportable_announcements(user: User) -> QuerySet[Announcement]:
    """Announcements whose reach this person may see: authors their own, portal admins and
    channel managers every one that went out (channel managers counted for their partners)."""
    if not is_author(user):
        return Announcement.objects.none()
    if user.has_staff_role(R.PORTAL_ADMIN, R.CHANNEL_MANAGER):
        return Announcement.objects.exclude(state=AnnouncementState.DRAFT)
    return Announcement.objects.filter(author=user)


def get_reportable_announcement(user: User, pk: Any) -> Announcement:
    return get_object_or_404(reportable_announcements(user).select_related("audience"), pk=pk)


def reach_partners(user: User, announcement: Announcement) -> QuerySet[Partner] | None:
    """The partners whose counts this person sees in a reach report; None means all.
    The author and portal admins see all; a channel manager sees the partners they manage."""
    if user.is_portal_admin or announcement.author_id == user.pk:
        return None
    return Partner.objects.visible_to(user)


def approved_author_for(user: User, announcement: Announcement) -> bool:
    """May this person address the announcement's audience? (Channel managers: only people
    at partners they manage.) One query."""
    if not writes_to_own_partners_only(user):
        return True
    from touchpoint.orgs.audience import users_reached

    return (
        not users_reached(announcement.audience)
        .exclude(partner__in=Partner.objects.visible_to(user))
        .exists()
    )
