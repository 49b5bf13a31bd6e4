"""Courses' part of a person's home: courses due and courses to continue."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Enrolment, EnrolmentStatus
from touchpoint.kernel.home import Home, HomeItem, contribute
from touchpoint.orgs.models import User


def resume_url(enrolment: Enrolment) -> str:
    if enrolment.last_lesson_key:
        return reverse("courses:lesson", args=[enrolment.course_id, enrolment.last_lesson_key])
    return reverse("courses:course_detail", args=[enrolment.course_id])


@contribute
def courses_home(user: User, home: Home) -> None:
    now = timezone.now()
    # One query for everything open: what is due, and what to continue.
    open_enrolments = list(
        Enrolment.objects.filter(user=user, is_current=True)
        .exclude(status=EnrolmentStatus.COMPLETED)
        .select_related("course")
        .order_by("due_at", "-last_activity_at")[:50]
    )
    due = [e for e in open_enrolments if e.due_at is not None]
    for enrolment in due[:6]:
        overdue = enrolment.due_at is not None and enrolment.due_at < now
        home.due.append(
            HomeItem(
                title=enrolment.course.title,
                url=resume_url(enrolment),
                meta=(_("Overdue, %(percent)d%% done") if overdue else _("%(percent)d%% done"))
                % {"percent": enrolment.progress},
                when=enrolment.due_at,
                when_kind="due",
                tone="error" if overdue else "info",
            )
        )
    started = sorted(
        (e for e in open_enrolments if e.last_activity_at),
        key=lambda e: e.last_activity_at or now,
        reverse=True,
    )
    home.continue_items[:0] = [
        HomeItem(
            title=e.course.title,
            url=resume_url(e),
            meta=_("%(percent)d%% done") % {"percent": e.progress},
            when=e.last_activity_at,
        )
        for e in started[:3]
    ]
