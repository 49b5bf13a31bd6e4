"""Instructor-led sessions: scheduling, registration with a waiting list, attendance that
counts toward the course, reminders and calendar (.ics) files.

Seats are race-safe: every change to who holds a seat first locks the session row
(select_for_update), so two registrations, or a cancellation and a registration, arriving at
the same moment are served one after the other and a session is never overbooked. The unique
(session, user) constraint stops a double registration even without the lock.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from touchpoint.courses import actions
from touchpoint.courses.access import authored_courses, courses_visible_to, is_author
from touchpoint.courses.models import Course, Enrolment, Lesson, LessonKind, Source
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.notifications import notify
from touchpoint.orgs.models import User
from touchpoint.sessions.models import RegistrationStatus, Session, SessionKind, SessionRegistration

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RS = RegistrationStatus
# Statuses that occupy a seat. Attendance is marked only once the session has started, so
# attended/absent people still count against the seats of that session.
SEAT_HOLDERS = (RS.REGISTERED, RS.ATTENDED, RS.ABSENT)
# Statuses a person can still cancel out of.
ACTIVE = (RS.REGISTERED, RS.WAITLISTED)
SESSION_FIELDS = (
    "kind", "title", "starts_at", "ends_at", "location", "join_url", "seats", "instructor", "notes",
)  # fmt: skip
# Reminders carry this anchor in their link; finding it among a person's notifications is what
# makes the reminder job idempotent without a column of its own.
REMINDER_HORIZON = timedelta(hours=24)


# --- who may see and manage which sessions ------------------------------------------------------
def sessions_visible_to(user: User) -> QuerySet[Session]:
    """Sessions of the courses this person may see (the catalog's rules)."""
    return Session.objects.filter(course__in=courses_visible_to(user).values("pk"))


def get_session_for_user(user: User, pk: Any) -> Session:
    return get_object_or_404(
        sessions_visible_to(user).select_related("course", "instructor"), pk=pk
    )


def managed_sessions(user: User) -> QuerySet[Session]:
    """Sessions of the courses this person may author."""
    if not is_author(user):
        return Session.objects.none()
    return Session.objects.filter(course__in=authored_courses(user).values("pk"))


def get_managed_session(user: User, pk: Any) -> Session:
    return get_object_or_404(managed_sessions(user).select_related("course", "instructor"), pk=pk)


def can_manage(user: User, session: Session) -> bool:
    return is_author(user) and authored_courses(user).filter(pk=session.course_id).exists()


def instructors() -> QuerySet[User]:
    """Vendor staff who can lead a session: active people without a partner holding a role."""
    return (
        User.objects.filter(partner__isnull=True, is_active=True, staffrole__isnull=False)
        .distinct()
        .order_by("name", "email")
    )


# --- reading: seats and a person's place ---------------------------------------------------------
def with_seat_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate `taken` (seats held) and `waiting` (waiting list length) in the same query."""
    return sessions.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=SEAT_HOLDERS)),
        waiting=Count("registrations", filter=Q(registrations__status=RS.WAITLISTED)),
    )


def _taken(session: Session) -> int:
    return session.registrations.filter(status__in=SEAT_HOLDERS).count()


@dataclass
class SessionView:
    """A session as one person sees it: seats, their registration and what they may do."""

    session: Session
    registration: SessionRegistration | None
    taken: int
    waiting: int
    manager: bool = False

    @property
    def status(self) -> str:
        return self.registration.status if self.registration else ""

    @property
    def status_label(self) -> StrOrPromise:
        return RS(self.status).label if self.status else ""

    @property
    def seats_left(self) -> int:
        return max(self.session.seats - self.taken, 0)

    @property
    def is_open(self) -> bool:
        """Open for registration: not cancelled and not started yet."""
        return not self.session.is_cancelled and self.session.starts_at > timezone.now()

    @property
    def has_started(self) -> bool:
        return self.session.starts_at <= timezone.now()

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDERS

    @property
    def shows_join_link(self) -> bool:
        # The join link is a seat: only people holding one (and the trainers) get it.
        return bool(self.session.join_url) and (self.holds_seat or self.manager)

    @property
    def may_register(self) -> bool:
        return self.is_open and self.status in ("", RS.CANCELLED)

    @property
    def may_cancel(self) -> bool:
        return self.is_open and self.status in ACTIVE


def view_for(user: User, session: Session, *, manager: bool | None = None) -> SessionView:
    counts = session.registrations.aggregate(
        taken=Count("pk", filter=Q(status__in=SEAT_HOLDERS)),
        waiting=Count("pk", filter=Q(status=RS.WAITLISTED)),
    )
    registration = SessionRegistration.objects.filter(session=session, user=user).first()
    return SessionView(
        session=session,
        registration=registration,
        taken=counts["taken"],
        waiting=counts["waiting"],
        manager=can_manage(user, session) if manager is None else manager,
    )


def upcoming_for(user: User, course_id: int, limit: int = 10) -> list[SessionView]:
    """The course's sessions not yet over, with this person's registration: two queries."""
    sessions = list(
        with_seat_counts(
            Session.objects.filter(
                course_id=course_id, is_cancelled=False, ends_at__gte=timezone.now()
            )
        )
        .select_related("instructor")
        .order_by("starts_at")[:limit]
    )
    mine = {
        r.session_id: r
        for r in SessionRegistration.objects.filter(user=user, session__in=[s.pk for s in sessions])
    }
    return [
        SessionView(s, mine.get(s.pk), s.taken, s.waiting)  # type: ignore[attr-defined]
        for s in sessions
    ]


def lesson_context(user: User, enrolment: Enrolment | None, lesson: Lesson) -> dict[str, Any]:
    """What the lesson player shows for a session lesson: the upcoming sessions to pick from,
    and the session the person attended, if the trainer has marked one."""
    course_id = lesson.version.course_id
    attended = (
        SessionRegistration.objects.filter(
            user=user, session__course_id=course_id, status=RS.ATTENDED
        )
        .select_related("session")
        .order_by("-session__starts_at")
        .first()
    )
    return {
        "session_views": upcoming_for(user, course_id),
        "session_attended": attended,
        "session_can_register": enrolment is not None,
    }


# --- telling people ------------------------------------------------------------------------------
def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def when_text(session: Session, zone_name: str) -> str:
    """The session's date and times in a time zone, named, in the active language: e.g.
    "3 June 2025, 09:00-11:00 (Europe/Oslo)"."""
    zone = _zone(zone_name)
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    if start.date() == end.date():
        span = (
            f"{formats.date_format(start, 'DATE_FORMAT')}, "
            f"{formats.time_format(start, 'TIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')}"
        )
    else:
        span = (
            f"{formats.date_format(start, 'DATETIME_FORMAT')} – "
            f"{formats.date_format(end, 'DATETIME_FORMAT')}"
        )
    return f"{span} ({zone.key})"


def where_text(session: Session) -> str:
    if session.kind == SessionKind.WEBINAR:
        return _("Online: the join link is on the session page once you are registered.")
    return session.location


def _tell(
    people: Iterable[User],
    title: StrOrPromise,
    body: StrOrPromise,
    session: Session,
    *,
    url: str = "",
) -> None:
    """Notify people about a session, with its time in each person's own zone and language.
    People sharing a language and zone get one notify() call."""
    groups: dict[tuple[str, str], list[User]] = defaultdict(list)
    for person in people:
        groups[(person.language, person.time_zone)].append(person)
    for (language, zone_name), group in groups.items():
        with translation.override(language):
            params = {
                "title": session.title,
                "course": session.course.title,
                "when": when_text(session, zone_name),
                "where": where_text(session),
            }
        notify(
            group,
            "training",
            title,
            body=body,
            params=params,
            url=url or session.get_absolute_url(),
        )


CONFIRMED = (
    gettext_lazy("You are registered: %(title)s"),
    gettext_lazy("%(when)s · %(where)s"),
)
WAITLISTED = (
    gettext_lazy("You are on the waiting list: %(title)s"),
    gettext_lazy("%(when)s. We will tell you as soon as a seat frees up."),
)
PROMOTED = (
    gettext_lazy("A seat is yours: %(title)s"),
    gettext_lazy("You moved up from the waiting list. %(when)s · %(where)s"),
)
CANCELLED = (
    gettext_lazy("Cancelled: %(title)s"),
    gettext_lazy(
        "The session on %(when)s will not take place. Look for another date on the course page."
    ),
)
CHANGED = (
    gettext_lazy("Changed: %(title)s"),
    gettext_lazy("Now %(when)s · %(where)s"),
)
REMINDER = (
    gettext_lazy("Coming up: %(title)s"),
    gettext_lazy("%(when)s · %(where)s"),
)


# --- scheduling (trainers) -----------------------------------------------------------------------
def schedule_errors(session: Session, *, original: Session | None = None) -> dict[str, str]:
    """What is wrong with a session's schedule, by field. `original` is the saved session
    when editing: an unchanged start may lie in the past (fixing the notes of a session
    under way), and the seats may not drop below the people already holding one."""
    errors: dict[str, str] = {}
    if session.kind == SessionKind.CLASSROOM and not (session.location or "").strip():
        errors["location"] = _("Say where the classroom session takes place.")
    if session.kind == SessionKind.WEBINAR and not session.join_url:
        errors["join_url"] = _("Add the link people use to join the webinar.")
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    moved = original is None or original.starts_at != session.starts_at
    if session.starts_at and moved and session.starts_at < timezone.now():
        errors["starts_at"] = _("The start is in the past.")
    if session.seats is not None:
        if session.seats < 1:
            errors["seats"] = _("Offer at least one seat.")
        elif original is not None:
            taken = _taken(original)
            if session.seats < taken:
                errors["seats"] = ngettext(
                    "%(n)d person already holds a seat: keep at least %(n)d seat.",
                    "%(n)d people already hold a seat: keep at least %(n)d seats.",
                    taken,
                ) % {"n": taken}
    if session.instructor_id and not instructors().filter(pk=session.instructor_id).exists():
        errors["instructor"] = _("Choose a member of the vendor's staff.")
    return errors


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
        _tell(people, *CHANGED, session)
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
    _tell(people, *CANCELLED, session)
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
    actions.enrol(person, course, source=Source.SELF)


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
    status = RS.REGISTERED if _taken(session) < session.seats else RS.WAITLISTED
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
    _tell([person], *(CONFIRMED if status == RS.REGISTERED else WAITLISTED), session)
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
    free = session.seats - _taken(session)
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
    _tell([r.user for r in promoted], *PROMOTED, session)
    return promoted


# --- attendance (trainers) -----------------------------------------------------------------------
def roster(session: Session) -> QuerySet[SessionRegistration]:
    return session.registrations.select_related("user__partner").order_by("registered_at", "pk")


def _credit_attendance(person: User, course_id: int) -> bool:
    """Complete the session lessons of the person's current enrolment (idempotent).
    Returns True when that completed the course."""
    enrolment = Enrolment.objects.filter(user=person, course_id=course_id, is_current=True).first()
    if enrolment is None:
        return False
    finished = False
    for lesson in actions.lessons_of(enrolment):
        if lesson.kind == LessonKind.SESSION:
            finished = actions.complete_lesson(enrolment, lesson) or finished
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
                _tell([registration.user], *REMINDER, registration.session)
                sent += 1
    return sent


# --- calendar files (RFC 5545) ---------------------------------------------------------------------
def _ics_text(value: str) -> str:
    """Escape a TEXT value: backslash first, then ; , and newlines (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_time(moment: datetime) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character:
    continuation lines start with one space, which counts toward their 75."""
    if len(line.encode()) <= 75:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def calendar_file(session: Session, *, with_join_link: bool) -> str:
    """One VEVENT in a VCALENDAR. The UID is stable per session, so importing the file
    again updates the event rather than adding a second one."""
    site = settings.SITE_URL
    host = urlsplit(site).hostname or "touchpoint"
    page = site + session.get_absolute_url()
    description = [session.course.title]
    if session.instructor:
        description.append(_("Instructor: %(name)s") % {"name": session.instructor})
    if session.notes:
        description.append(session.notes)
    if with_join_link and session.join_url:
        description.append(_("Join: %(url)s") % {"url": session.join_url})
    description.append(page)
    if session.kind == SessionKind.WEBINAR:
        location = session.join_url if with_join_link else str(_("Online (webinar)"))
        url = session.join_url if with_join_link and session.join_url else page
    else:
        location, url = session.location, page
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Touchpoint//Instructor-led sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:session-{session.pk}@{host}",
        f"SEQUENCE:{session.sequence}",
        f"DTSTAMP:{_ics_time(timezone.now())}",
        f"DTSTART:{_ics_time(session.starts_at)}",
        f"DTEND:{_ics_time(session.ends_at)}",
        f"SUMMARY:{_ics_text(session.title)}",
        f"LOCATION:{_ics_text(location)}",
        f"URL:{url}",
        f"DESCRIPTION:{_ics_text(chr(10).join(description))}",
        f"STATUS:{'CANCELLED' if session.is_cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
