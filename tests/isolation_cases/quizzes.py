"""Isolation cases for quizzes and the question bank: a quiz in a course meant for Birchwood
only, which Carol is taking; its question bank belongs to Mia, who built the course."""

from __future__ import annotations

import uuid
from typing import Any

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.courses import add_questions, make_course
from touchpoint.courses import actions
from touchpoint.courses.models import Lesson
from touchpoint.orgs.models import Audience
from touchpoint.quizzes import actions as quiz_actions
from touchpoint.quizzes.attempts import FIELD_PREFIX
from touchpoint.quizzes.models import Question, QuizAttempt


def birchwood_quiz(p: Personas) -> Lesson:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    course = make_course(
        p.mia, "Birchwood safety quiz", ["quiz"], audience=audience, questions_to_draw=2
    )
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


def course_of(lesson: Lesson) -> Any:
    return lesson.version.course


def a_question(p: Personas) -> Question:
    lesson = birchwood_quiz(p)
    return Question.objects.filter(course=lesson.version.course).first()  # type: ignore[return-value]


def lesson_args(lesson: Lesson) -> list[Any]:
    return [lesson.version.course_id, lesson.key]


def question_args(question: Question) -> list[Any]:
    return [question.course_id, question.pk]


CASES = {
    "quizzes:quiz_start": Case(
        birchwood_quiz,
        lambda p: p.carol,
        "post",
        args=lesson_args,
        missing=lambda lesson: [lesson.version.course_id, uuid.uuid4()],
    ),
    # Alice could not see this course at all; but an attempt is personal even within a
    # partner, so touchpoint/quizzes/tests/test_quiz.py also checks Bob's colleagues and managers.
    "quizzes:attempt": Case(carols_attempt, lambda p: p.carol),
    "quizzes:attempt_result": Case(carols_result, lambda p: p.carol),
    # The question bank: only people who may author the course (Alice never may).
    "quizzes:question_list": Case(lambda p: course_of(birchwood_quiz(p)), lambda p: p.mia),
    "quizzes:question_create": Case(lambda p: course_of(birchwood_quiz(p)), lambda p: p.mia),
    "quizzes:question_edit": Case(a_question, lambda p: p.mia, args=question_args),
    "quizzes:question_remove": Case(a_question, lambda p: p.mia, "post", args=question_args),
}
