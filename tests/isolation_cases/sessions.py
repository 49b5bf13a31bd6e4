"""Isolation cases for instructor-led sessions: a session of a course meant only for
Birchwood, in which Carol holds a seat. Alice gets the same 404 as for a missing session;
Carol reaches the learner pages and Mia (the trainer) the trainer pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.courses import make_course
from touchpoint.courses.models import Course
from touchpoint.orgs.models import Audience
from touchpoint.sessions import actions as sessions
from touchpoint.sessions.models import Session, SessionKind


def birchwood_course(p: Personas) -> Course:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    return make_course(p.mia, "Birchwood bench day", ["text", "session"], audience=audience)


def birchwood_session(p: Personas) -> Session:
    start = timezone.now() + timedelta(days=7)
    session = sessions.schedule_session(
        p.mia,
        Session(
            course=birchwood_course(p),
            kind=SessionKind.CLASSROOM,
            title="Birchwood bench day",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            location="Birchwood Power & Garden, workshop",
            seats=8,
            instructor=p.mia,
        ),
    )
    sessions.register(p.carol, session)
    return session


def birchwood_session_under_way(p: Personas) -> Session:
    """Attendance is marked once a session has started."""
    session = birchwood_session(p)
    start = timezone.now() - timedelta(hours=1)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    session.refresh_from_db()
    return session


def course_of(session: Session) -> list[int]:
    return [session.course_id]


def carol(p: Personas) -> object:
    return p.carol


def mia(p: Personas) -> object:
    return p.mia


CASES = {
    "sessions:session_detail": Case(birchwood_session, carol),
    "sessions:session_register": Case(birchwood_session, carol, "post"),
    "sessions:session_cancel": Case(birchwood_session, carol, "post"),
    "sessions:session_ics": Case(birchwood_session, carol),
    "sessions:session_list": Case(birchwood_course, mia),
    "sessions:session_create": Case(birchwood_course, mia),
    "sessions:session_manage": Case(birchwood_session, mia),
    "sessions:session_manage_cancel": Case(birchwood_session, mia, "post"),
    "sessions:session_attendance": Case(birchwood_session_under_way, mia),
}
