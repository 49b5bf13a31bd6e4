"""An attempt at a quiz: drawing its questions, its clock, whether another may start, and
reading and scoring the answers that come back. Nothing here writes (quizzes.actions does).

An attempt keeps a snapshot of what it showed (`QuizAttempt.questions`): texts, choices
under per-attempt opaque ids, and the correct answers. Only texts and those ids ever reach
the browser before submission (quizzes.pages.shown_questions); the correct answers and
explanations leave the server only in the review of a closed attempt (quizzes.pages.review).

The server is the only clock: an attempt with a time limit has a `deadline_at`, and answers
arriving after it (plus a short grace for the network) are not scored.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from touchpoint.courses.models import Enrolment, Lesson, LessonProgress
from touchpoint.quizzes.bank import accepted_lines, draw_size, normalise, question_pool
from touchpoint.quizzes.models import AttemptStatus, Question, QuestionKind, QuizAttempt

# Answers may arrive this long after the deadline and still count: the time a submit takes
# to travel from a slow phone connection, not extra time to think.
GRACE = timedelta(seconds=15)
# The page's countdown submits when it reaches zero; the browser's clock may run a second or
# two ahead of ours, and that submit must still count as "time is up" (blanks allowed).
TIMER_SLACK = timedelta(seconds=2)
# Form field names of the answers: the prefix and a question's opaque key.
FIELD_PREFIX = "q-"
MAX_TEXT_ANSWER = 500
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE}
ONE_ANSWER_KINDS = {QuestionKind.SINGLE, QuestionKind.TRUE_FALSE}
# The OS generator: the draw and the order of options cannot be predicted from earlier ones.
_random = secrets.SystemRandom()


# --- drawing --------------------------------------------------------------------------------------
class _OpaqueIds:
    """Random ids for one attempt's questions and choices, unique within the attempt: they
    say nothing about position or correctness, and differ from one attempt to the next."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self) -> str:
        while (new := secrets.token_hex(4)) in self.used:
            pass
        self.used.add(new)
        return new


def _snapshot(question: Question, new_id: _OpaqueIds) -> dict[str, Any]:
    choices = list(question.choices.all()) if question.kind in CHOICE_KINDS else []
    # True and False keep their order (the same for every such question, so it tells
    # nothing); other options are shuffled so position never hints at the answer.
    if question.kind != QuestionKind.TRUE_FALSE:
        _random.shuffle(choices)
    ids = [new_id() for _choice in choices]
    return {
        "key": new_id(),
        "id": question.pk,
        "kind": question.kind,
        "text": question.text,
        "explanation": question.explanation,
        "choices": [{"id": i, "text": c.text} for i, c in zip(ids, choices, strict=True)],
        "correct": [i for i, c in zip(ids, choices, strict=True) if c.is_correct],
        "accepted": accepted_lines(question.accepted_answers)
        if question.kind == QuestionKind.SHORT_TEXT
        else [],
    }


def draw(lesson: Lesson) -> list[dict[str, Any]]:
    """A random selection of the lesson's pool, each with its options shuffled."""
    ids = list(question_pool(lesson).values_list("pk", flat=True))
    chosen = _random.sample(ids, draw_size(lesson, len(ids)))
    questions = {
        q.pk: q for q in Question.objects.filter(pk__in=chosen).prefetch_related("choices")
    }
    new_id = _OpaqueIds()
    return [_snapshot(questions[pk], new_id) for pk in chosen]


# --- the clock ------------------------------------------------------------------------------------
def is_overdue(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Past the deadline and its grace: answers arriving now are not scored."""
    now = now or timezone.now()
    return attempt.deadline_at is not None and now > attempt.deadline_at + GRACE


def as_it_stands(attempt: QuizAttempt, now: datetime | None = None) -> QuizAttempt:
    """The attempt as it stands now. One left open past its deadline (and the grace) is over:
    it is shown expired, unscored and not passed, ended at its deadline, exactly as the next
    write on it records it (quizzes.actions), so reading a page never has to write."""
    if attempt.status != AttemptStatus.OPEN or not is_overdue(attempt, now):
        return attempt
    ended = copy.copy(attempt)
    ended.status, ended.passed, ended.score = AttemptStatus.EXPIRED, False, None
    ended.submitted_at = attempt.deadline_at
    return ended


def start_blocker(
    lesson: Lesson,
    attempts: Sequence[QuizAttempt],
    pool_size: int,
    now: datetime | None = None,
    *,
    completed: bool = False,
) -> str:
    """Why a new attempt may not start now ("" when it may). `attempts` are the person's
    attempts at this quiz; `completed` says the lesson is already done (passed, or marked
    done some other way, e.g. carried over from a previous version)."""
    now = now or timezone.now()
    closed = [a for a in attempts if a.status != AttemptStatus.OPEN]
    if completed or any(a.passed for a in closed):
        return _("You have passed this quiz.")
    if any(a.status == AttemptStatus.OPEN for a in attempts):
        return _("You have an attempt in progress.")
    if lesson.max_attempts and len(attempts) >= lesson.max_attempts:
        return ngettext(
            "You have used your %(count)d attempt. Ask your trainer if you need another.",
            "You have used all %(count)d attempts. Ask your trainer if you need another.",
            lesson.max_attempts,
        ) % {"count": lesson.max_attempts}
    until = cooldown_until(lesson, closed, now)
    if until is not None:
        local = timezone.localtime(until)
        same_day = local.date() == timezone.localtime(now).date()
        when = time_format(local) if same_day else date_format(local, "SHORT_DATETIME_FORMAT")
        return _("You can try again from %(time)s.") % {"time": when}
    if pool_size == 0:
        return _("This quiz is not ready yet: it has no questions.")
    return ""


def cooldown_until(
    lesson: Lesson, closed: Sequence[QuizAttempt], now: datetime | None = None
) -> datetime | None:
    """When the wait after the last attempt ends, if it has not yet."""
    now = now or timezone.now()
    ended = [a.submitted_at for a in closed if a.submitted_at is not None]
    if not lesson.cooldown_minutes or not ended:
        return None
    until = max(ended) + timedelta(minutes=lesson.cooldown_minutes)
    return until if until > now else None


# --- a person's attempts --------------------------------------------------------------------------
def attempt_lesson(attempt: QuizAttempt) -> Lesson:
    """The quiz lesson an attempt belongs to, in the version its enrolment follows (or, if
    the enrolment moved to a version without it, the latest version that has it)."""
    enrolment = attempt.enrolment
    lessons = Lesson.objects.select_related("version", "section").filter(key=attempt.lesson_key)
    lesson = lessons.filter(version_id=enrolment.version_id).first()
    if lesson is None:
        lesson = (
            lessons.filter(version__course_id=enrolment.course_id)
            .order_by("-version__number")
            .first()
        )
    if lesson is None:
        raise Lesson.DoesNotExist
    return lesson


def history(enrolment: Enrolment, lesson: Lesson) -> QuerySet[QuizAttempt]:
    """A person's attempts at a quiz, newest first, without the questions and answers."""
    return QuizAttempt.objects.filter(enrolment=enrolment, lesson_key=lesson.key).defer(
        "questions", "answers"
    )


def lesson_progress(enrolment: Enrolment, lesson: Lesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(enrolment=enrolment, lesson_key=lesson.key).first()


# --- answering and scoring ------------------------------------------------------------------------
class AnswersRejected(Exception):
    """Answers that cannot be scored; the attempt stays open and unscored.

    `forged` when they name questions or choices that are not in the attempt (a tampered
    or stale page); otherwise `unanswered` holds the keys of questions left blank."""

    def __init__(
        self,
        message: str,
        *,
        forged: bool = False,
        unanswered: Iterable[str] = (),
        given: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.forged = forged
        self.unanswered = set(unanswered)
        self.given = dict(given or {})


def read_answers(
    questions: Sequence[dict[str, Any]],
    responses: Mapping[str, Sequence[str]],
    *,
    allow_blanks: bool = False,
) -> dict[str, Any]:
    """The answers in a submitted form, by question key: a list of choice ids, or the text
    typed. Raises AnswersRejected for anything that does not fit the attempt."""
    forged = AnswersRejected(
        _(
            "These answers do not match the questions of this attempt, so they were not "
            "scored. Reload the page and answer again."
        ),
        forged=True,
    )
    by_key = {q["key"]: q for q in questions}
    answers: dict[str, Any] = {}
    for name, values in responses.items():
        if not name.startswith(FIELD_PREFIX):
            continue
        question = by_key.get(name.removeprefix(FIELD_PREFIX))
        if question is None:
            raise forged
        values = [v for v in values if v != ""]
        if question["kind"] == QuestionKind.SHORT_TEXT:
            if len(values) > 1 or any(len(v) > MAX_TEXT_ANSWER for v in values):
                raise forged
            if values and values[0].strip():
                answers[question["key"]] = values[0].strip()
            continue
        allowed = {c["id"] for c in question["choices"]}
        if not set(values) <= allowed or len(set(values)) != len(values):
            raise forged
        if question["kind"] in ONE_ANSWER_KINDS and len(values) > 1:
            raise forged
        if values:
            answers[question["key"]] = values
    unanswered = [q["key"] for q in questions if q["key"] not in answers]
    if unanswered and not allow_blanks:
        raise AnswersRejected(
            ngettext(
                "%(count)d question has no answer yet.",
                "%(count)d questions have no answer yet.",
                len(unanswered),
            )
            % {"count": len(unanswered)},
            unanswered=unanswered,
            given=answers,
        )
    return answers


def is_right(question: dict[str, Any], answer: Any) -> bool:
    if answer is None:
        return False
    if question["kind"] == QuestionKind.SHORT_TEXT:
        return normalise(answer) in {normalise(a) for a in question["accepted"]}
    return set(answer) == set(question["correct"])


def score(questions: Sequence[dict[str, Any]], answers: Mapping[str, Any]) -> int:
    """Percent of questions answered fully right, rounded down so that a score shown as the
    pass mark has really reached it."""
    if not questions:
        return 0
    right = sum(1 for q in questions if is_right(q, answers.get(q["key"])))
    return right * 100 // len(questions)
