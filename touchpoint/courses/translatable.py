"""Courses are translated with the lessons of their published version (the one learners
open; a new version's lessons bring their translations along, see actions.start_draft)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from touchpoint.courses.models import Course, Lesson
from touchpoint.kernel.translations import TranslatableKind, kinds


def published_lessons(course: Course) -> list[Any]:
    if course.published_version_id is None:
        return []
    return list(
        Lesson.objects.filter(version_id=course.published_version_id).order_by(
            "section__position", "position", "pk"
        )
    )


kinds.register(
    TranslatableKind(
        "course",
        Course,
        back_url=lambda c: reverse("courses:course_edit", args=[c.pk]),
        parts=published_lessons,
    )
)
