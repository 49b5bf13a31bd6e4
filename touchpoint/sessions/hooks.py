"""Sessions' part in courses: the session lesson in the player, a course's upcoming
sessions on its page, and the way to the sessions calendar from the catalog."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from touchpoint.courses import hooks as courses
from touchpoint.courses.models import Course, LessonKind
from touchpoint.kernel.panels import Panel
from touchpoint.orgs.models import User
from touchpoint.sessions import seats
from touchpoint.sessions.models import Session

courses.register_lesson_kind(
    courses.LessonKindHandler(
        LessonKind.SESSION, "sessions/_lesson_session.html", seats.lesson_context
    )
)


@courses.panels["catalog"].register
def calendar_link(user: User) -> Panel:
    return Panel("sessions/_link_calendar.html", slot="actions")


@courses.panels["course_detail"].register
def upcoming_sessions(user: User, *, course: Course, **_: Any) -> Panel | None:
    upcoming = list(
        Session.objects.filter(course=course, is_cancelled=False, ends_at__gte=timezone.now())[:5]
    )
    if not upcoming:
        return None
    return Panel("sessions/_course_sessions.html", {"sessions": upcoming})
