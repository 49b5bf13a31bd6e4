"""Seats and a person's place in a session: seats taken and the waiting list, what one person
sees of a session and may do with it, the roster, and the session lesson in the player."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from touchpoint.courses.models import Enrolment, Lesson
from touchpoint.orgs.models import User
from touchpoint.sessions.models import (
    ACTIVE,
    SEAT_HOLDERS,
    RegistrationStatus,
    Session,
    SessionRegistration,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RS = RegistrationStatus


def seats_taken(session: Session) -> int:
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
        manager=Session.objects.manageable_by(user).filter(pk=session.pk).exists()
        if manager is None
        else manager,
    )


def upcoming_for(user: User, course_id: int, limit: int = 10) -> list[SessionView]:
    """The course's sessions not yet over, with this person's registration: two queries."""
    sessions = list(
        Session.objects.filter(course_id=course_id, is_cancelled=False, ends_at__gte=timezone.now())
        .with_seat_counts()
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


def roster(session: Session) -> QuerySet[SessionRegistration]:
    return session.registrations.select_related("user__partner").order_by("registered_at", "pk")
