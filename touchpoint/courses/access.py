"""Who may see, take, build and assign which courses."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from touchpoint.courses.models import Course, Enrolment, Status
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import StaffRoleKind, User

R = StaffRoleKind
AUTHORS = (R.PORTAL_ADMIN, R.TRAINER, R.CONTENT_OWNER)


def is_author(user: User) -> bool:
    return user.is_authenticated and user.has_staff_role(*AUTHORS)


def authored_courses(user: User) -> QuerySet[Course]:
    """Courses this person may edit: trainers and portal admins all; a content owner those
    of their department and those they own."""
    if not user.is_authenticated:
        return Course.objects.none()
    if user.has_staff_role(R.PORTAL_ADMIN, R.TRAINER):
        return Course.objects.all()
    if user.has_staff_role(R.CONTENT_OWNER):
        departments = user.staffrole_set.filter(role=R.CONTENT_OWNER).values("department")
        return Course.objects.filter(Q(department__in=departments) | Q(owner=user))
    return Course.objects.none()


def get_authored_course(user: User, pk: Any) -> Course:
    return get_object_or_404(authored_courses(user).select_related("published_version"), pk=pk)


def courses_visible_to(user: User) -> QuerySet[Course]:
    """The catalog: published courses meant for this person, plus any course they are
    enrolled in (an audience that changes later does not take away someone's course).
    Authors see every course they may edit, published or not."""
    if not user.is_authenticated or not user.is_active:
        return Course.objects.none()
    mine = Enrolment.objects.filter(user=user, is_current=True).values("course_id")
    visible = Q(status=Status.PUBLISHED, published_version__isnull=False) & for_user_q(user)
    courses = Course.objects.filter(visible | Q(pk__in=mine, published_version__isnull=False))
    if is_author(user):
        courses = courses | authored_courses(user)
    return courses.distinct()


def get_course_for_user(user: User, pk: Any) -> Course:
    return get_object_or_404(courses_visible_to(user).select_related("published_version"), pk=pk)


def people_assignable_by(user: User) -> QuerySet[User]:
    """Partner people this person may enrol in courses: trainers and portal admins anyone,
    a channel manager their partners' people, a partner admin their own company's."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    active = User.objects.filter(is_active=True, partner__isnull=False)
    if user.has_staff_role(R.PORTAL_ADMIN, R.TRAINER):
        return active
    if user.has_staff_role(R.CHANNEL_MANAGER) or user.is_partner_admin:
        return active.filter(pk__in=User.objects.visible_to(user).values("pk"))
    return User.objects.none()


def can_assign(user: User) -> bool:
    return user.is_authenticated and (
        user.has_staff_role(R.PORTAL_ADMIN, R.TRAINER, R.CHANNEL_MANAGER) or user.is_partner_admin
    )


def enrolments_visible_to(user: User) -> QuerySet[Enrolment]:
    """A person's own enrolments, and those of the people whose progress they may see."""
    if not user.is_authenticated or not user.is_active:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(Q(user=user) | Q(user__in=User.objects.visible_to(user)))
