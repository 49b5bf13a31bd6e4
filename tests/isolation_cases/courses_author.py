"""Isolation cases for authoring (only course authors get in; Alice is not one) and for
assigning courses and paths (a course and a path meant for Birchwood only)."""

from __future__ import annotations

from typing import Any

from conftest import Personas
from tests.isolation_cases import Case
from tests.isolation_cases.courses_catalog import birchwood_course, birchwood_path
from tests.support.courses import make_course
from touchpoint.courses import actions
from touchpoint.courses.models import Course, Lesson, Section, Status
from touchpoint.orgs.models import Audience
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathStep


def drafted(p: Personas) -> Course:
    course = make_course(p.mia, "Being revised", ["text", "text"])
    actions.start_draft(p.mia, course)
    return course


def draft_section(p: Personas) -> Section:
    return Section.objects.get(version__course=drafted(p), version__status=Status.DRAFT)


def draft_lesson(p: Personas) -> Lesson:
    return Lesson.objects.filter(version__course=drafted(p), version__status=Status.DRAFT).first()  # type: ignore[return-value]


def a_path(p: Personas) -> LearningPath:
    path = LearningPath.objects.create(title="Onboarding", status=Status.PUBLISHED)
    PathStep.objects.create(path=path, course=make_course(p.mia, "Step"), position=1)
    return path


def a_step(p: Personas) -> PathStep:
    return a_path(p).steps.get()


def a_rule(p: Personas) -> EnrolmentRule:
    return EnrolmentRule.objects.create(
        name="All",
        course=make_course(p.mia, "Ruled"),
        audience=Audience.objects.create(name="Everyone"),
    )


def order_of(course: Course) -> dict[str, Any]:
    section = Section.objects.get(version__course=course, version__status=Status.DRAFT)
    return {"section": section.pk, "lesson": list(section.lessons.values_list("pk", flat=True))}


def in_course(obj: Any) -> list[Any]:
    return [obj.version.course_id, obj.pk]


def in_path(step: PathStep) -> list[Any]:
    return [step.path_id, step.pk]


mia = lambda p: p.mia  # noqa: E731 - the author in every case

CASES = {
    "courses:course_edit": Case(drafted, mia),
    "courses:course_status": Case(drafted, mia, "post", data={"status": "draft"}),
    "courses:course_content": Case(drafted, mia),
    "courses:course_new_draft": Case(drafted, mia, "post"),
    "courses:course_publish": Case(drafted, mia, "post"),
    "courses:content_order": Case(drafted, mia, "post", data=lambda course: order_of(course)),
    "courses:course_learners": Case(drafted, mia),
    "courses:section_create": Case(drafted, mia, "post", data={"title": "More"}),
    "courses:section_edit": Case(draft_section, mia, args=in_course),
    "courses:section_move": Case(draft_section, mia, "post", args=in_course),
    "courses:section_delete": Case(draft_section, mia, "post", args=in_course),
    "courses:lesson_create": Case(draft_section, mia, args=in_course),
    "courses:lesson_edit": Case(draft_lesson, mia, args=in_course),
    "courses:lesson_move": Case(draft_lesson, mia, "post", args=in_course),
    "courses:lesson_delete": Case(draft_lesson, mia, "post", args=in_course),
    "paths:path_edit": Case(a_path, mia),
    "paths:path_step_change": Case(a_step, mia, "post", args=in_path, data={"action": "toggle"}),
    "paths:rule_edit": Case(a_rule, mia),
    "paths:rule_run": Case(a_rule, mia, "post"),
    "courses:course_assign": Case(birchwood_course, lambda p: p.carol),
    "paths:path_assign": Case(birchwood_path, lambda p: p.carol),
}
