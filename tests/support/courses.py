"""Builders for learning test data: a published course with lessons, a question bank, a
certification. Used by tests and the benchmarks (the demo tells its story through the
actions themselves: portal/demo/learning.py)."""

from __future__ import annotations

from typing import Any

from touchpoint.courses import actions
from touchpoint.courses.models import Course, Lesson, LessonKind, Section, Status
from touchpoint.credentials.models import Certification
from touchpoint.orgs.models import Department, User
from touchpoint.quizzes.models import Choice, Question, QuestionKind


def make_course(
    author: User,
    title: str = "X200 service basics",
    lessons: list[str] | tuple[str, ...] = ("text", "text"),
    *,
    publish: bool = True,
    audience: Any = None,
    self_enrol: bool = True,
    department: str | None = None,
    **quiz: Any,
) -> Course:
    """A course whose first version has one section with a lesson of each given kind.
    `department` names the department it belongs to (made when missing); `quiz` sets
    quiz-lesson options (pass_mark, questions_to_draw, max_attempts, …)."""
    course = actions.create_course(
        author,
        Course(
            title=title, summary=f"About {title}", audience=audience, self_enrol=self_enrol,
            department=Department.objects.get_or_create(name=department)[0] if department else None,
        ),
    )  # fmt: skip
    draft = actions.draft_of(course)
    assert draft is not None
    section = Section.objects.create(version=draft, title="Getting started", position=1)
    for position, kind in enumerate(lessons, start=1):
        Lesson.objects.create(
            version=draft,
            section=section,
            title=f"{kind.title()} lesson {position}",
            kind=kind,
            position=position,
            body="<p>Read this.</p>" if kind == LessonKind.TEXT else "",
            url="https://www.ridgeline.example/x200" if kind == LessonKind.LINK else "",
            minutes=5,
            **(quiz if kind == LessonKind.QUIZ else {}),
        )
    if publish:
        actions.publish_draft(author, course, "First version")
        course.refresh_from_db()
    return course


def add_questions(course: Course, count: int = 5, pool: str = "") -> list[Question]:
    """Single-choice questions whose correct answer is always the choice "right"."""
    questions = []
    for n in range(1, count + 1):
        question = Question.objects.create(
            course=course, pool=pool, kind=QuestionKind.SINGLE, text=f"Question {n}?", position=n,
            explanation=f"Because of rule {n}.",
        )  # fmt: skip
        Choice.objects.create(question=question, text="right", is_correct=True, position=1)
        Choice.objects.create(question=question, text="wrong", is_correct=False, position=2)
        Choice.objects.create(question=question, text="also wrong", is_correct=False, position=3)
        questions.append(question)
    return questions


def make_certification(
    name: str = "X200 Certified Technician",
    courses: list[Course] | tuple[Course, ...] = (),
    *,
    validity_months: int | None = 24,
    recert_courses: list[Course] | tuple[Course, ...] = (),
    **fields: Any,
) -> Certification:
    certification = Certification.objects.create(
        name=name, status=Status.PUBLISHED, validity_months=validity_months, **fields
    )
    certification.courses.set(courses)
    certification.recert_courses.set(recert_courses)
    return certification


def complete_course(person: User, course: Course) -> None:
    """Enrol the person and complete every lesson (quizzes included, as passed)."""
    from touchpoint.courses.models import Source

    enrolment = (
        actions.enrol(person, course, source=Source.SELF)
        if course.self_enrol
        else actions.enrol(person, course, source=Source.RULE)
    )
    for lesson in actions.lessons_of(enrolment):
        actions.complete_lesson(
            enrolment, lesson, score=100 if lesson.kind == LessonKind.QUIZ else None
        )
