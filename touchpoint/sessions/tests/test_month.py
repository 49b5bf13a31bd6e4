"""The sessions calendar: a month of the instructor-led sessions a person may see, as a grid
at a desk and a list by day on a phone, each linking to its page and its calendar file."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from tests.support.courses import make_course
from touchpoint.orgs.models import Audience
from touchpoint.sessions import actions as sessions
from touchpoint.sessions.models import Session, SessionKind


def schedule(personas, course, title: str, starts_at: datetime, **fields) -> Session:
    return sessions.schedule_session(
        personas.mia,
        Session(course=course, kind=SessionKind.CLASSROOM, title=title, starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3), location="Rutland", seats=10,
                instructor=personas.mia, **fields),
    )  # fmt: skip


def test_bob_sees_the_months_sessions_he_may_attend(personas):
    p = personas
    tz = timezone.get_current_timezone()
    open_course = make_course(p.mia, "X200 workshop", ["session"])
    birchwood = Audience.objects.create()
    birchwood.partners.add(p.dealer_b)
    theirs = make_course(p.mia, "Birchwood only", ["session"], audience=birchwood)
    workshop = schedule(
        p, open_course, "X200 workshop, Rutland", datetime(2031, 3, 12, 9, tzinfo=tz)
    )
    schedule(p, open_course, "April workshop", datetime(2031, 4, 20, 9, tzinfo=tz))
    schedule(p, theirs, "Birchwood evening", datetime(2031, 3, 20, 18, tzinfo=tz))
    called_off = schedule(p, open_course, "Called off", datetime(2031, 3, 14, 9, tzinfo=tz))
    sessions.cancel_session(p.mia, called_off)

    page = p.client(p.bob).get("/learn/sessions/?month=2031-03").content.decode()

    assert "March 2031" in page
    assert page.count(f'href="{workshop.get_absolute_url()}"') == 2  # in the grid and the list
    assert f'href="/learn/sessions/{workshop.pk}/calendar.ics"' in page
    assert "April workshop" not in page and "Birchwood evening" not in page
    assert "Called off" not in page
    assert 'href="?month=2031-02"' in page and 'href="?month=2031-04"' in page


def test_it_opens_on_this_month_and_ignores_a_month_that_is_not_one(personas):
    bob = personas.client(personas.bob)
    today = timezone.localdate()

    for query in ("", "?month=2031-13", "?month=soon"):
        page = bob.get(f"/learn/sessions/{query}")
        assert page.status_code == 200
        assert today.strftime("%B %Y") in page.content.decode()
