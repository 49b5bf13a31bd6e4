"""Learning pages: instructor-led sessions. Learners see a session, register (or join the
waiting list), cancel and download it for their calendar; trainers schedule, edit and
cancel sessions, see the roster and mark attendance. Writes are sessions.actions; seats and
what a person may do, sessions.seats; calendar files, sessions.calendar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.courses.access import can_author_courses
from touchpoint.courses.models import Course, Enrolment
from touchpoint.kernel.access import require
from touchpoint.kernel.activity import record_view
from touchpoint.kernel.forms import add_errors
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.redirects import redirect_back
from touchpoint.orgs.access import signed_in
from touchpoint.sessions import actions, calendar, month, seats
from touchpoint.sessions.forms import AttendanceForm, SessionForm
from touchpoint.sessions.models import SEAT_HOLDERS, RegistrationStatus, Session


# --- learners ------------------------------------------------------------------------------------
@login_required
def session_calendar(request: HttpRequest) -> HttpResponse:
    """The month's sessions: a grid at a desk, a list by day on a phone."""
    first = month.month_asked(request.GET.get("month", ""))
    return render(
        request,
        "sessions/session_calendar.html",
        {"month": month.month_of_sessions(signed_in(request), first)},
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    session = Session.objects.get_for(user, pk=pk)
    view = seats.view_for(user, session)
    record_view(request, session)
    return render(
        request,
        "sessions/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "view": view,
            "enrolment": Enrolment.objects.current_of(user, session.course)
            if view.may_register
            else None,
        },
    )


@login_required
@require_POST
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    session = Session.objects.get_for(user, pk=pk)
    try:
        registration = actions.register(user, session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(
                request, _("You are registered for %(title)s.") % {"title": session.title}
            )
        else:
            messages.info(
                request,
                _(
                    "The session is full: you are on the waiting list and will be told if a seat frees up."
                ),
            )
    return redirect_back(request, session)


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A learner gives up their seat or waiting-list place."""
    user = signed_in(request)
    session = Session.objects.get_for(user, pk=pk)
    try:
        actions.cancel_registration(user, session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect_back(request, session)


@login_required
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    session = Session.objects.get_for(user, pk=pk)
    view = seats.view_for(user, session)
    body = calendar.calendar_file(session, with_join_link=view.shows_join_link)
    filename = f"{slugify(session.title) or 'session'}-{session.starts_at:%Y%m%d}.ics"
    return HttpResponse(
        body.encode(),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


# --- trainers --------------------------------------------------------------------------------------
@require(can_author_courses)
def session_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A course's sessions, upcoming first; `?show=past` for those over."""
    course = Course.objects.get_for(signed_in(request), manage=True, pk=pk)
    past = request.GET.get("show") == "past"
    now = timezone.now()
    rows = Session.objects.filter(course=course).select_related("instructor").with_seat_counts()
    rows = (
        rows.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else rows.filter(ends_at__gte=now).order_by("starts_at")
    )
    page = page_of(request, rows, 20)
    return render(
        request, "sessions/session_list.html", {"course": course, "page": page, "past": past}
    )


@require(can_author_courses)
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    course = Course.objects.get_for(user, manage=True, pk=pk)
    initial = {"title": course.title, "instructor": user.pk if user.is_vendor else None}
    form = SessionForm(request.POST or None, course=course, initial=initial, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.schedule_session(user, form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect("sessions:session_manage", pk=session.pk)
    return render(request, "sessions/session_form.html", {"course": course, "form": form})


@require(can_author_courses)
def session_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer's page for one session: edit it, read the roster, cancel it."""
    user = signed_in(request)
    session = Session.objects.get_for(user, manage=True, pk=pk)
    form = SessionForm(request.POST or None, instance=session, course=session.course, actor=user)
    if request.method == "POST" and not session.is_cancelled and form.is_valid():
        try:
            actions.update_session(user, form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("sessions:session_manage", pk=session.pk)
    roster = list(seats.roster(session))
    saved = form.original or session  # as stored, not as a rejected edit left it
    view = seats.SessionView(
        saved,
        None,
        taken=sum(r.status in SEAT_HOLDERS for r in roster),
        waiting=sum(r.status == RegistrationStatus.WAITLISTED for r in roster),
        manager=True,
    )
    return render(
        request,
        "sessions/session_manage.html",
        {"session": saved, "course": session.course, "form": form, "roster": roster, "view": view},
    )


@require(can_author_courses)
@require_POST
def session_manage_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer calls the whole session off."""
    user = signed_in(request)
    session = Session.objects.get_for(user, manage=True, pk=pk)
    try:
        told = actions.cancel_session(user, session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Session cancelled; %(n)d people were told.") % {"n": told})
    return redirect("sessions:session_manage", pk=session.pk)


@require(can_author_courses)
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    session = Session.objects.get_for(user, manage=True, pk=pk)
    registrations = list(seats.roster(session).filter(status__in=SEAT_HOLDERS))
    form = AttendanceForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.mark_attendance(user, session, form.marks())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance saved (%(n)d changed).") % {"n": changed})
            return redirect("sessions:session_attendance", pk=session.pk)
    return render(
        request,
        "sessions/session_attendance.html",
        {
            "session": session,
            "course": session.course,
            "form": form,
            "started": session.starts_at <= timezone.now(),
        },
    )


urlpatterns: list[URLPattern] = [
    path("learn/sessions/", session_calendar, name="session_calendar"),
    path("learn/sessions/<int:pk>/", session_detail, name="session_detail"),
    path("learn/sessions/<int:pk>/register/", session_register, name="session_register"),
    path("learn/sessions/<int:pk>/cancel/", session_cancel, name="session_cancel"),
    path("learn/sessions/<int:pk>/calendar.ics", session_ics, name="session_ics"),
    path("learn/manage/courses/<int:pk>/sessions/", session_list, name="session_list"),
    path("learn/manage/courses/<int:pk>/sessions/new/", session_create, name="session_create"),
    path("learn/manage/sessions/<int:pk>/", session_manage, name="session_manage"),
    path(
        "learn/manage/sessions/<int:pk>/cancel/",
        session_manage_cancel,
        name="session_manage_cancel",
    ),
    path(
        "learn/manage/sessions/<int:pk>/attendance/", session_attendance, name="session_attendance"
    ),
]
