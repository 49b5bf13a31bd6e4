"""Isolation cases for the catalog, course pages, the lesson player and paths: a course
meant for Birchwood only, in which Carol is enrolled."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.courses import make_course
from touchpoint.courses import actions
from touchpoint.courses.models import Lesson, Status
from touchpoint.orgs.models import Audience
from touchpoint.paths.models import LearningPath, PathStep


def birchwood_course(p: Personas) -> Any:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    course = make_course(p.mia, "Birchwood onboarding", ["text", "video"], audience=audience)
    actions.enrol(p.carol, course)
    return course


def birchwood_lesson(p: Personas) -> Lesson:
    course = birchwood_course(p)
    return Lesson.objects.filter(version=course.published_version).first()  # type: ignore[return-value]


def birchwood_video(p: Personas) -> Lesson:
    course = birchwood_course(p)
    lesson = Lesson.objects.get(version=course.published_version, kind="video")
    lesson.file.save("x200.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64))
    lesson.file_name, lesson.file_type = "x200.mp4", "video/mp4"
    lesson.save()
    return lesson


def birchwood_path(p: Personas) -> LearningPath:
    course = birchwood_course(p)
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    path = LearningPath.objects.create(
        title="Birchwood path", status=Status.PUBLISHED, audience=audience
    )
    PathStep.objects.create(path=path, course=course, position=1)
    return path


def lesson_args(lesson: Lesson) -> list[Any]:
    return [lesson.version.course_id, lesson.key]


def missing_lesson(lesson: Lesson) -> list[Any]:
    return [lesson.version.course_id, uuid.uuid4()]


CASES = {
    "courses:course_detail": Case(birchwood_course, lambda p: p.carol),
    "courses:course_enrol": Case(birchwood_course, lambda p: p.carol, "post"),
    "courses:lesson": Case(
        birchwood_lesson, lambda p: p.carol, args=lesson_args, missing=missing_lesson
    ),
    "courses:lesson_complete": Case(
        birchwood_lesson, lambda p: p.carol, "post", args=lesson_args, missing=missing_lesson
    ),
    "courses:lesson_position": Case(
        birchwood_lesson,
        lambda p: p.carol,
        "post",
        args=lesson_args,
        missing=missing_lesson,
        data={"seconds": "42"},
    ),
    "courses:lesson_file": Case(
        birchwood_video, lambda p: p.carol, args=lesson_args, missing=missing_lesson
    ),
    "paths:path_detail": Case(birchwood_path, lambda p: p.carol),
    "paths:path_enrol": Case(birchwood_path, lambda p: p.carol, "post"),
}
