"""The Ridgeline learning story (../shared/DEMO.md), told through the learning apps' actions
by the people who would do it: Mia (Sales, trainer) and Sam (Service) write the courses and
their question banks and publish them; Mia saves the certifications, grants the ones earned
before Touchpoint and runs the workshops (Sam teaches them); Sam builds the "New service
technician" path and the rule that assigns it; partner admins assign courses; partner people
enrol, open lessons, take quizzes, attend a workshop and earn certifications as they would
on the screens. Afterwards only dates are moved into the story's past (portal/demo/story.py):
Hannah's technician certification, granted two years ago, expires within 30 days.

Safe to run again: every course, certification, path, rule, session and learner's story is
looked up first, and only what is missing is told."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape

from touchpoint.courses import actions
from touchpoint.courses.models import (
    Course,
    CourseVersion,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    Section,
    Source,
    Status,
)
from touchpoint.credentials import actions as credential_actions
from touchpoint.credentials.models import Certification, Credential
from touchpoint.kernel import audit
from touchpoint.kernel.models import Notification
from touchpoint.orgs.models import Audience, Department, User
from touchpoint.paths import actions as path_actions
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathEnrolment
from touchpoint.paths.rules import apply_rule_task
from touchpoint.portal.demo import pictures
from touchpoint.portal.demo.orgs import Demo
from touchpoint.portal.demo.story import backdate
from touchpoint.quizzes import actions as quiz_actions
from touchpoint.quizzes.attempts import FIELD_PREFIX
from touchpoint.quizzes.bank import ChoiceInput
from touchpoint.quizzes.models import Question, QuestionKind, QuizAttempt
from touchpoint.sessions import actions as session_actions
from touchpoint.sessions.models import RegistrationStatus, Session, SessionKind, SessionRegistration

P = "<p>{}</p>"

# title, department, summary, [(section, [(kind, title, body or url, minutes)])]
COURSES: list[tuple[str, str, str, list[tuple[str, list[tuple[str, str, str, int]]]]]] = [
    ("X200 zero-turn mower: selling the benefits", "Sales", "Who the X200 is for and how to show it off in five minutes.", [
        ("The product", [
            ("text", "Meet the X200", P.format("The X200 cuts a 54-inch deck at up to 8 mph, turns on the spot and is serviced without tools. It is built for homeowners with more than an acre and for small landscapers."), 5),
            ("document", "X200 spec sheet", P.format("Keep this one-page spec sheet at hand on the showroom floor."), 3),
        ]),
        ("On the lot", [
            ("text", "The five-minute demo", P.format("Start with the seat, then the zero-turn, then the deck height lever. Let the customer drive.") , 6),
            ("link", "X200 product page", "https://www.ridgeline.example/x200", 2),
        ]),
    ]),
    ("Extended warranty: offering it at the point of sale", "Sales", "How to offer the X200 extended warranty in the POS, and answer the usual questions.", [
        ("Why it matters", [
            ("text", "What the plan covers", P.format("Five years of parts and labour on the engine, transmission and deck, transferable to a new owner. Wear items are excluded."), 5),
            ("text", "Offering it at checkout", P.format("Offer it when the customer chooses the model, not after the price is agreed. In the POS, open Extended warranty and pick the plan length."), 5),
        ]),
        ("Check yourself", [("quiz", "Extended warranty quiz", "", 5)]),
    ]),
    ("Handling objections on price", "Sales", "Answers that keep the conversation going.", [
        ("Objections", [
            ("text", "“It costs more than the other brand”", P.format("Compare cost per year of use, not the sticker price."), 4),
            ("text", "“I'll think about it”", P.format("Ask what they need to know to decide today, then give them the spec sheet."), 4),
        ]),
    ]),
    ("X200 service fundamentals", "Service", "Routine maintenance, safety and the service schedule.", [
        ("Safety", [("text", "Before you start", P.format("Disconnect the spark plug, chock the wheels, and let the engine cool."), 5)]),
        ("Maintenance", [
            ("text", "The 50-hour service", P.format("Oil and filter, air filter check, blade sharpening, belt tension."), 10),
            ("document", "Service schedule", P.format("The printable service schedule for the X200."), 3),
        ]),
        ("Check yourself", [("quiz", "Service fundamentals quiz", "", 8)]),
    ]),
    ("Generator troubleshooting", "Service", "Find the fault fast on Ridgeline portable generators.", [
        ("Diagnosis", [
            ("text", "No power output", P.format("Check the breaker, then the AVR, then the brushes."), 8),
            ("text", "Engine will not start", P.format("Fuel, spark, air: in that order."), 8),
        ]),
        ("Check yourself", [("quiz", "Troubleshooting quiz", "", 6)]),
    ]),
    ("Hands-on X200 maintenance workshop", "Service", "A half-day workshop with a Ridgeline trainer: the 50-hour service on a real X200.", [
        ("Before the workshop", [("text", "What to bring", P.format("Safety glasses and your own 13 mm socket."), 2)]),
        ("The workshop", [("session", "Attend the workshop", P.format("Register for a date that suits you; the trainer marks your attendance."), 240)]),
    ]),
    ("Parts ordering in the dealer portal", "Parts", "Find the right part number and order it in time.", [
        ("Ordering", [
            ("text", "Finding the part number", P.format("Use the model and serial number from the frame plate."), 5),
            ("link", "Ridgeline parts catalogue", "https://parts.ridgeline.example", 2),
        ]),
    ]),
    ("Warranty claims for parts", "Parts", "File a warranty parts claim that is paid the first time.", [
        ("Claims", [("text", "What a complete claim needs", P.format("Serial number, failure description, photos, and the failed part tagged for return."), 6)]),
        ("Check yourself", [("quiz", "Warranty claims quiz", "", 5)]),
    ]),
]  # fmt: skip

# course title -> [(question, kind, [(choice, correct)] or accepted answers, explanation)]
QUESTIONS: dict[str, list[tuple[str, str, Any, str]]] = {
    "Extended warranty: offering it at the point of sale": [
        (
            "How long does the X200 extended warranty run?",
            "single",
            [("5 years", True), ("2 years", False), ("10 years", False)],
            "It is a five-year plan.",
        ),
        (
            "Which are covered?",
            "multiple",
            [("Engine", True), ("Transmission", True), ("Blades", False), ("Deck", True)],
            "Wear items such as blades are excluded.",
        ),
        ("The plan transfers to a new owner.", "true_false", True, "It is transferable."),
        (
            "When is the best moment to offer it?",
            "single",
            [
                ("When the customer chooses the model", True),
                ("After the price is agreed", False),
                ("At delivery", False),
            ],
            "Offer it with the model choice.",
        ),
        (
            "Which POS screen do you open?",
            "short_text",
            ["extended warranty"],
            "Extended warranty, then pick the plan length.",
        ),
        (
            "Labour is included in repairs under the plan.",
            "true_false",
            True,
            "Parts and labour are covered.",
        ),
    ],
    "X200 service fundamentals": [
        (
            "What do you disconnect before working on the deck?",
            "single",
            [("The spark plug", True), ("The seat switch", False), ("The battery only", False)],
            "Always the spark plug.",
        ),
        (
            "What belongs to the 50-hour service?",
            "multiple",
            [("Oil and filter", True), ("Blade sharpening", True), ("Tyre replacement", False)],
            "Tyres are checked, not replaced.",
        ),
        ("Let the engine cool before servicing.", "true_false", True, "Hot parts burn."),
        (
            "How many hours between routine services?",
            "short_text",
            ["50", "fifty"],
            "Every 50 hours.",
        ),
        (
            "Chock the wheels before lifting the deck.",
            "true_false",
            True,
            "The mower must not roll.",
        ),
    ],
    "Generator troubleshooting": [
        (
            "No output: what do you check first?",
            "single",
            [("The breaker", True), ("The brushes", False), ("The fuel", False)],
            "Start with the easiest.",
        ),
        (
            "Engine will not start: the order of checks?",
            "single",
            [("Fuel, spark, air", True), ("Air, fuel, spark", False)],
            "Fuel, spark, air.",
        ),
        ("The AVR regulates output voltage.", "true_false", True, "Automatic voltage regulator."),
        (
            "Which part wears and needs replacing?",
            "single",
            [("Brushes", True), ("Stator", False)],
            "Brushes wear.",
        ),
    ],
    "Warranty claims for parts": [
        (
            "What must a claim include?",
            "multiple",
            [("Serial number", True), ("Photos", True), ("The customer's phone number", False)],
            "No personal data beyond what is needed.",
        ),
        (
            "The failed part is tagged and kept for return.",
            "true_false",
            True,
            "Ridgeline may ask for it.",
        ),
        (
            "Where is the serial number?",
            "short_text",
            ["frame plate", "on the frame plate"],
            "On the frame plate.",
        ),
    ],
}


# Quiz lessons: four questions drawn, 75% to pass, three attempts ten minutes apart.
QUIZ_SETTINGS = {"questions_to_draw": 4, "pass_mark": 75, "max_attempts": 3,
                 "cooldown_minutes": 10, "time_limit_minutes": 10}  # fmt: skip
# The courses were written and published this long before the story's today.
COURSES_PUBLISHED_DAYS_AGO = 420

SERVICE_CERT = "X200 Certified Service Technician"
WARRANTY_CERT = "Extended Warranty Sales Specialist"
PARTS_CERT = "Genuine Parts Professional"
# name, description, validity (months), renewal window (days), courses, recertification courses
CERTIFICATIONS = [
    (SERVICE_CERT, "Services and maintains the X200 safely and to the Ridgeline schedule.",
     24, 60, [3, 5], [3]),
    (WARRANTY_CERT, "Explains and sells the X200 extended warranty correctly at the point of sale.",
     12, 30, [1, 2], []),
    (PARTS_CERT, "Orders the right genuine part and files warranty parts claims that are paid.",
     24, 60, [6, 7], []),
]  # fmt: skip

BEFORE_TOUCHPOINT = "Certified under the previous Ridgeline training program, before Touchpoint"
PAST_WORKSHOP = "X200 maintenance workshop, Burlington (first run)"
WORKSHOP = "X200 maintenance workshop, Burlington"
WEBINAR = "X200 maintenance workshop (webinar)"
RULE = "Gold and Platinum service techs"


def _spec_sheet_pdf(title: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for line in (
        "Ridgeline Power Equipment",
        "Deck: 54 in, steel",
        "Speed: up to 8 mph",
        "Service: every 50 hours",
    ):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    out = io.BytesIO(pdf.output())
    return out.getvalue()


def _ago(now: datetime, days: float, hour: int = 10) -> datetime:
    """A moment `days` before the story's today, in the working day."""
    return (now - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


# --- authors: courses, their content and question banks ----------------------------------
def _lesson(kind: str, title: str, content: str, minutes: int) -> Lesson:
    """A lesson as an author fills in the lesson form."""
    lesson = Lesson(
        title=title, kind=kind, minutes=minutes,
        body=content if kind != LessonKind.LINK else "", url=content if kind == LessonKind.LINK else "",
        **(QUIZ_SETTINGS if kind == LessonKind.QUIZ else {}),
    )  # fmt: skip
    if kind == LessonKind.DOCUMENT:
        # An uploaded PDF: stored when the action saves the lesson.
        lesson.file = ContentFile(_spec_sheet_pdf(title), name=f"{title}.pdf")
        lesson.file_name, lesson.file_type = f"{title}.pdf", "application/pdf"
    return lesson


def _question(author: User, course: Course, text: str, kind: str, answer: Any, why: str) -> None:
    """A question of the course's bank, as the question form saves it."""
    question = Question(
        course=course, kind=kind, text=text, explanation=why,
        accepted_answers="\n".join(answer) if kind == QuestionKind.SHORT_TEXT else "",
    )  # fmt: skip
    if kind == QuestionKind.TRUE_FALSE:
        quiz_actions.save_question(author, question, [], statement=answer)
    elif kind == QuestionKind.SHORT_TEXT:
        quiz_actions.save_question(author, question, [])
    else:
        choices = [ChoiceInput(choice, correct) for choice, correct in answer]
        quiz_actions.save_question(author, question, choices)


def _course(author: User, title: str, department: str, summary: str, sections: Any,
            now: datetime) -> Course:  # fmt: skip
    """The author creates the course, writes its first draft and question bank, and
    publishes it."""
    existing = Course.objects.filter(title=title).first()
    if existing:
        _cover(author, existing)
        return existing
    course = actions.create_course(
        author,
        Course(
            title=title, summary=summary,
            department=Department.objects.filter(name=department).first(),
        ),
    )  # fmt: skip
    _cover(author, course)
    draft = actions.draft_of(course)
    assert draft is not None
    pictured = False
    for section_title, lessons in sections:
        section = actions.add_section(author, draft, Section(title=section_title))
        for kind, lesson_title, content, minutes in lessons:
            if kind == LessonKind.TEXT and not pictured:  # the first text lesson shows one
                content = _picture(author, course, lesson_title) + content
                pictured = True
            actions.add_lesson(author, section, _lesson(kind, lesson_title, content, minutes))
    for text, kind, answer, why in QUESTIONS.get(title, []):
        _question(author, course, text, kind, answer, why)
    actions.publish_draft(author, course, "First edition")
    course.refresh_from_db()
    written = _ago(now, COURSES_PUBLISHED_DAYS_AGO + 10)
    published = _ago(now, COURSES_PUBLISHED_DAYS_AGO)
    backdate(course, created_at=written)
    backdate(
        CourseVersion.objects.filter(course=course), created_at=written, published_at=published
    )
    backdate(Question.objects.filter(course=course), created_at=written)
    return course


def _cover(author: User, course: Course) -> None:
    """The author gives the course its cover in the course settings (once)."""
    if course.cover:
        return
    before = audit.snapshot(course, actions.COURSE_FIELDS)
    course.cover.save("cover.png", ContentFile(pictures.course_cover(course.title)), save=False)
    actions.update_course(author, course, before)


def _picture(author: User, course: Course, lesson_title: str) -> str:
    """A picture the author drops into the lesson text: uploaded, then shown as a figure."""
    drawn = ContentFile(pictures.lesson_picture(course.title, lesson_title), name="picture.png")
    image = actions.add_course_image(author, course, drawn)
    return (
        f'<figure><img src="{image.get_absolute_url()}" alt="" width="1200" height="675">'
        f"<figcaption>{escape(lesson_title)}</figcaption></figure>"
    )


# --- Mia: certifications, and grants for what was earned before Touchpoint ------------------
def _certifications(mia: User, c: list[Course], now: datetime) -> dict[str, Certification]:
    found = {}
    for name, description, months, window, courses, recert in CERTIFICATIONS:
        certification = Certification.objects.filter(name=name).first()
        if certification is None:
            certification = credential_actions.save_certification(
                mia,
                Certification(
                    name=name, description=description, status=Status.PUBLISHED,
                    validity_months=months, recert_window_days=window,
                ),
                courses=[c[i] for i in courses],
                recert_courses=[c[i] for i in recert],
            )  # fmt: skip
            backdate(certification, created_at=_ago(now, COURSES_PUBLISHED_DAYS_AGO))
        found[name] = certification
    return found


def _issued(credential: Credential, issued: datetime, started: datetime | None = None) -> None:
    """Move a credential's dates back: issued then, valid for the certification's period from
    then. The notice that announced it went out (and was read) then too."""
    certification = credential.certification
    expires = issued + relativedelta(months=certification.validity_months or 0)
    dates: dict[str, Any] = {"issued_at": issued, "started_at": started or issued}
    if certification.validity_months:
        dates["expires_at"] = expires
        dates["expiring_from"] = expires - timedelta(days=certification.recert_window_days)
    backdate(credential, **dates)
    notices = Notification.objects.filter(
        recipient=credential.user, url=credential.get_absolute_url()
    )
    backdate(notices, created_at=issued, read_at=issued + timedelta(hours=2))


def _granted(mia: User, person: User, certification: Certification, days_ago: int,
             now: datetime) -> None:  # fmt: skip
    """Mia grants a certification earned before Touchpoint (Grant on the certification's page)."""
    if Credential.objects.filter(user=person, certification=certification).exists():
        return
    credential = credential_actions.grant(mia, person, certification, BEFORE_TOUCHPOINT)
    _issued(credential, _ago(now, days_ago))


# --- learners: enrolling, lessons, quizzes -----------------------------------------------------
def _answers(attempt: QuizAttempt, right: int) -> dict[str, Any]:
    """What the learner ticks or types: the first `right` questions correctly, the rest not."""
    responses: dict[str, Any] = {}
    for number, q in enumerate(attempt.questions):
        name = f"{FIELD_PREFIX}{q['key']}"
        if q["kind"] == QuestionKind.SHORT_TEXT:
            responses[name] = [q["accepted"][0] if number < right else "not sure"]
        elif number < right:
            responses[name] = q["correct"]
        else:
            responses[name] = [next(c["id"] for c in q["choices"] if c["id"] not in q["correct"])]
    return responses


def _sit_quiz(enrolment: Enrolment, lesson: Lesson, when: datetime, *, fail_first: bool) -> None:
    """Start and submit attempts (Start the quiz, answer, Submit) until one passes."""
    tries = [2, 4] if fail_first else [4]  # questions answered right, out of four
    for number, right in enumerate(tries):
        attempt = quiz_actions.start_attempt(enrolment, lesson)
        attempt = quiz_actions.submit_attempt(attempt, _answers(attempt, right))
        started = when - timedelta(hours=2 * (len(tries) - number))
        backdate(attempt, started_at=started, submitted_at=started + timedelta(minutes=6),
                 deadline_at=started + timedelta(minutes=lesson.time_limit_minutes))  # fmt: skip


def _work_through(enrolment: Enrolment, lessons: list[Lesson], when: datetime, *,
                  fail_first: bool = False) -> None:  # fmt: skip
    """Open each lesson and finish it: "Mark as done", or the quiz. Session lessons are
    finished by the trainer's attendance list."""
    for lesson in lessons:
        actions.record_visit(enrolment, lesson)
        if lesson.kind == LessonKind.QUIZ:
            _sit_quiz(enrolment, lesson, when, fail_first=fail_first)
        elif lesson.kind != LessonKind.SESSION:
            actions.complete_lesson(enrolment, lesson)


def _dated(enrolment: Enrolment, *, enrolled: datetime, last: datetime,
           started: datetime | None = None, due: datetime | None = None) -> None:  # fmt: skip
    """Move an enrolment's history back: enrolled, started and last seen (finished, when it
    is) on these days."""
    enrolment.refresh_from_db()
    dates: dict[str, Any] = {"enrolled_at": enrolled}
    if enrolment.started_at is not None:
        dates["started_at"] = started or enrolled + timedelta(hours=1)
        dates["last_activity_at"] = last
    if enrolment.status == EnrolmentStatus.COMPLETED:
        dates["completed_at"] = last
    if due is not None:
        dates["due_at"] = due
    backdate(enrolment, **dates)
    backdate(LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False),
             completed_at=last)  # fmt: skip
    notices = Notification.objects.filter(
        recipient=enrolment.user, url=enrolment.course.get_absolute_url()
    )
    backdate(notices, created_at=enrolled)


def _finish(person: User, course: Course, days_ago: int, now: datetime, *,
            fail_first: bool = False) -> Enrolment | None:  # fmt: skip
    """The person enrols in the course (Enrol) and works through it, finishing it
    `days_ago` days ago."""
    if Enrolment.objects.filter(user=person, course=course).exists():
        return None
    enrolment = actions.enrol(person, course, source=Source.SELF)
    finished = _ago(now, days_ago, hour=15)
    _work_through(enrolment, actions.lessons_of(enrolment), finished, fail_first=fail_first)
    _dated(enrolment, enrolled=finished - timedelta(days=4), last=finished)
    return enrolment


def _earned(person: User, certification: Certification, courses: list[tuple[Course, int]],
            now: datetime, **finish: Any) -> None:  # fmt: skip
    """The person finishes the certification's courses, the last one completing it."""
    if Credential.objects.filter(user=person, certification=certification).exists():
        return
    for course, days_ago in courses:
        _finish(person, course, days_ago, now, **finish)
    credential = Credential.objects.get(user=person, certification=certification, is_current=True)
    first = max(days for _course, days in courses)
    _issued(credential, _ago(now, min(days for _course, days in courses), hour=15),
            started=_ago(now, first + 4, hour=11))  # fmt: skip


def _part_way(person: User, course: Course, lessons_done: int, now: datetime, *,
              enrolled_days_ago: int, assigner: User | None = None,
              due_in_days: int | None = None) -> None:  # fmt: skip
    """The person enrols (or their admin assigns the course from its Assign page) and has
    done the first `lessons_done` lessons, the next one open."""
    if Enrolment.objects.filter(user=person, course=course).exists():
        return
    enrolled = _ago(now, enrolled_days_ago, hour=9)
    due = _ago(now, -due_in_days, hour=23) if due_in_days is not None else None
    if assigner is not None:
        # A due date already past was set when there was still time: the assignment is
        # made with the same span of days, and moved back with the rest of its history.
        at = due if due is None or due > now else now + (due - enrolled)
        [enrolment] = actions.assign(assigner, [person], course, at)
    else:
        enrolment = actions.enrol(person, course, source=Source.SELF)
    lessons = actions.lessons_of(enrolment)
    last = _ago(now, max(enrolled_days_ago - 2, 1), hour=16)
    _work_through(enrolment, lessons[:lessons_done], last)
    if 0 < lessons_done < len(lessons):
        actions.record_visit(enrolment, lessons[lessons_done])
    _dated(enrolment, enrolled=enrolled, last=last, due=due)


# --- Mia's workshops ---------------------------------------------------------------------------
def _schedule(mia: User, sam: User, course: Course, title: str, starts: datetime,
              **fields: Any) -> Session:  # fmt: skip
    """Mia schedules a session of the course (Schedule a session); Sam teaches it."""
    return session_actions.schedule_session(
        mia, Session(course=course, title=title, starts_at=starts, instructor=sam, **fields)
    )


def _past_workshop(mia: User, sam: User, workshop_course: Course, people: dict[str, User],
                   now: datetime) -> None:  # fmt: skip
    """The workshop's first run, six months ago: Chris, Maria and Noah registered; Mia marked
    Chris and Maria as attended (which completes the session lesson, and for Chris the course
    and his technician certification) and Noah absent."""
    if Session.objects.filter(title=PAST_WORKSHOP).exists():
        return
    held = _ago(now, 180, hour=13)
    booked = _ago(now, 200, hour=9)
    starts = _ago(now, -1, hour=13)  # scheduled, as every session is, ahead of time
    session = _schedule(
        mia, sam, workshop_course, PAST_WORKSHOP, starts, kind=SessionKind.CLASSROOM,
        ends_at=starts + timedelta(hours=4), seats=12, notes="Bring safety glasses.",
        location="Alder Creek Outdoor, 12 Pine St, Burlington VT",
    )  # fmt: skip
    chris = people["chris"]
    for key in ("chris", "maria", "noah"):
        session_actions.register(people[key], session)
    # Chris read "What to bring" before the day.
    enrolment = Enrolment.objects.get(user=chris, course=workshop_course, is_current=True)
    _work_through(enrolment, actions.lessons_of(enrolment)[:1], held)
    # The day came: the session's dates move six months back, then Mia marks the list.
    backdate(session, starts_at=held, ends_at=held + timedelta(hours=4), created_at=booked)
    registrations = SessionRegistration.objects.filter(session=session).select_related("user")
    backdate(registrations, registered_at=booked)
    backdate(Notification.objects.filter(url=session.get_absolute_url()),
             created_at=booked, read_at=booked + timedelta(hours=1))  # fmt: skip
    session_actions.mark_attendance(mia, session, {
        r.pk: RegistrationStatus.ABSENT if r.user.email.startswith("noah@")
        else RegistrationStatus.ATTENDED
        for r in registrations
    })  # fmt: skip
    for registration in registrations:
        current = Enrolment.objects.get(
            user=registration.user, course=workshop_course, is_current=True
        )
        _dated(current, enrolled=booked, last=held + timedelta(hours=4))
    credential = Credential.objects.get(
        user=chris, certification__name=SERVICE_CERT, is_current=True
    )
    _issued(credential, held + timedelta(hours=4), started=_ago(now, 194, hour=11))


def _upcoming_sessions(mia: User, sam: User, course: Course, people: dict[str, User],
                       now: datetime) -> None:  # fmt: skip
    """Next week's workshop, with Hannah, Zoe (renewing) and Noah registered, and a webinar
    the week after."""
    starts = _ago(now, -9, hour=13)
    if not Session.objects.filter(title=WORKSHOP).exists():
        workshop = _schedule(
            mia, sam, course, WORKSHOP, starts, kind=SessionKind.CLASSROOM,
            ends_at=starts + timedelta(hours=4), seats=12, notes="Bring safety glasses.",
            location="Alder Creek Outdoor, 12 Pine St, Burlington VT",
        )  # fmt: skip
        for key in ("hannah", "zoe", "noah"):
            session_actions.register(people[key], workshop)
    if not Session.objects.filter(title=WEBINAR).exists():
        webinar = starts + timedelta(days=7)
        _schedule(
            mia, sam, course, WEBINAR, webinar, kind=SessionKind.WEBINAR,
            ends_at=webinar + timedelta(hours=2), seats=40,
            join_url="https://meet.ridgeline.example/x200-workshop",
        )  # fmt: skip


# --- paths and the rule ------------------------------------------------------------------------
def _path(author: User, title: str, summary: str, steps: list[dict[str, Any]],
          now: datetime) -> LearningPath:  # fmt: skip
    """The author builds a path (New learning path, then its steps) and publishes it."""
    existing = LearningPath.objects.filter(title=title).first()
    if existing:
        return existing
    learning_path = path_actions.save_path(
        author, LearningPath(title=title, summary=summary, status=Status.PUBLISHED)
    )
    for step in steps:
        path_actions.add_step(author, learning_path, **step)
    backdate(learning_path, created_at=_ago(now, COURSES_PUBLISHED_DAYS_AGO - 20))
    return learning_path


def _rule(sam: User, new_tech: LearningPath) -> None:
    """Sam's rule: service techs at Gold and Platinum dealers take the path. Saving it queues
    the worker's run; the demo runs it now, so the story is whole before any worker starts
    (the queued run then finds everyone enrolled)."""
    audience = Audience.objects.filter(name="Service techs at Gold and Platinum dealers").first()
    if audience is None or EnrolmentRule.objects.filter(name=RULE).exists():
        return
    rule = path_actions.save_rule(
        sam, EnrolmentRule(name=RULE, path=new_tech, audience=audience, due_in_days=60)
    )
    apply_rule_task.call(rule.pk)


def seed(demo: Demo) -> None:
    now = timezone.now()
    mia, sam = demo.staff["mia"], demo.staff["sam"]
    people = demo.people
    c = [
        _course(mia if department == "Sales" else sam, title, department, summary, sections, now)
        for title, department, summary, sections in COURSES
    ]
    certs = _certifications(mia, c, now)
    _path(mia, "X200 sales launch", "Everything a salesperson needs for the X200 season.",
          [{"course": course} for course in c[0:3]], now)  # fmt: skip
    new_tech = _path(
        sam, "New service technician", "From first day to certified X200 technician.",
        [{"course": c[3]}, {"course": c[4]}, {"course": c[5], "requires_previous": True},
         {"certification": certs[SERVICE_CERT]}],
        now,
    )  # fmt: skip

    # Certified before Touchpoint: Hannah's expires within 30 days, Jamal's and Zoe's expired.
    _granted(mia, people["hannah"], certs[SERVICE_CERT], 710, now)
    _granted(mia, people["jamal"], certs[WARRANTY_CERT], 400, now)
    _granted(mia, people["zoe"], certs[SERVICE_CERT], 26 * 30, now)
    # Earned here: Bob (who failed the quiz once), Kevin, Derek (expiring soon at Birchwood),
    # Priya; Chris finished the service course and then attended the workshop's first run.
    warranty = certs[WARRANTY_CERT]
    _earned(people["bob"], warranty, [(c[1], 60), (c[2], 58)], now, fail_first=True)
    _earned(people["kevin"], warranty, [(c[1], 104), (c[2], 100)], now)
    _earned(people["derek"], warranty, [(c[1], 352), (c[2], 350)], now)
    _earned(people["priya"], certs[PARTS_CERT], [(c[6], 95), (c[7], 90)], now)
    _finish(people["chris"], c[3], 190, now)
    _past_workshop(mia, sam, c[5], people, now)

    # Under way, some assigned by the partner admin and one overdue, for the homes and the
    # team pages.
    alice, carol = people["alice"], people["carol"]
    _part_way(people["bob"], c[0], 2, now, enrolled_days_ago=6)
    _part_way(people["hannah"], c[4], 1, now, enrolled_days_ago=5, assigner=alice, due_in_days=10)
    _part_way(people["jamal"], c[1], 1, now, enrolled_days_ago=24, assigner=alice, due_in_days=-3)
    _part_way(people["maria"], c[3], 2, now, enrolled_days_ago=12, assigner=carol, due_in_days=21)
    _part_way(people["tom"], c[6], 1, now, enrolled_days_ago=8, assigner=carol, due_in_days=14)
    _part_way(people["lucia"], c[1], 0, now, enrolled_days_ago=3)
    if not PathEnrolment.objects.filter(user=people["sofie"], path=new_tech).exists():
        path_actions.enrol_in_path(people["sofie"], new_tech, source=Source.SELF)

    # The rule assigns Hannah (and the other Gold and Platinum service techs) the path.
    _rule(sam, new_tech)
    _upcoming_sessions(mia, sam, c[5], people, now)
