"""The question bank's rules: what makes a question sound, how answers are compared, and
which questions a quiz lesson draws from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from touchpoint.courses.models import Course, Lesson
from touchpoint.kernel import audit
from touchpoint.quizzes.models import Question, QuestionKind


def normalise(text: str) -> str:
    """A short-text answer as compared: case and every kind of space ignored."""
    return "".join(text.split()).casefold()


def accepted_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class ChoiceInput:
    """One answer choice as an author gave it; `pk` names an existing choice to keep."""

    text: str
    is_correct: bool
    pk: int | None = None


def question_problems(
    kind: str, choices: Sequence[ChoiceInput], accepted_answers: str, statement: bool | None
) -> dict[str, list[str]]:
    """What is wrong with a question, by the form field to show it at ("choices" for the
    answer choices as a whole). Empty when the question can be saved."""
    problems: dict[str, list[str]] = {}

    def add(where: str, message: str) -> None:
        problems.setdefault(where, []).append(message)

    correct = sum(1 for c in choices if c.is_correct)
    if kind == QuestionKind.SHORT_TEXT:
        if not accepted_lines(accepted_answers):
            add("accepted_answers", _("Give at least one accepted answer, one per line."))
        if choices:
            add(
                "choices",
                _(
                    "Short-text questions are answered in words and have no answer choices: "
                    "remove the choices or pick another kind."
                ),
            )
        return problems
    if kind == QuestionKind.TRUE_FALSE and not choices:
        if statement is None:
            add(
                "statement_is",
                _(
                    "Say whether the statement is true or false (the choices True and False "
                    "are then created for you), or add the two choices yourself."
                ),
            )
        return problems
    if len(choices) < 2:
        add("choices", _("Give at least two answer choices."))
    if kind == QuestionKind.TRUE_FALSE and len(choices) > 2:
        add("choices", _("A true-or-false question has exactly two choices."))
    if kind == QuestionKind.MULTIPLE:
        if correct < 1:
            add("choices", _("Mark at least one choice as correct."))
    elif correct != 1:
        add("choices", _("Mark exactly one choice as correct."))
    texts = [normalise(c.text) for c in choices]
    if len(set(texts)) < len(texts):
        add("choices", _("Two choices say the same thing; each choice needs its own text."))
    return problems


QUESTION_FIELDS = ("kind", "pool", "text", "explanation", "accepted_answers", "is_active")


def question_snapshot(question: Question) -> dict[str, Any]:
    """A question and its choices as the audit log shows them (✓ marks correct choices)."""
    data = audit.snapshot(question, QUESTION_FIELDS)
    data["choices"] = [
        f"{'✓ ' if c.is_correct else ''}{c.text}" for c in question.choices.order_by("position")
    ]
    return data


def pool_counts(course: Course) -> list[dict[str, Any]]:
    """Each pool of the course's bank with how many questions it holds and how many are in
    use ("" is the questions in no pool)."""
    rows = (
        Question.objects.filter(course=course)
        .values("pool")
        .annotate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
        .order_by("pool")
    )
    return [dict(row) for row in rows]


def question_pool(lesson: Lesson, course_id: int | None = None) -> QuerySet[Question]:
    """The questions a quiz lesson draws from: those in use in its course's bank, in the
    lesson's pool when it names one."""
    questions = Question.objects.filter(
        course_id=course_id or lesson.version.course_id, is_active=True
    )
    return questions.filter(pool=lesson.pool) if lesson.pool else questions


def draw_size(lesson: Lesson, pool_size: int) -> int:
    """How many questions an attempt shows: `questions_to_draw` (0: the whole pool), never
    more than the pool holds."""
    wanted = lesson.questions_to_draw or pool_size
    return min(wanted, pool_size)
