"""Isolation cases for authoring (only course authors get in; Alice is not one) and for
assigning courses and paths (a course and a path meant for Birchwood only)."""

from __future__ import annotations

from typing import Any

from conftest import Personas
from tests.isolation_cases import Case
from tests.isolation_cases.learning_catalog import birchwood_course, birchwood_path
from tests.support.learning import make_course
from touchpoint.learning import actions
from touchpoint.learning.models import (
    Course,
    EnrolmentRule,
    LearningPath,
    Lesson,
    PathStep,
    Section,
    Status,
)
from touchpoint.orgs.models import Audience


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
    "learning:course_edit": Case(drafted, mia),
    "learning:course_status": Case(drafted, mia, "post", data={"status": "draft"}),
    "learning:course_content": Case(drafted, mia),
    "learning:course_new_draft": Case(drafted, mia, "post"),
    "learning:course_publish": Case(drafted, mia, "post"),
    "learning:content_order": Case(drafted, mia, "post", data=lambda course: order_of(course)),
    "learning:course_learners": Case(drafted, mia),
    "learning:section_create": Case(drafted, mia, "post", data={"title": "More"}),
    "learning:section_edit": Case(draft_section, mia, args=in_course),
    "learning:section_move": Case(draft_section, mia, "post", args=in_course),
    "learning:section_delete": Case(draft_section, mia, "post", args=in_course),
    "learning:lesson_create": Case(draft_section, mia, args=in_course),
    "learning:lesson_edit": Case(draft_lesson, mia, args=in_course),
    "learning:lesson_move": Case(draft_lesson, mia, "post", args=in_course),
    "learning:lesson_delete": Case(draft_lesson, mia, "post", args=in_course),
    "learning:path_edit": Case(a_path, mia),
    "learning:path_step_change": Case(a_step, mia, "post", args=in_path, data={"action": "toggle"}),
    "learning:rule_edit": Case(a_rule, mia),
    "learning:rule_run": Case(a_rule, mia, "post"),
    "learning:course_assign": Case(birchwood_course, lambda p: p.carol),
    "learning:path_assign": Case(birchwood_path, lambda p: p.carol),
}
