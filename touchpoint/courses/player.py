"""What the lesson player and the course page show about a learner's way through a course:
lessons done out of all, the time each lesson and the rest of the course takes, and the
lesson to resume."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from math import ceil
from typing import Any

from django.utils.html import strip_tags

from touchpoint.courses.models import Lesson, LessonKind

# A comfortable reading pace for work material on a phone; used only when the author left
# a lesson's minutes empty.
WORDS_PER_MINUTE = 200


def estimated_minutes(lesson: Lesson) -> int:
    """The author's estimate, or for reading matter one from the length of its text."""
    if lesson.minutes:
        return lesson.minutes
    if lesson.kind in (LessonKind.TEXT, LessonKind.DOCUMENT, LessonKind.LINK) and lesson.body:
        words = len(strip_tags(lesson.body).split())
        return max(1, ceil(words / WORDS_PER_MINUTE))
    return 0


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    minutes_total: int
    minutes_left: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_of(lessons: Iterable[Lesson], done: Collection[Any]) -> Progress:
    """Counted from the lessons of the learner's version; `done` holds completed lesson keys.
    Sets each lesson's `estimate` for the templates."""
    total = finished = minutes_total = minutes_left = 0
    for lesson in lessons:
        lesson.estimate = estimated_minutes(lesson)  # type: ignore[attr-defined]
        total += 1
        minutes_total += lesson.estimate  # type: ignore[attr-defined]
        if lesson.key in done:
            finished += 1
        else:
            minutes_left += lesson.estimate  # type: ignore[attr-defined]
    return Progress(finished, total, minutes_total, minutes_left)


def lesson_to_resume(
    lessons: Iterable[Lesson], last_key: Any, done: Collection[Any]
) -> Lesson | None:
    """The lesson last opened; without one (or when it left the version), the first not done,
    else the first."""
    ordered = list(lessons)
    by_key = {lesson.key: lesson for lesson in ordered}
    if last_key in by_key:
        return by_key[last_key]
    return next((lesson for lesson in ordered if lesson.key not in done), None) or (
        ordered[0] if ordered else None
    )
