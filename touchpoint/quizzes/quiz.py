"""Quizzes: the question bank's rules, drawing an attempt, submitting and scoring it, the
review afterwards, and what the lesson player shows about a quiz lesson.

An attempt keeps a snapshot of what it showed (`QuizAttempt.questions`): texts, choices
under per-attempt opaque ids, and the correct answers. Only texts and those ids ever reach
the browser before submission (`shown_questions`); the correct answers and explanations
leave the server only in the review of a closed attempt (`review`).

The server is the only clock: an attempt with a time limit has a `deadline_at`, and answers
arriving after it (plus a short grace for the network) are not scored.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from touchpoint.courses import actions
from touchpoint.courses.access import authored_courses
from touchpoint.courses.models import Course, Enrolment, Lesson, LessonProgress
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.orgs.models import User
from touchpoint.quizzes.models import AttemptStatus, Choice, Question, QuestionKind, QuizAttempt

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


# --- the question bank -----------------------------------------------------------------------
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


@transaction.atomic
def save_question(
    actor: User,
    question: Question,
    choices: Sequence[ChoiceInput],
    *,
    statement: bool | None = None,
) -> Question:
    """Create or change a question and replace its choices with `choices` (in that order).
    A true-or-false question given no choices gets True and False, one of them correct as
    `statement` says. Attempts already made keep their own copy, so nothing changes them."""
    problems = question_problems(question.kind, choices, question.accepted_answers, statement)
    if problems:
        raise ValidationError(problems)
    if question.kind == QuestionKind.TRUE_FALSE and not choices:
        choices = [
            ChoiceInput(_("True"), statement is True),
            ChoiceInput(_("False"), statement is False),
        ]
    question.accepted_answers = "\n".join(accepted_lines(question.accepted_answers))
    created = question.pk is None
    before: dict[str, Any] = {}
    if created:
        question.position = actions.next_position(Question.objects.filter(course=question.course))
    else:
        before = question_snapshot(Question.objects.get(pk=question.pk))
    question.full_clean()
    question.save()
    existing = {c.pk: c for c in question.choices.all()}
    kept: set[int] = set()
    for position, item in enumerate(choices, start=1):
        choice = existing.get(item.pk) if item.pk is not None else None
        if choice is None:
            choice = Choice(question=question)
        choice.text, choice.is_correct, choice.position = item.text, item.is_correct, position
        choice.save()
        kept.add(choice.pk)
    question.choices.exclude(pk__in=kept).delete()
    after = question_snapshot(question)
    if created:
        audit.record(actor, "question.created", question, after=after)
    elif after != before:
        audit.record(actor, "question.updated", question, before=before, after=after)
    return question


def attempts_showing(question: Question) -> QuerySet[QuizAttempt]:
    """Attempts whose snapshot includes this question."""
    attempts = QuizAttempt.objects.filter(enrolment__course_id=question.course_id)
    if connection.features.supports_json_field_contains:
        return attempts.filter(questions__contains=[{"id": question.pk}])
    # SQLite has no JSON containment lookup in Django; its json_each does the same job.
    table = QuizAttempt._meta.db_table
    shown = RawSQL(  # noqa: S611 - the table name is ours, the id goes in as a parameter
        f"EXISTS (SELECT 1 FROM json_each({table}.questions) "  # noqa: S608
        "WHERE json_extract(json_each.value, '$.id') = %s)",
        (question.pk,),
        output_field=BooleanField(),
    )
    return attempts.alias(shown=shown).filter(shown=True)


@transaction.atomic
def remove_question(actor: User, question: Question) -> bool:
    """Delete a question nobody has been asked yet; one that appears in attempts is taken
    out of use instead, so the record of what people were asked stays whole. Returns True
    when the question was deleted."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    before = question_snapshot(question)
    if attempts_showing(question).exists():
        if question.is_active:
            question.is_active = False
            question.save(update_fields=["is_active"])
            audit.record(
                actor,
                "question.deactivated",
                question,
                before={"is_active": True},
                after={"is_active": False},
            )
        return False
    audit.record(actor, "question.deleted", question, before=before)
    question.delete()
    return True


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


# --- attempts -----------------------------------------------------------------------------------
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


def is_overdue(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Past the deadline and its grace: answers arriving now are not scored."""
    now = now or timezone.now()
    return attempt.deadline_at is not None and now > attempt.deadline_at + GRACE


def _expire(attempt: QuizAttempt, lesson: Lesson) -> None:
    """Close a locked, open attempt whose time ran out: not scored, not passed."""
    attempt.status = AttemptStatus.EXPIRED
    attempt.passed = False
    attempt.score = None
    # It ended at the deadline, not when someone next looked: the cool-down counts from there.
    attempt.submitted_at = attempt.deadline_at
    attempt.save(update_fields=["status", "passed", "score", "submitted_at"])
    enrolment = attempt.enrolment
    record_event(
        enrolment.user,
        "failed",
        lesson,
        name=lesson.title,
        extra={
            "course": enrolment.course_id,
            "attempt": attempt.number,
            "score": None,
            "expired": True,
        },
    )


def expire_overdue(enrolment: Enrolment, lesson: Lesson) -> None:
    """Close this person's open attempt at the quiz if its time ran out while they were away."""
    now = timezone.now()
    overdue = QuizAttempt.objects.filter(
        enrolment=enrolment,
        lesson_key=lesson.key,
        status=AttemptStatus.OPEN,
        deadline_at__lt=now - GRACE,
    )
    if not overdue.exists():  # the usual case: a plain read, no transaction
        return
    with transaction.atomic():
        for attempt in overdue.select_for_update(of=("self",)).select_related("enrolment__user"):
            _expire(attempt, lesson)


def close_if_overdue(attempt: QuizAttempt) -> QuizAttempt:
    """The attempt, expired first if its time ran out while nobody submitted it."""
    if attempt.status != AttemptStatus.OPEN or not is_overdue(attempt):
        return attempt  # the usual case: no lock, no transaction
    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",))
            .select_related("enrolment__user", "enrolment__course")
            .get(pk=attempt.pk)
        )
        if attempt.status == AttemptStatus.OPEN and is_overdue(attempt):
            _expire(attempt, attempt_lesson(attempt))
    return attempt


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


def _history(enrolment: Enrolment, lesson: Lesson) -> QuerySet[QuizAttempt]:
    """A person's attempts at a quiz, newest first, without the questions and answers."""
    return QuizAttempt.objects.filter(enrolment=enrolment, lesson_key=lesson.key).defer(
        "questions", "answers"
    )


def _progress(enrolment: Enrolment, lesson: Lesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(enrolment=enrolment, lesson_key=lesson.key).first()


@transaction.atomic
def start_attempt(enrolment: Enrolment, lesson: Lesson) -> QuizAttempt:
    """Start an attempt at a quiz, or return the one in progress (a double click or a second
    tab resumes it). Raises ValidationError saying why when no attempt may start."""
    # The enrolment row lock makes concurrent starts take turns; the unique constraints on
    # attempts back it up where the database has no row locks (SQLite).
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=enrolment.pk)
    )
    if not enrolment.is_current:
        raise ValidationError(_("Enrol in the course again to take this quiz."))
    expire_overdue(enrolment, lesson)
    attempts = list(_history(enrolment, lesson))
    in_progress = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    if in_progress is not None:
        return in_progress
    pool_size = question_pool(lesson).count()
    progress = _progress(enrolment, lesson)
    blocker = start_blocker(
        lesson, attempts, pool_size, completed=bool(progress and progress.completed_at)
    )
    if blocker:
        raise ValidationError(blocker)
    now = timezone.now()
    number = (max((a.number for a in attempts), default=0)) + 1
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                enrolment=enrolment,
                lesson_key=lesson.key,
                number=number,
                started_at=now,
                deadline_at=now + timedelta(minutes=lesson.time_limit_minutes)
                if lesson.time_limit_minutes
                else None,
                questions=draw(lesson),
            )
    except IntegrityError:  # started at the same moment in another tab
        existing = QuizAttempt.objects.filter(
            enrolment=enrolment, lesson_key=lesson.key, status=AttemptStatus.OPEN
        ).first()
        if existing is None:
            raise ValidationError(_("Another attempt started at the same moment.")) from None
        return existing
    record_event(
        enrolment.user,
        "attempted",
        lesson,
        name=lesson.title,
        extra={"course": enrolment.course_id, "attempt": number},
    )
    return attempt


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


@transaction.atomic
def submit_attempt(attempt: QuizAttempt, responses: Mapping[str, Sequence[str]]) -> QuizAttempt:
    """Score an open attempt. A second submit (double click, another tab) returns the
    attempt as the first left it; answers after the deadline expire it unscored. Passing
    completes the lesson, which may complete the course and award certifications."""
    attempt = (
        QuizAttempt.objects.select_for_update(of=("self",))
        .select_related("enrolment__user", "enrolment__course")
        .get(pk=attempt.pk)
    )
    if attempt.status != AttemptStatus.OPEN:
        return attempt
    lesson = attempt_lesson(attempt)
    now = timezone.now()
    if is_overdue(attempt, now):
        _expire(attempt, lesson)
        return attempt
    # Once time is up (within the grace) an unfinished quiz is scored as it stands: that is
    # what the countdown's own submit sends.
    time_is_up = attempt.deadline_at is not None and now >= attempt.deadline_at - TIMER_SLACK
    answers = read_answers(attempt.questions, responses, allow_blanks=time_is_up)
    attempt.answers = answers
    attempt.score = score(attempt.questions, answers)
    attempt.passed = attempt.score >= lesson.pass_mark
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = now
    attempt.save(update_fields=["answers", "score", "passed", "status", "submitted_at"])
    enrolment = attempt.enrolment
    record_event(
        enrolment.user,
        "passed" if attempt.passed else "failed",
        lesson,
        name=lesson.title,
        extra={"course": enrolment.course_id, "attempt": attempt.number, "score": attempt.score},
    )
    if attempt.passed:
        actions.complete_lesson(enrolment, lesson, score=attempt.score)
    return attempt


# --- what pages show ------------------------------------------------------------------------------
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
        panel.can_edit_bank = authored_courses(user).filter(pk=course_id).exists()
        return panel
    expire_overdue(enrolment, lesson)
    attempts = list(_history(enrolment, lesson))
    closed = [a for a in attempts if a.status != AttemptStatus.OPEN]
    now = timezone.now()
    panel.attempts = closed
    panel.open_attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    progress = _progress(enrolment, lesson)
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
