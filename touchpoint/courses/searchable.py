"""How courses and their lessons appear in search: published courses, the published version's
lessons, each with the course's audience and section."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Course, Lesson
from touchpoint.kernel.html import as_text
from touchpoint.search import index


def documents(course: Course) -> list[index.Document]:
    if course.status != "published" or course.published_version_id is None:
        return []
    original = index.Document(
        kind="course",
        object_id=str(course.pk),
        title=course.title,
        summary=course.summary,
        body=as_text(course.description),
        url=course.get_absolute_url(),
        section_id=course.section_id,
        audience_id=course.audience_id,
    )
    docs = [
        original,
        *index.in_other_languages(
            course,
            original,
            lambda v: {
                "title": v["title"],
                "summary": v["summary"],
                "body": as_text(v["description"]),
            },
        ),
    ]
    lessons = (
        Lesson.objects.filter(version_id=course.published_version_id)
        .only("key", "title", "body", "version_id")
        .prefetch_related("translations")
    )
    for lesson in lessons:
        lesson_doc = index.Document(
            kind="lesson",
            object_id=str(lesson.key),
            title=lesson.title,
            body=as_text(lesson.body),
            # Found by its course's name too ("warranty quiz"), not quoted with it.
            keywords=course.title,
            url=reverse("courses:lesson", args=[course.pk, lesson.key]),
            section_id=course.section_id,
            audience_id=course.audience_id,
        )
        docs += [
            lesson_doc,
            *index.in_other_languages(
                lesson, lesson_doc, lambda v: {"title": v["title"], "body": as_text(v["body"])}
            ),
        ]
    return docs


def everything() -> Iterator[tuple[Course, list[index.Document]]]:
    for course in Course.objects.published().prefetch_related("translations").order_by("pk"):
        yield course, documents(course)


index.register(
    index.Source(model=Course, prefix="course", documents=documents, everything=everything),
    {"course": _("Courses"), "lesson": _("Lessons")},
)
