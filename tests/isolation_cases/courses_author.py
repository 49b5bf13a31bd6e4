"""Isolation cases for authoring and for assigning courses and paths.

Authoring: a course of the Sales department that Mia is revising. Only its authors get in:
trainers and portal admins, and content owners of Sales; not Sol, who owns the Aftermarket
department's courses (a scene on his own department's course lets him in), not the channel
managers, and no partner person. Paths and rules belong to no department: every course
author builds them.

Assigning: a course and a path meant for Birchwood only, which Carol may assign and nobody
outside Birchwood may even see; and a course and a path for everyone, which Alice assigns
to her people while Bob, a member of her company, may not assign at all.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import Personas
from tests.isolation_cases import Case
from tests.isolation_cases.courses_catalog import birchwood_course, birchwood_path
from tests.support.courses import make_course
from tests.support.library import png
from touchpoint.courses import actions
from touchpoint.courses.models import Course, Lesson, Section, Status
from touchpoint.orgs.models import Audience, User
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathStep


def drafted(p: Personas, department: str = "Sales") -> Course:
    course = make_course(p.mia, "Being revised", ["text", "text"], department=department)
    actions.start_draft(p.mia, course)
    return course


def aftermarket(p: Personas) -> Course:
    """Mia's course, but of Sol's department: his to author as well."""
    return drafted(p, "Aftermarket")


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


def not_authors(p: Personas) -> list[User]:
    # Partner people (an admin and a member at Alder Creek, Birchwood's admin) and the
    # channel managers of both regions: none of them authors courses.
    return [p.alice, p.bob, p.carol, p.dana, p.evan]


def not_sales_authors(p: Personas) -> list[User]:
    # ...and Sol, a content owner of another department than the course's.
    return [*not_authors(p), p.sol]


def for_everyone(p: Personas) -> Course:
    return make_course(p.mia, "X200 walkaround")


def for_everyone_path(p: Personas) -> LearningPath:
    path = LearningPath.objects.create(title="X200 launch", status=Status.PUBLISHED)
    PathStep.objects.create(path=path, course=for_everyone(p), position=1)
    return path


def not_birchwood(p: Personas) -> list[User]:
    return [p.alice, p.bob, p.hannah, p.ingrid, p.evan]


def not_assigners(p: Personas) -> list[User]:
    # Alice's people (a member and a technician at her location) and a content owner: they
    # take courses or write them, but do not assign them.
    return [p.bob, p.hannah, p.sol]


mia = lambda p: p.mia  # noqa: E731 - the author in the Sales scenes
sol = lambda p: p.sol  # noqa: E731 - the author in the Aftermarket scenes


def authoring(method: str = "get", *, own_department: bool = False, **case: Any) -> Any:
    """The Sales scene; with `own_department`, also the scene on Sol's department's course."""
    sales = Case(drafted, mia, method, outsiders=not_sales_authors, **case)
    if not own_department:
        return sales
    return [sales, Case(aftermarket, sol, method, outsiders=not_authors, **case)]


def in_draft(target: Any, method: str = "get", **case: Any) -> Case:
    return Case(target, mia, method, args=in_course, outsiders=not_sales_authors, **case)


def path_authoring(target: Any, method: str = "get", **case: Any) -> Case:
    return Case(target, mia, method, outsiders=not_authors, **case)


class Picture(SimpleUploadedFile):
    """A PNG upload the walk can send again and again (each request reads it whole)."""

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read(*args)


CASES = {
    "courses:course_edit": authoring(own_department=True),
    "courses:course_image_upload": authoring(
        "post", data=lambda course: {"file": Picture("deck.png", png(), "image/png")}
    ),
    "courses:course_status": authoring("post", data={"status": "draft"}),
    "courses:course_content": authoring(own_department=True),
    "courses:course_new_draft": authoring("post"),
    "courses:course_publish": authoring("post"),
    "courses:content_order": authoring("post", data=lambda course: order_of(course)),
    "courses:course_learners": authoring(own_department=True),
    "courses:section_create": authoring("post", data={"title": "More"}),
    "courses:section_edit": in_draft(draft_section),
    "courses:section_move": in_draft(draft_section, "post"),
    "courses:section_delete": in_draft(draft_section, "post"),
    "courses:lesson_create": in_draft(draft_section),
    "courses:lesson_edit": in_draft(draft_lesson),
    "courses:lesson_move": in_draft(draft_lesson, "post"),
    "courses:lesson_delete": in_draft(draft_lesson, "post"),
    "paths:path_edit": path_authoring(a_path),
    "paths:path_step_change": path_authoring(
        a_step, "post", args=in_path, data={"action": "toggle"}
    ),
    "paths:rule_edit": path_authoring(a_rule),
    "paths:rule_run": path_authoring(a_rule, "post"),
    "courses:course_assign": [
        Case(birchwood_course, lambda p: p.carol, outsiders=not_birchwood),
        Case(for_everyone, lambda p: p.alice, outsiders=not_assigners),
    ],
    "paths:path_assign": [
        Case(birchwood_path, lambda p: p.carol, outsiders=not_birchwood),
        Case(for_everyone_path, lambda p: p.alice, outsiders=not_assigners),
    ],
}
