"""What the quiz pages show: an attempt's questions (texts and opaque ids only), the review
of a closed attempt, the countdown, and the quiz panel of the lesson player and result page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from touchpoint.courses.models import Course, Enrolment, Lesson
from touchpoint.orgs.models import User
from touchpoint.quizzes.attempts import (
    FIELD_PREFIX,
    AnswersRejected,
    as_it_stands,
    cooldown_until,
    history,
    is_right,
    lesson_progress,
    start_blocker,
)
from touchpoint.quizzes.bank import draw_size, question_pool
from touchpoint.quizzes.models import AttemptStatus, QuestionKind, QuizAttempt


@dataclass
class ShownChoice:
    id: str
    text: str
    checked: bool = False


@dataclass
class ShownQuestion:
    """A question as the attempt page renders it: texts and opaque ids, nothing else."""

    key: str
    number: int
    kind: str
    text: str
    choices: list[ShownChoice]
    value: str = ""
    error: str = ""

    @property
    def field_name(self) -> str:
        return f"{FIELD_PREFIX}{self.key}"

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.SHORT_TEXT

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE


def shown_questions(
    attempt: QuizAttempt, rejected: AnswersRejected | None = None
) -> list[ShownQuestion]:
    """The attempt's questions for the page, keeping what the person had chosen when their
    answers came back with errors."""
    given = rejected.given if rejected else {}
    unanswered = rejected.unanswered if rejected else set()
    shown = []
    for number, q in enumerate(attempt.questions, start=1):
        answer = given.get(q["key"])
        picked = set(answer) if isinstance(answer, list) else set()
        shown.append(
            ShownQuestion(
                key=q["key"],
                number=number,
                kind=q["kind"],
                text=q["text"],
                choices=[ShownChoice(c["id"], c["text"], c["id"] in picked) for c in q["choices"]],
                value=answer if isinstance(answer, str) else "",
                error=_("Answer this question.") if q["key"] in unanswered else "",
            )
        )
    return shown


@dataclass
class ReviewItem:
    number: int
    text: str
    kind: str
    given: list[str]
    correct: list[str]
    right: bool
    explanation: str


def review(attempt: QuizAttempt) -> list[ReviewItem]:
    """Each question of a closed attempt with the person's answer, the correct answer and
    the explanation."""
    assert attempt.status != AttemptStatus.OPEN, "the review would reveal the answers"
    items = []
    for number, q in enumerate(attempt.questions, start=1):
        answer = attempt.answers.get(q["key"])
        if q["kind"] == QuestionKind.SHORT_TEXT:
            given = [answer] if answer else []
            correct = q["accepted"][:1]
        else:
            texts = {c["id"]: c["text"] for c in q["choices"]}
            given = [texts[cid] for cid in answer or [] if cid in texts]
            correct = [texts[cid] for cid in q["correct"] if cid in texts]
        items.append(
            ReviewItem(
                number=number,
                text=q["text"],
                kind=q["kind"],
                given=given,
                correct=correct,
                right=is_right(q, answer),
                explanation=q.get("explanation", ""),
            )
        )
    return items


def seconds_left(attempt: QuizAttempt, now: datetime | None = None) -> int | None:
    """Whole seconds to the deadline, rounded up: the page's countdown never ends early."""
    if attempt.deadline_at is None:
        return None
    now = now or timezone.now()
    return max(0, math.ceil((attempt.deadline_at - now).total_seconds()))


def clock(seconds: int | None) -> str:
    """Seconds as the countdown shows them, e.g. 9:05."""
    return "" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"


@dataclass
class QuizPanel:
    """What the lesson player and the result page say about a quiz for one person."""

    lesson: Lesson
    pool_size: int
    question_count: int
    preview: bool = False
    attempts: list[QuizAttempt] = field(default_factory=list)  # closed ones, newest first
    open_attempt: QuizAttempt | None = None
    best_score: int | None = None
    attempts_left: int | None = None  # None: no limit
    cooldown_until: datetime | None = None
    passed: bool = False
    can_start: bool = False
    why_not: str = ""
    can_edit_bank: bool = False

    @property
    def pool_is_short(self) -> bool:
        return (
            bool(self.lesson.questions_to_draw) and self.pool_size < self.lesson.questions_to_draw
        )


def quiz_panel(user: User, enrolment: Enrolment | None, lesson: Lesson) -> QuizPanel:
    course_id = lesson.version.course_id
    pool_size = question_pool(lesson, course_id).count()
    panel = QuizPanel(
        lesson=lesson, pool_size=pool_size, question_count=draw_size(lesson, pool_size)
    )
    if enrolment is None:
        panel.preview = True
        panel.can_edit_bank = Course.objects.manageable_by(user).filter(pk=course_id).exists()
        return panel
    now = timezone.now()
    attempts = [as_it_stands(a, now) for a in history(enrolment, lesson)]
    closed = [a for a in attempts if a.status != AttemptStatus.OPEN]
    panel.attempts = closed
    panel.open_attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    progress = lesson_progress(enrolment, lesson)
    completed = bool(progress and progress.completed_at)
    scores = [a.score for a in closed if a.score is not None]
    if progress and progress.best_score is not None:
        scores.append(progress.best_score)
    panel.best_score = max(scores) if scores else None
    panel.passed = completed or any(a.passed for a in closed)
    if lesson.max_attempts:
        panel.attempts_left = max(0, lesson.max_attempts - len(attempts))
    panel.cooldown_until = cooldown_until(lesson, closed, now)
    panel.why_not = start_blocker(lesson, attempts, pool_size, now, completed=completed)
    panel.can_start = not panel.why_not
    return panel


def lesson_context(user: User, enrolment: Enrolment | None, lesson: Lesson) -> dict[str, Any]:
    """What `learning/_lesson_quiz.html` needs inside the lesson player."""
    return {"quiz": quiz_panel(user, enrolment, lesson)}


def next_lesson(lesson: Lesson) -> Lesson | None:
    """The lesson after this one in its version, if any."""
    lessons = list(Lesson.objects.filter(version_id=lesson.version_id).only("pk", "key", "title"))
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), len(lessons))
    return lessons[index + 1] if index + 1 < len(lessons) else None
