"""Instructor-led sessions: Mia schedules a workshop, Alder Creek's people register, the
waiting list moves up when someone drops out, Mia marks attendance and that completes the
course; calendar files, reminders, and who may see what."""

from __future__ import annotations

import os
import threading
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.support import factories as f
from tests.support.courses import make_course
from touchpoint.courses import actions
from touchpoint.courses.models import Enrolment, EnrolmentStatus, Lesson, LessonProgress, Source
from touchpoint.kernel.models import AuditEntry, Notification
from touchpoint.orgs.models import Audience
from touchpoint.sessions import actions as sessions
from touchpoint.sessions import calendar
from touchpoint.sessions.models import RegistrationStatus, Session, SessionKind, SessionRegistration
from touchpoint.sessions.tasks import send_session_reminders

RS = RegistrationStatus
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def next_week() -> datetime:
    return (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)


@pytest.fixture
def course(personas):
    return make_course(personas.mia, "X200 hands-on workshop", ["text", "session"])


def schedule(personas, course, **fields) -> Session:
    start = fields.pop("starts_at", next_week())
    values = {
        "course": course,
        "kind": SessionKind.CLASSROOM,
        "title": "X200 workshop, Rutland",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "location": "Alder Creek – Rutland, 12 Main St",
        "seats": 10,
        "instructor": personas.mia,
        **fields,
    }
    return sessions.schedule_session(personas.mia, Session(**values))


def titles(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("title", flat=True))


def move_to_the_past(session: Session, started_hours_ago: int = 1) -> None:
    """Sessions cannot be scheduled in the past; time passing is simulated in the database."""
    start = timezone.now() - timedelta(hours=started_hours_ago)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    session.refresh_from_db()


def session_form(**overrides) -> dict[str, str]:
    start = next_week().astimezone(OSLO).replace(hour=9, minute=0)
    data = {
        "kind": "classroom",
        "title": "X200 workshop",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Ridgeline training centre",
        "join_url": "",
        "seats": "12",
        "instructor": "",
        "notes": "",
    }
    return {**data, **overrides}


# --- scheduling ------------------------------------------------------------------------------------
def test_mia_schedules_a_session_in_her_own_time_zone(personas, course):
    p = personas
    p.mia.time_zone = "Europe/Oslo"
    p.mia.save()
    mia = p.client(p.mia)
    page = mia.get(reverse("sessions:session_create", args=[course.pk]))
    assert page.status_code == 200 and "Europe/Oslo" in page.content.decode()
    data = session_form(instructor=str(p.mia.pk))
    response = mia.post(reverse("sessions:session_create", args=[course.pk]), data)
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "sessions:session_manage", args=[session.pk]
    )
    typed = datetime.strptime(data["starts_at"], "%Y-%m-%dT%H:%M").replace(tzinfo=OSLO)
    assert session.starts_at == typed  # stored aware: 09:00 in Oslo, whatever UTC says
    assert session.starts_at.utcoffset() is not None
    assert AuditEntry.objects.filter(action="session.created", actor=p.mia).exists()
    # The edit form shows the time back as she typed it.
    manage = mia.get(reverse("sessions:session_manage", args=[session.pk])).content.decode()
    assert f'value="{data["starts_at"]}"' in manage


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"location": ""}, "location", "Say where"),
        ({"kind": "webinar", "location": "", "join_url": ""}, "join_url", "join the webinar"),
        ({"seats": "0"}, "seats", "at least one seat"),
        (
            {"starts_at": "2020-01-01T09:00", "ends_at": "2020-01-01T10:00"},
            "starts_at",
            "in the past",
        ),
    ],
)
def test_scheduling_refuses_what_cannot_work(personas, course, overrides, field, message):
    mia = personas.client(personas.mia)
    response = mia.post(
        reverse("sessions:session_create", args=[course.pk]), session_form(**overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Session.objects.exists()


def test_a_session_must_end_after_it_starts(personas, course):
    data = session_form()
    data["ends_at"] = data["starts_at"]
    response = personas.client(personas.mia).post(
        reverse("sessions:session_create", args=[course.pk]), data
    )
    assert response.context["form"].errors["ends_at"] == ["The session must end after it starts."]
    with pytest.raises(
        ValidationError, match="end after it starts"
    ):  # the rule holds outside forms too
        schedule(personas, course, ends_at=next_week() - timedelta(hours=1))


def test_the_instructor_is_a_member_of_the_vendors_staff(personas, course):
    with pytest.raises(ValidationError, match="vendor's staff"):
        schedule(personas, course, instructor=personas.alice)


def test_editing_the_time_tells_the_people_registered(personas, course):
    p = personas
    session = schedule(p, course)
    sessions.register(p.bob, session)
    response = p.client(p.mia).post(
        reverse("sessions:session_manage", args=[session.pk]),
        session_form(title=session.title, starts_at=(next_week() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
                     ends_at=(next_week() + timedelta(days=1, hours=2)).strftime("%Y-%m-%dT%H:%M"), seats="10"),
    )  # fmt: skip
    assert response.status_code == 302
    assert "Changed: X200 workshop, Rutland" in titles(p.bob)
    assert AuditEntry.objects.filter(action="session.updated").exists()


def test_seats_cannot_drop_below_the_people_holding_one_and_more_seats_move_people_up(
    personas, course
):
    p = personas
    session = schedule(p, course, seats=2)
    for person in (p.bob, p.alice, p.hannah):
        sessions.register(person, session)
    form = session_form(title=session.title, location=session.location, seats="1")
    form.update(
        starts_at=session.starts_at.strftime("%Y-%m-%dT%H:%M"),
        ends_at=session.ends_at.strftime("%Y-%m-%dT%H:%M"),
    )
    response = p.client(p.mia).post(reverse("sessions:session_manage", args=[session.pk]), form)
    assert response.context["form"].errors["seats"] == [
        "2 people already hold a seat: keep at least 2 seats."
    ]
    session.seats = 1
    with pytest.raises(ValidationError, match="2 people already hold a seat"):  # outside forms too
        sessions.update_session(p.mia, session)
    session.seats = 3
    sessions.update_session(p.mia, session)
    assert SessionRegistration.objects.get(user=p.hannah).status == RS.REGISTERED
    assert "A seat is yours: X200 workshop, Rutland" in titles(p.hannah)


# --- registering -----------------------------------------------------------------------------------
def test_bob_registers_and_is_enrolled_in_the_course_on_the_way(personas, course):
    p = personas
    session = schedule(p, course)
    bob = p.client(p.bob)
    response = bob.post(reverse("sessions:session_register", args=[session.pk]))
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert SessionRegistration.objects.get(user=p.bob).status == RS.REGISTERED
    assert Enrolment.objects.get(user=p.bob, course=course).source == Source.SELF
    assert "You are registered: X200 workshop, Rutland" in titles(p.bob)
    page = bob.get(session.get_absolute_url()).content.decode()
    assert "You have a seat" in page and "9 of 10 seats left" in page


def test_registering_twice_gives_a_clear_message(personas, course):
    p = personas
    session = schedule(p, course)
    bob = p.client(p.bob)
    bob.post(reverse("sessions:session_register", args=[session.pk]))
    response = bob.post(reverse("sessions:session_register", args=[session.pk]), follow=True)
    assert "You are already registered for this session." in response.content.decode()
    assert SessionRegistration.objects.filter(user=p.bob).count() == 1


def test_an_assigned_course_takes_registrations_once_it_is_assigned(personas):
    p = personas
    course = make_course(p.mia, "Warranty claims", ["session"], self_enrol=False)
    session = schedule(p, course)
    with pytest.raises(ValidationError, match="assigned by your manager or the vendor"):
        sessions.register(p.bob, session)
    page = p.client(p.bob).get(session.get_absolute_url()).content.decode()
    assert "once it has been assigned to you" in page and "Register</button>" not in page
    actions.assign(p.alice, [p.bob], course, None)
    assert sessions.register(p.bob, session).status == RS.REGISTERED


def test_cancelled_and_started_sessions_take_no_registrations(personas, course):
    p = personas
    called_off = schedule(p, course)
    sessions.cancel_session(p.mia, called_off)
    with pytest.raises(ValidationError, match="cancelled"):
        sessions.register(p.bob, called_off)
    under_way = schedule(p, course)
    move_to_the_past(under_way)
    with pytest.raises(ValidationError, match="already started"):
        sessions.register(p.bob, under_way)
    with pytest.raises(ValidationError, match="has started"):  # nor can it be called off now
        sessions.cancel_session(p.mia, under_way)
    assert not SessionRegistration.objects.exists()


def test_a_full_session_has_a_waiting_list_that_moves_up_when_someone_cancels(personas, course):
    p = personas
    session = schedule(p, course, seats=1)
    assert sessions.register(p.bob, session).status == RS.REGISTERED
    assert sessions.register(p.hannah, session).status == RS.WAITLISTED
    assert sessions.register(p.alice, session).status == RS.WAITLISTED
    assert "You are on the waiting list: X200 workshop, Rutland" in titles(p.hannah)

    response = p.client(p.bob).post(reverse("sessions:session_cancel", args=[session.pk]))
    assert response.status_code == 302
    statuses = dict(SessionRegistration.objects.values_list("user__email", "status"))
    # First come, first served: Hannah waited longest and takes the seat; Alice keeps waiting.
    assert statuses == {
        p.bob.email: RS.CANCELLED,
        p.hannah.email: RS.REGISTERED,
        p.alice.email: RS.WAITLISTED,
    }
    assert "A seat is yours: X200 workshop, Rutland" in titles(p.hannah)
    assert not any(t.startswith("A seat is yours") for t in titles(p.alice))

    # Leaving the waiting list frees no seat, so nobody moves.
    assert sessions.cancel_registration(p.alice, session) == []
    # Bob changes his mind: he comes back at the end of the queue.
    assert sessions.register(p.bob, session).status == RS.WAITLISTED


def test_two_people_racing_for_the_last_seat_never_overbook(personas, course):
    p = personas
    session = schedule(p, course, seats=2)
    sessions.register(p.alice, session)
    # Bob and Hannah press Register at the same moment: the session row lock serves them in
    # turn, so the second sees the seat taken.
    first = sessions.register(p.bob, session)
    second = sessions.register(p.hannah, session)
    assert (first.status, second.status) == (RS.REGISTERED, RS.WAITLISTED)
    assert session.registrations.filter(status=RS.REGISTERED).count() == session.seats


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs real row locks and concurrent connections (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_on_postgresql_never_overbook(personas, course):
    p = personas
    session = schedule(p, course, seats=1)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def press_register(person) -> None:
        try:
            start.wait()
            sessions.register(person, session)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press_register, args=(person,)) for person in (p.bob, p.hannah)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(session.registrations.values_list("status", flat=True)) == [
        RS.REGISTERED,
        RS.WAITLISTED,
    ]


def test_cancelling_a_session_tells_everyone_registered_or_waiting(
    personas, course, on_commit, run_worker
):
    p = personas
    session = schedule(p, course, seats=1)
    sessions.register(p.bob, session)
    sessions.register(p.hannah, session)
    mail.outbox.clear()
    mia = p.client(p.mia)
    with on_commit():
        response = mia.post(reverse("sessions:session_manage_cancel", args=[session.pk]))
    assert response.status_code == 302
    run_worker()
    for person in (p.bob, p.hannah):
        assert "Cancelled: X200 workshop, Rutland" in titles(person)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([p.bob.email, p.hannah.email])
    assert AuditEntry.objects.filter(action="session.cancelled", actor=p.mia).exists()
    session.refresh_from_db()
    assert session.is_cancelled
    page = p.client(p.bob).get(session.get_absolute_url()).content.decode()
    assert "This session has been cancelled" in page


def test_notifications_give_the_time_in_each_persons_own_zone(personas, course):
    p = personas
    p.bob.time_zone = "America/New_York"
    p.bob.save()
    session = schedule(p, course)
    sessions.register(p.bob, session)
    body = Notification.objects.get(recipient=p.bob).body
    assert "(America/New_York)" in body and "12 Main St" in body


# --- attendance --------------------------------------------------------------------------------------
def test_attendance_completes_the_course_and_marking_again_changes_nothing(personas):
    p = personas
    course = make_course(p.mia, "X200 bench test", ["session"])
    session = schedule(p, course)
    bob_seat = sessions.register(p.bob, session)
    hannah_seat = sessions.register(p.hannah, session)
    move_to_the_past(session)
    mia = p.client(p.mia)
    url = reverse("sessions:session_attendance", args=[session.pk])
    page = mia.get(url).content.decode()
    assert "Bob Tran" in page and "Hannah Kim" in page

    response = mia.post(url, {f"r{bob_seat.pk}": "attended", f"r{hannah_seat.pk}": "absent"})
    assert response.status_code == 302
    bob_enrolment = Enrolment.objects.get(user=p.bob, course=course)
    assert bob_enrolment.status == EnrolmentStatus.COMPLETED  # the one lesson was the session
    hannah_enrolment = Enrolment.objects.get(user=p.hannah, course=course)
    assert hannah_enrolment.status == EnrolmentStatus.NOT_STARTED  # absent completes nothing
    assert AuditEntry.objects.get(action="session.attendance").after == {
        p.bob.email: "attended",
        p.hannah.email: "absent",
    }

    assert sessions.mark_attendance(p.mia, session, {bob_seat.pk: RS.ATTENDED}) == 0
    assert LessonProgress.objects.filter(enrolment=bob_enrolment).count() == 1
    assert AuditEntry.objects.filter(action="session.attendance").count() == 1


def test_attending_completes_only_the_session_lessons(personas, course):
    p = personas
    session = schedule(p, course)
    seat = sessions.register(p.bob, session)
    move_to_the_past(session)
    sessions.mark_attendance(p.mia, session, {seat.pk: RS.ATTENDED})
    enrolment = Enrolment.objects.get(user=p.bob, course=course)
    session_lesson = Lesson.objects.get(version=enrolment.version, kind="session")
    assert list(
        LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_key", flat=True)
    ) == [session_lesson.key]
    assert enrolment.progress == 50 and enrolment.status == EnrolmentStatus.IN_PROGRESS


def test_attendance_waits_for_the_session_to_start(personas, course):
    p = personas
    session = schedule(p, course)
    seat = sessions.register(p.bob, session)
    with pytest.raises(ValidationError, match="once the session has started"):
        sessions.mark_attendance(p.mia, session, {seat.pk: RS.ATTENDED})
    assert "You can mark attendance once the session has started" in (
        p.client(p.mia)
        .get(reverse("sessions:session_attendance", args=[session.pk]))
        .content.decode()
    )


# --- calendar files ------------------------------------------------------------------------------------
def unfold(ics: str) -> str:
    return ics.replace("\r\n ", "")


def test_the_calendar_file_follows_rfc_5545(personas, course, settings):
    p = personas
    settings.SITE_URL = "https://partners.ridgeline.example"
    start = datetime(2031, 3, 4, 9, 30, tzinfo=OSLO)
    session = schedule(
        p, course, starts_at=start, ends_at=start + timedelta(hours=2),
        title="X200; tips, tricks \\ more",
        notes="Bring gloves, boots; and a notebook.\nParking behind the shop – ask for Åsa at the desk." * 2,
    )  # fmt: skip
    response = p.client(p.bob).get(reverse("sessions:session_ics", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="x200-tips-tricks-more-20310304.ics"'
    )
    raw = response.content.decode()
    assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")  # CRLF only
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))  # folded at 75 octets
    assert any(line.startswith(" ") for line in raw.split("\r\n"))  # the notes needed folding
    text = unfold(raw)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert "BEGIN:VEVENT" in text and text.rstrip().endswith("END:VCALENDAR")
    assert f"UID:session-{session.pk}@partners.ridgeline.example" in text
    assert (
        "DTSTART:20310304T083000Z" in text and "DTEND:20310304T103000Z" in text
    )  # Oslo is UTC+1 in March
    assert "DTSTAMP:" in text
    assert "SUMMARY:X200\\; tips\\, tricks \\\\ more" in text
    assert "LOCATION:Alder Creek – Rutland\\, 12 Main St" in text
    assert (
        "Bring gloves\\, boots\\; and a notebook.\\nParking behind the shop – ask for Åsa" in text
    )
    assert f"URL:https://partners.ridgeline.example{session.get_absolute_url()}" in text
    # Downloading again gives the same event (the UID is stable), not a new one.
    again = unfold(
        p.client(p.bob).get(reverse("sessions:session_ics", args=[session.pk])).content.decode()
    )
    assert f"UID:session-{session.pk}@" in again


def test_folding_never_splits_a_character(personas):
    line = "DESCRIPTION:" + "Trädgård " * 20
    folded = calendar.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_only_people_holding_a_seat_get_the_join_link(personas, course):
    p = personas
    link = "https://meet.ridgeline.example/x200-webinar"
    session = schedule(p, course, kind=SessionKind.WEBINAR, location="", join_url=link)
    sessions.register(p.bob, session)
    ics = reverse("sessions:session_ics", args=[session.pk])
    bob_ics = unfold(p.client(p.bob).get(ics).content.decode())
    hannah_ics = unfold(p.client(p.hannah).get(ics).content.decode())
    assert f"URL:{link}" in bob_ics and link in bob_ics
    assert link not in hannah_ics and "LOCATION:Online (webinar)" in hannah_ics
    assert link in p.client(p.bob).get(session.get_absolute_url()).content.decode()
    assert link not in p.client(p.hannah).get(session.get_absolute_url()).content.decode()
    assert link in p.client(p.mia).get(session.get_absolute_url()).content.decode()  # the trainer


# --- pages, the lesson player, reminders ----------------------------------------------------------------
def test_bob_sees_the_session_in_his_own_time_zone(personas, course):
    p = personas
    p.bob.time_zone = "America/New_York"
    p.bob.save()
    start = datetime(2031, 6, 3, 15, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    session = schedule(p, course, starts_at=start, ends_at=start + timedelta(hours=2))
    page = p.client(p.bob).get(session.get_absolute_url()).content.decode()
    assert "(America/New_York)" in page
    assert "11 a.m." in page and "1 p.m." in page  # 15:00-17:00 UTC is 11:00-13:00 in New York


def test_the_lesson_player_offers_the_upcoming_sessions(personas, course):
    p = personas
    first = schedule(p, course, title="Morning workshop")
    schedule(p, course, title="Afternoon workshop")
    called_off = schedule(p, course, title="Called-off workshop")
    sessions.cancel_session(p.mia, called_off)
    enrolment = actions.enrol(p.bob, course)
    lesson = Lesson.objects.get(version=enrolment.version, kind="session")
    bob = p.client(p.bob)
    lesson_url = reverse("courses:lesson", args=[course.pk, lesson.key])
    page = bob.get(lesson_url).content.decode()
    assert "Morning workshop" in page and "Afternoon workshop" in page
    assert "Called-off workshop" not in page
    assert "completed when the trainer marks your attendance" in page
    assert page.count(">Register<") == 2
    # Registering from the lesson comes back to the lesson, now with a cancel button.
    response = bob.post(reverse("sessions:session_register", args=[first.pk]), {"next": lesson_url})
    assert response["Location"] == lesson_url
    page = bob.get(lesson_url).content.decode()
    assert "Cancel my registration" in page and page.count(">Register<") == 1


def test_an_outside_next_address_is_ignored(personas, course):
    session = schedule(personas, course)
    response = personas.client(personas.bob).post(
        reverse("sessions:session_register", args=[session.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == session.get_absolute_url()


def test_reminders_go_once_to_people_holding_a_seat_the_day_before(personas, course):
    p = personas
    tomorrow = schedule(p, course, starts_at=timezone.now() + timedelta(hours=20))
    later = schedule(p, course, starts_at=timezone.now() + timedelta(days=3))
    sessions.register(p.bob, tomorrow)
    sessions.register(p.hannah, later)
    assert send_session_reminders.call() == 1
    assert send_session_reminders.call() == 0  # once only
    assert "Coming up: X200 workshop, Rutland" in titles(p.bob)
    assert not any(t.startswith("Coming up") for t in titles(p.hannah))


# --- who may see what ------------------------------------------------------------------------------------
def test_alice_cannot_see_a_session_meant_for_birchwood(personas):
    p = personas
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    course = make_course(p.mia, "Birchwood onboarding", ["session"], audience=audience)
    session = schedule(p, course)
    sessions.register(p.carol, session)
    alice = p.client(p.alice)
    for name in ("sessions:session_detail", "sessions:session_ics"):
        assert alice.get(reverse(name, args=[session.pk])).status_code == 404
        assert p.client(p.carol).get(reverse(name, args=[session.pk])).status_code == 200
    assert alice.post(reverse("sessions:session_register", args=[session.pk])).status_code == 404
    assert not SessionRegistration.objects.filter(user=p.alice).exists()


def test_only_the_courses_authors_reach_the_trainer_pages(personas, course):
    p = personas
    session = schedule(p, course)
    pages = [
        reverse("sessions:session_manage", args=[session.pk]),
        reverse("sessions:session_attendance", args=[session.pk]),
        reverse("sessions:session_create", args=[course.pk]),
        reverse("sessions:session_list", args=[course.pk]),
    ]
    for person in (p.bob, p.alice, p.dana):
        client = p.client(person)
        assert [client.get(url).status_code for url in pages] == [404] * 4
    assert (
        p.client(p.bob)
        .post(reverse("sessions:session_manage_cancel", args=[session.pk]))
        .status_code
        == 404
    )
    for person in (p.mia, p.pat):
        client = p.client(person)
        assert [client.get(url).status_code for url in pages] == [200] * 4
    # A content owner of another department does not author this course, so not its sessions.
    owner = f.StaffFactory(roles=["content_owner"])
    assert p.client(owner).get(pages[0]).status_code == 404


def test_the_session_page_stays_within_its_query_budget(
    personas, course, django_assert_max_num_queries
):
    p = personas
    session = schedule(p, course)
    for person in (p.alice, p.hannah):
        sessions.register(person, session)
    bob = p.client(p.bob)
    bob.get(session.get_absolute_url())  # warm the portal settings cache
    with django_assert_max_num_queries(10):
        response = bob.get(session.get_absolute_url())
    assert response.status_code == 200
