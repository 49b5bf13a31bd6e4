"""Isolation cases for quizzes and the question bank: a quiz in a Sales course meant for
Birchwood only, which Carol is taking; its question bank belongs to the course's authors
(Mia, who built it), not to a content owner of another department. An attempt is its
taker's alone: not their partner admin's, their channel manager's or a trainer's."""

from __future__ import annotations

import uuid
from typing import Any

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.courses import add_questions, make_course
from touchpoint.courses import actions
from touchpoint.courses.models import Lesson
from touchpoint.orgs.models import Audience, User
from touchpoint.quizzes import actions as quiz_actions
from touchpoint.quizzes.attempts import FIELD_PREFIX
from touchpoint.quizzes.models import Question, QuizAttempt


def birchwood_quiz(p: Personas, department: str = "Sales") -> Lesson:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    course = make_course(
        p.mia, "Birchwood safety quiz", ["quiz"], audience=audience, questions_to_draw=2,
        department=department,
    )  # fmt: skip
    add_questions(course, 3)
    actions.enrol(p.carol, course)
    return Lesson.objects.get(version=course.published_version)


def carols_attempt(p: Personas) -> QuizAttempt:
    lesson = birchwood_quiz(p)
    enrolment = actions.enrol(p.carol, lesson.version.course)
    return quiz_actions.start_attempt(enrolment, lesson)


def carols_result(p: Personas) -> QuizAttempt:
    attempt = carols_attempt(p)
    responses = {f"{FIELD_PREFIX}{q['key']}": q["correct"][:1] for q in attempt.questions}
    return quiz_actions.submit_attempt(attempt, responses)


def bobs_attempt(p: Personas) -> QuizAttempt:
    """Bob's attempt at a quiz meant for everyone."""
    course = make_course(p.mia, "X200 safety quiz", ["quiz"], questions_to_draw=2)
    add_questions(course, 3)
    lesson = Lesson.objects.get(version=course.published_version)
    return quiz_actions.start_attempt(actions.enrol(p.bob, course), lesson)


def course_of(lesson: Lesson) -> Any:
    return lesson.version.course


def a_question(p: Personas) -> Question:
    lesson = birchwood_quiz(p)
    return Question.objects.filter(course=lesson.version.course).first()  # type: ignore[return-value]


def aftermarket_bank(p: Personas) -> Any:
    return course_of(birchwood_quiz(p, "Aftermarket"))


def lesson_args(lesson: Lesson) -> list[Any]:
    return [lesson.version.course_id, lesson.key]


def question_args(question: Question) -> list[Any]:
    return [question.course_id, question.pk]


def not_birchwood(p: Personas) -> list[User]:
    return [p.alice, p.bob, p.hannah, p.ingrid, p.evan]


def not_carol(p: Personas) -> list[User]:
    # Nobody but the taker: not even Birchwood's channel manager, the trainer or Pat.
    return [p.alice, p.bob, p.ingrid, p.dana, p.mia, p.pat]


def not_bob(p: Personas) -> list[User]:
    # Not his partner admin, a colleague at her location, or another partner's admin.
    return [p.alice, p.hannah, p.carol, p.dana]


def not_authors(p: Personas) -> list[User]:
    # Partner people (the learner taking the quiz among them) and the channel managers.
    return [p.alice, p.bob, p.carol, p.dana, p.evan]


def not_sales_authors(p: Personas) -> list[User]:
    return [*not_authors(p), p.sol]


carol = lambda p: p.carol  # noqa: E731 - the learner
mia = lambda p: p.mia  # noqa: E731 - the author


def bank(target: Any, method: str = "get", **case: Any) -> Case:
    return Case(target, mia, method, outsiders=not_sales_authors, **case)


CASES = {
    "quizzes:quiz_start": Case(
        birchwood_quiz,
        carol,
        "post",
        args=lesson_args,
        missing=lambda lesson: [lesson.version.course_id, uuid.uuid4()],
        outsiders=not_birchwood,
    ),
    # touchpoint/quizzes/tests/test_quiz.py checks more of Bob's colleagues and managers.
    "quizzes:attempt": [
        Case(carols_attempt, carol, outsiders=not_carol),
        Case(bobs_attempt, lambda p: p.bob, outsiders=not_bob),
    ],
    "quizzes:attempt_result": Case(carols_result, carol, outsiders=not_carol),
    # The question bank: only people who may author the course.
    "quizzes:question_list": [
        bank(lambda p: course_of(birchwood_quiz(p))),
        Case(aftermarket_bank, lambda p: p.sol, outsiders=not_authors),
    ],
    "quizzes:question_create": bank(lambda p: course_of(birchwood_quiz(p))),
    "quizzes:question_edit": bank(a_question, args=question_args),
    "quizzes:question_remove": bank(a_question, "post", args=question_args),
}
