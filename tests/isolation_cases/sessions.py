"""Isolation cases for instructor-led sessions: a session of a Sales course meant only for
Birchwood, in which Carol holds a seat. Nobody outside Birchwood reaches the learner pages
(Carol does); the trainer pages are for the course's authors (Mia, the trainer; Sol only on
his own department's course), never for a partner person or a channel manager."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.courses import make_course
from touchpoint.courses.models import Course
from touchpoint.orgs.models import Audience, User
from touchpoint.sessions import actions as sessions
from touchpoint.sessions.models import Session, SessionKind


def birchwood_course(p: Personas, department: str = "Sales") -> Course:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    return make_course(
        p.mia, "Birchwood bench day", ["text", "session"], audience=audience,
        department=department,
    )  # fmt: skip


def birchwood_session(p: Personas, department: str = "Sales") -> Session:
    start = timezone.now() + timedelta(days=7)
    session = sessions.schedule_session(
        p.mia,
        Session(
            course=birchwood_course(p, department),
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


def aftermarket_course(p: Personas) -> Course:
    return birchwood_course(p, "Aftermarket")


def aftermarket_session(p: Personas) -> Session:
    return birchwood_session(p, "Aftermarket")


def birchwood_session_under_way(p: Personas) -> Session:
    """Attendance is marked once a session has started."""
    session = birchwood_session(p)
    start = timezone.now() - timedelta(hours=1)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    session.refresh_from_db()
    return session


def not_birchwood(p: Personas) -> list[User]:
    return [p.alice, p.bob, p.hannah, p.ingrid, p.evan]


def not_trainers(p: Personas) -> list[User]:
    # Partner people (Carol, who holds a seat, among them) and the channel managers.
    return [p.alice, p.bob, p.carol, p.dana, p.evan]


def not_sales_trainers(p: Personas) -> list[User]:
    return [*not_trainers(p), p.sol]


def carol(p: Personas) -> User:
    return p.carol


def mia(p: Personas) -> User:
    return p.mia


def sol(p: Personas) -> User:
    return p.sol


def learner(method: str = "get") -> Case:
    return Case(birchwood_session, carol, method, outsiders=not_birchwood)


def trainer(target: Any, method: str = "get") -> Case:
    return Case(target, mia, method, outsiders=not_sales_trainers)


CASES = {
    "sessions:session_detail": learner(),
    "sessions:session_register": learner("post"),
    "sessions:session_cancel": learner("post"),
    "sessions:session_ics": learner(),
    "sessions:session_list": [
        trainer(birchwood_course),
        Case(aftermarket_course, sol, outsiders=not_trainers),
    ],
    "sessions:session_create": trainer(birchwood_course),
    "sessions:session_manage": [
        trainer(birchwood_session),
        Case(aftermarket_session, sol, outsiders=not_trainers),
    ],
    "sessions:session_manage_cancel": trainer(birchwood_session, "post"),
    "sessions:session_attendance": trainer(birchwood_session_under_way),
}
