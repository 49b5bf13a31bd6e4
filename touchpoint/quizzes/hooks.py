"""Quizzes' part in courses: the quiz lesson in the player."""

from __future__ import annotations

from touchpoint.courses import hooks as courses
from touchpoint.courses.models import LessonKind
from touchpoint.quizzes import pages

courses.register_lesson_kind(
    courses.LessonKindHandler(LessonKind.QUIZ, "quizzes/_lesson_quiz.html", pages.lesson_context)
)
