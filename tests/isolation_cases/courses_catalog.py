"""Isolation cases for the catalog, course pages, the lesson player and paths: a course
meant for Birchwood only, in which Carol is enrolled; and a Sales course whose next version
Mia is drafting, which only its authors may preview."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.courses import make_course
from tests.support.library import png
from touchpoint.courses import actions
from touchpoint.courses.models import CourseImage, Lesson, Section, Status
from touchpoint.orgs.models import Audience, User
from touchpoint.paths.models import LearningPath, PathStep

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def birchwood_course(p: Personas) -> Any:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    course = make_course(p.mia, "Birchwood onboarding", ["text", "video"], audience=audience)
    actions.enrol(p.carol, course)
    return course


def birchwood_cover(p: Personas) -> Any:
    course = birchwood_course(p)
    course.cover.save("cover.png", ContentFile(png()))
    return course


def birchwood_picture(p: Personas) -> CourseImage:
    course = birchwood_course(p)
    return actions.add_course_image(p.mia, course, ContentFile(png()))


def picture_args(picture: CourseImage) -> list[Any]:
    return [picture.course_id, picture.pk]


def missing_picture(picture: CourseImage) -> list[Any]:
    return [picture.course_id, picture.pk + 1000]


def birchwood_lesson(p: Personas) -> Lesson:
    course = birchwood_course(p)
    return Lesson.objects.filter(version=course.published_version).first()  # type: ignore[return-value]


def with_video(lesson: Lesson) -> Lesson:
    lesson.file.save("x200.mp4", ContentFile(MP4))
    lesson.file_name, lesson.file_type = "x200.mp4", "video/mp4"
    lesson.save()
    return lesson


def birchwood_video(p: Personas) -> Lesson:
    course = birchwood_course(p)
    return with_video(Lesson.objects.get(version=course.published_version, kind="video"))


def drafted_video(p: Personas) -> Lesson:
    """A video lesson Mia has added to the draft of a published Sales course: learners and
    every author may open the published lessons, but the draft is for its own authors."""
    course = make_course(p.mia, "X200 pitch", ["text"], department="Sales")
    draft = actions.start_draft(p.mia, course)
    lesson = actions.add_lesson(
        p.mia, Section.objects.get(version=draft), Lesson(title="New demo", kind="video")
    )
    return with_video(lesson)


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


def not_birchwood(p: Personas) -> list[User]:
    # Alder Creek's admin, a member and a technician at its location, Fjord Maskin's admin,
    # and the channel manager of another region.
    return [p.alice, p.bob, p.hannah, p.ingrid, p.evan]


def other_department(p: Personas) -> list[User]:
    # An author, but of Aftermarket courses: the Sales course's draft is not his to see.
    return [p.sol]


carol = lambda p: p.carol  # noqa: E731 - the learner in the Birchwood scenes
mia = lambda p: p.mia  # noqa: E731 - the author of the draft
DRAFT = {"preview": "1", "draft": "1"}


def lesson_scenes(birchwood: Any) -> list[Case]:
    """Carol's Birchwood lesson, and the draft's video (asked for in the query string)."""
    return [
        Case(birchwood, carol, args=lesson_args, missing=missing_lesson, outsiders=not_birchwood),
        Case(drafted_video, mia, args=lesson_args, missing=missing_lesson, data=DRAFT,
             outsiders=other_department),
    ]  # fmt: skip


CASES = {
    "courses:course_detail": Case(birchwood_course, carol, outsiders=not_birchwood),
    "courses:course_cover": Case(birchwood_cover, carol, outsiders=not_birchwood),
    "courses:course_image": Case(
        birchwood_picture,
        carol,
        args=picture_args,
        missing=missing_picture,
        outsiders=not_birchwood,
    ),
    "courses:course_enrol": Case(birchwood_course, carol, "post", outsiders=not_birchwood),
    "courses:lesson": lesson_scenes(birchwood_lesson),
    "courses:lesson_complete": Case(
        birchwood_lesson,
        carol,
        "post",
        args=lesson_args,
        missing=missing_lesson,
        outsiders=not_birchwood,
    ),
    "courses:lesson_position": Case(
        birchwood_lesson,
        carol,
        "post",
        args=lesson_args,
        missing=missing_lesson,
        data={"seconds": "42"},
        outsiders=not_birchwood,
    ),
    "courses:lesson_file": lesson_scenes(birchwood_video),
    "paths:path_detail": Case(birchwood_path, carol, outsiders=not_birchwood),
    "paths:path_enrol": Case(birchwood_path, carol, "post", outsiders=not_birchwood),
}
