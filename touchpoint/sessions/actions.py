"""Writes for instructor-led sessions: scheduling, changing and calling off sessions,
registration with a waiting list, attendance that counts toward the course, and reminders.

Seats are race-safe: every change to who holds a seat first locks the session row
(select_for_update), so two registrations, or a cancellation and a registration, arriving at
the same moment are served one after the other and a session is never overbooked. The unique
(session, user) constraint stops a double registration even without the lock.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touchpoint.courses import actions as courses
from touchpoint.courses.models import Course, Enrolment, LessonKind, Source
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.orgs.models import User
from touchpoint.sessions.models import (
    ACTIVE,
    SEAT_HOLDERS,
    RegistrationStatus,
    Session,
    SessionRegistration,
)
from touchpoint.sessions.notices import (
    CANCELLED,
    CHANGED,
    CONFIRMED,
    PROMOTED,
    REMINDER,
    WAITLISTED,
    tell,
)
from touchpoint.sessions.schedule import schedule_errors
from touchpoint.sessions.seats import seats_taken

RS = RegistrationStatus
SESSION_FIELDS = (
    "kind", "title", "starts_at", "ends_at", "location", "join_url", "seats", "instructor", "notes",
)  # fmt: skip
# Reminders go out for sessions starting within this long.
REMINDER_HORIZON = timedelta(hours=24)


# --- scheduling (trainers) -----------------------------------------------------------------------
def _check(session: Session, original: Session | None = None) -> None:
    errors = schedule_errors(session, original=original)
    if errors:
        raise ValidationError(errors)
    session.full_clean()


@transaction.atomic
def schedule_session(actor: User, session: Session) -> Session:
    """A trainer schedules a session of a course they may author."""
    _check(session)
    session.is_cancelled = False
    session.save()
    audit.record(actor, "session.created", session, after=audit.snapshot(session, SESSION_FIELDS))
    return session


@transaction.atomic
def update_session(actor: User, session: Session) -> Session:
    """Save a trainer's changes. People holding a seat or waiting are told when the time or
    place changes; more seats move people up from the waiting list."""
    original = (
        Session.objects.select_for_update(of=("self",))
        .select_related("instructor")
        .get(pk=session.pk)
    )
    if original.is_cancelled:
        raise ValidationError(_("This session is cancelled: schedule a new one instead."))
    _check(session, original)
    session.save()
    before = audit.snapshot(original, SESSION_FIELDS)
    after = audit.snapshot(session, SESSION_FIELDS)
    if before == after:
        return session
    audit.record(actor, "session.updated", session, before=before, after=after)
    place = ("starts_at", "ends_at", "kind", "location", "join_url")
    if any(before[f] != after[f] for f in place):
        Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)
        # A new time is worth a new reminder.
        SessionRegistration.objects.filter(session=session).update(reminded_at=None)
        people = User.objects.filter(
            session_registrations__session=session, session_registrations__status__in=ACTIVE
        )
        tell(people, *CHANGED, session)
    if session.seats > original.seats:
        _fill_seats(session)
    return session


@transaction.atomic
def cancel_session(actor: User, session: Session) -> int:
    """Call a session off and tell everyone registered or waiting; returns how many."""
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    )
    if session.is_cancelled:
        return 0
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has started; it can no longer be cancelled."))
    session.is_cancelled = True
    session.sequence += 1
    session.save(update_fields=["is_cancelled", "sequence"])
    people = list(
        User.objects.filter(
            session_registrations__session=session, session_registrations__status__in=ACTIVE
        )
    )
    # Registrations are kept as they were, so the roster shows who was affected.
    tell(people, *CANCELLED, session)
    audit.record(actor, "session.cancelled", session, after={"people_told": len(people)})
    return len(people)


# --- registering (learners) ----------------------------------------------------------------------
def _lock(session: Session) -> Session:
    """The session row, locked until the end of the transaction: the one gate every change
    to its seats goes through. Only this row: the course stays free for other sessions."""
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("course__published_version")
        .get(pk=session.pk)
    )


def _ensure_enrolled(person: User, course: Course) -> None:
    """Sessions are part of a course: register only people enrolled, enrolling those who may
    enrol themselves."""
    if Enrolment.objects.filter(user=person, course=course, is_current=True).exists():
        return
    if not course.self_enrol:
        raise ValidationError(
            _(
                "This course is assigned by your manager or the vendor: you can register for "
                "its sessions once it has been assigned to you."
            )
        )
    courses.enrol(person, course, source=Source.SELF)


ALREADY = {
    RS.REGISTERED: gettext_lazy("You are already registered for this session."),
    RS.WAITLISTED: gettext_lazy("You are already on the waiting list for this session."),
    RS.ATTENDED: gettext_lazy("You have already attended this session."),
    RS.ABSENT: gettext_lazy("This session has already taken place."),
}


@transaction.atomic
def register(person: User, session: Session) -> SessionRegistration:
    """Take a seat, or a place on the waiting list when the session is full."""
    session = _lock(session)
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started: registration is closed."))
    registration = SessionRegistration.objects.filter(session=session, user=person).first()
    if registration is not None and registration.status != RS.CANCELLED:
        raise ValidationError(str(ALREADY[RS(registration.status)]))
    _ensure_enrolled(person, session.course)
    status = RS.REGISTERED if seats_taken(session) < session.seats else RS.WAITLISTED
    if registration is None:
        try:
            with transaction.atomic():
                registration = SessionRegistration.objects.create(
                    session=session, user=person, status=status
                )
        except IntegrityError:  # belt and braces: the lock above already serialises this
            raise ValidationError(str(ALREADY[RS.REGISTERED])) from None
    else:
        # Coming back after cancelling: to the back of the queue, like anyone new.
        registration.status = status
        registration.registered_at = timezone.now()
        registration.save(update_fields=["status", "registered_at", "updated_at"])
    record_event(person, "registered", session, extra={"status": status})
    tell([person], *(CONFIRMED if status == RS.REGISTERED else WAITLISTED), session)
    return registration


@transaction.atomic
def cancel_registration(person: User, session: Session) -> list[SessionRegistration]:
    """Give up a seat (or a waiting-list place); the first people waiting move up into the
    seats freed. Returns the registrations promoted."""
    session = _lock(session)
    registration = SessionRegistration.objects.filter(
        session=session, user=person, status__in=ACTIVE
    ).first()
    if registration is None:
        raise ValidationError(_("You are not registered for this session."))
    if session.starts_at <= timezone.now():
        raise ValidationError(
            _("The session has started: ask the trainer to change your registration.")
        )
    held_seat = registration.status == RS.REGISTERED
    registration.status = RS.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    return _fill_seats(session) if held_seat else []


def _fill_seats(session: Session) -> list[SessionRegistration]:
    """Move people up from the waiting list, first come first served, into free seats.
    The caller holds the session's row lock."""
    if session.is_cancelled or session.starts_at <= timezone.now():
        return []
    free = session.seats - seats_taken(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=RS.WAITLISTED)
        .select_related("user")
        .order_by("registered_at", "pk")[:free]
    )
    SessionRegistration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=RS.REGISTERED, updated_at=timezone.now()
    )
    for registration in promoted:
        registration.status = RS.REGISTERED
    tell([r.user for r in promoted], *PROMOTED, session)
    return promoted


# --- attendance (trainers) -----------------------------------------------------------------------
def _credit_attendance(person: User, course_id: int) -> bool:
    """Complete the session lessons of the person's current enrolment (idempotent).
    Returns True when that completed the course."""
    enrolment = Enrolment.objects.filter(user=person, course_id=course_id, is_current=True).first()
    if enrolment is None:
        return False
    finished = False
    for lesson in courses.lessons_of(enrolment):
        if lesson.kind == LessonKind.SESSION:
            finished = courses.complete_lesson(enrolment, lesson) or finished
    return finished


@transaction.atomic
def mark_attendance(actor: User, session: Session, marks: dict[int, str]) -> int:
    """Record who attended (registration id -> attended/absent). Attending completes the
    course's session lessons; marking again changes nothing. Absent after attended keeps
    the completed lesson (progress is never taken back). Returns how many changed."""
    session = _lock(session)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be marked once the session has started."))
    changes: dict[str, str] = {}
    registrations = session.registrations.filter(
        pk__in=list(marks), status__in=SEAT_HOLDERS
    ).select_related("user")
    for registration in registrations:
        status = marks[registration.pk]
        if status not in (RS.ATTENDED, RS.ABSENT):
            continue
        if status == RS.ATTENDED:
            _credit_attendance(registration.user, session.course_id)
        if registration.status != status:
            registration.status = status
            registration.save(update_fields=["status", "updated_at"])
            changes[registration.user.email] = status
    if changes:
        audit.record(actor, "session.attendance", session, after=changes)
    return len(changes)


# --- reminders -----------------------------------------------------------------------------------
def remind_upcoming() -> int:
    """Remind people holding a seat of sessions starting within 24 hours, once each."""
    now = timezone.now()
    due = SessionRegistration.objects.filter(
        status=RS.REGISTERED,
        reminded_at__isnull=True,
        user__is_active=True,
        session__is_cancelled=False,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMINDER_HORIZON,
    ).select_related("session__course", "user")
    sent = 0
    for registration in due:
        with transaction.atomic():
            # Claimed first, so two workers never remind the same person twice.
            claimed = SessionRegistration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                tell([registration.user], *REMINDER, registration.session)
                sent += 1
    return sent
