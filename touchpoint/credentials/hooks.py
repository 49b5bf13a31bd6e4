"""The certifications' part in courses: a credential under way when a required course starts,
awarded when the courses are complete, and panels on the course pages."""

from __future__ import annotations

from typing import Any

from touchpoint.courses import hooks as courses
from touchpoint.courses.models import Course, Status
from touchpoint.credentials import actions
from touchpoint.credentials.access import can_manage_certifications
from touchpoint.kernel.panels import Panel
from touchpoint.orgs.models import User

courses.course_started.register(actions.start_certifications)
courses.course_completed.register(actions.course_completed)


@courses.panels["course_detail"].register
def counts_toward(user: User, *, course: Course, **_: Any) -> Panel | None:
    certifications = list(course.certifications.filter(status=Status.PUBLISHED))
    if not certifications:
        return None
    return Panel("credentials/_course_counts_toward.html", {"certifications": certifications})


@courses.panels["catalog"].register
def my_certifications_link(user: User) -> Panel:
    return Panel("credentials/_link_my_certifications.html", slot="actions")


@courses.panels["manage"].register
def manage_certifications_link(user: User) -> Panel | None:
    # On the course authors' dashboard, for those of them whom the page lets in.
    if not can_manage_certifications(user):
        return None
    return Panel("credentials/_link_manage_certifications.html", slot="actions")
