"""What the apps above courses add to them, registered in their `AppConfig.ready()`.

Courses sit below quizzes, sessions, certifications and paths, so they never import them:
    lesson_kinds       how the player shows a quiz or session lesson (quizzes, sessions)
    course_started     a learner began a course: certifications that need it are under way
    course_completed   a learner finished a course: certifications are awarded, paths advance
                       (called in registration order, so credentials are settled before paths
                       look at them)
    course_locks       what holds a course back (a path's earlier steps), for the player
    panels             extra panels (kernel.panels) on the catalog, my learning, a course's
                       page and the authors' dashboard
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

from touchpoint.kernel.panels import page_registries, render_panels
from touchpoint.kernel.registry import Registry

if TYPE_CHECKING:
    from touchpoint.courses.models import Course, Enrolment, Lesson
    from touchpoint.orgs.models import User


@dataclass(frozen=True)
class LessonKindHandler:
    """The player's part for one lesson kind: the template it includes and its context."""

    kind: str
    template: str
    context: Callable[[User, Enrolment | None, Lesson], dict[str, Any]]


lesson_kinds: dict[str, LessonKindHandler] = {}


def register_lesson_kind(handler: LessonKindHandler) -> LessonKindHandler:
    lesson_kinds[handler.kind] = handler
    return handler


course_started: Registry[Callable[[User, Course], None]] = Registry("a learner started a course")
course_completed: Registry[Callable[[Enrolment], None]] = Registry(
    "a learner completed a course (inside the completing transaction)"
)
# A lock returns what holds the course back (shown to the learner), or None.
course_locks: Registry[Callable[[Enrolment], Any]] = Registry(
    "what keeps a learner from starting a course yet"
)


PAGES = ("catalog", "my_learning", "course_detail", "manage")
panels = page_registries("courses", PAGES)


def panels_for(page: str, request: HttpRequest, **context: Any) -> dict[str, list[SafeString]]:
    return render_panels(panels[page], request, **context)


def lock_on(enrolment: Enrolment | None) -> Any:
    """The first thing holding this enrolment's course back, if any."""
    if enrolment is None:
        return None
    for lock in course_locks:
        found = lock(enrolment)
        if found is not None:
            return found
    return None
