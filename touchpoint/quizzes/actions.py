"""Writes for quizzes: saving and removing questions of a course's bank, starting an attempt,
scoring the answers, and closing attempts whose time ran out.

Starting and submitting are race-safe: the enrolment (or attempt) row is locked while it
changes, and unique constraints hold one open attempt per person and quiz, so a double click
or a second tab resumes or returns what the first left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from touchpoint.courses import actions as courses
from touchpoint.courses.models import Enrolment, Lesson
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.orgs.models import User
from touchpoint.quizzes.attempts import (
    GRACE,
    TIMER_SLACK,
    attempt_lesson,
    draw,
    history,
    is_overdue,
    lesson_progress,
    read_answers,
    score,
    start_blocker,
)
from touchpoint.quizzes.bank import (
    ChoiceInput,
    accepted_lines,
    question_pool,
    question_problems,
    question_snapshot,
)
from touchpoint.quizzes.models import AttemptStatus, Choice, Question, QuestionKind, QuizAttempt


# --- the question bank ----------------------------------------------------------------------------
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
        question.position = courses.next_position(Question.objects.filter(course=question.course))
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


@transaction.atomic
def remove_question(actor: User, question: Question) -> bool:
    """Delete a question nobody has been asked yet; one that appears in attempts is taken
    out of use instead, so the record of what people were asked stays whole. Returns True
    when the question was deleted."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    before = question_snapshot(question)
    if QuizAttempt.objects.showing(question).exists():
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


# --- attempts -------------------------------------------------------------------------------------
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
    """Close this person's open attempt at the quiz if its time ran out while they were away
    (pages already show it so: quizzes.attempts.as_it_stands)."""
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
    attempts = list(history(enrolment, lesson))
    in_progress = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    if in_progress is not None:
        return in_progress
    pool_size = question_pool(lesson).count()
    progress = lesson_progress(enrolment, lesson)
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
        courses.complete_lesson(enrolment, lesson, score=attempt.score)
    return attempt
