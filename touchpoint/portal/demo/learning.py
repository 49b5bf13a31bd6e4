"""The Ridgeline learning story (../shared/DEMO.md): courses across sales, service and parts,
two learning paths, three certifications (some of Alder Creek's people certified, one
expiring within 30 days, one expired), question banks, enrolments part-way, an upcoming
instructor-led workshop and an auto-enrolment rule. Safe to run again."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.support.courses import complete_course
from touchpoint.courses import actions
from touchpoint.courses.models import Course, Enrolment, Lesson, LessonKind, Section, Source, Status
from touchpoint.credentials.models import Certification, Credential, CredentialStatus
from touchpoint.orgs.models import Audience, Department
from touchpoint.paths import actions as path_actions
from touchpoint.paths.models import EnrolmentRule, LearningPath, PathStep
from touchpoint.paths.rules import apply_rule
from touchpoint.portal.demo.orgs import Demo
from touchpoint.quizzes.models import Choice, Question, QuestionKind
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


def _course(title: str, department: str, summary: str, sections: Any, author: Any) -> Course:
    existing = Course.objects.filter(title=title).first()
    if existing:
        return existing
    course = actions.create_course(
        author,
        Course(
            title=title,
            summary=summary,
            department=Department.objects.filter(name=department).first(),
        ),
    )
    draft = actions.draft_of(course)
    assert draft is not None
    for s_index, (section_title, lessons) in enumerate(sections, start=1):
        section = Section.objects.create(version=draft, title=section_title, position=s_index)
        for l_index, (kind, lesson_title, content, minutes) in enumerate(lessons, start=1):
            lesson = Lesson(
                version=draft, section=section, title=lesson_title, kind=kind, position=l_index, minutes=minutes,
                body=content if kind != LessonKind.LINK else "", url=content if kind == LessonKind.LINK else "",
                questions_to_draw=4, pass_mark=75, max_attempts=3, cooldown_minutes=10, time_limit_minutes=10,
            )  # fmt: skip
            if kind == LessonKind.DOCUMENT:
                lesson.file.save(
                    f"{lesson_title}.pdf", ContentFile(_spec_sheet_pdf(lesson_title)), save=False
                )
                lesson.file_name, lesson.file_type = f"{lesson_title}.pdf", "application/pdf"
            lesson.save()
    for position, (text, kind, answer, explanation) in enumerate(QUESTIONS.get(title, []), start=1):
        question = Question.objects.create(
            course=course, kind=kind, text=text, explanation=explanation, position=position,
            accepted_answers="\n".join(answer) if kind == QuestionKind.SHORT_TEXT else "",
        )  # fmt: skip
        if kind == QuestionKind.TRUE_FALSE:
            Choice.objects.create(question=question, text="True", is_correct=answer, position=1)
            Choice.objects.create(
                question=question, text="False", is_correct=not answer, position=2
            )
        elif kind != QuestionKind.SHORT_TEXT:
            for c_index, (choice, correct) in enumerate(answer, start=1):
                Choice.objects.create(
                    question=question, text=choice, is_correct=correct, position=c_index
                )
    actions.publish_draft(author, course, "First edition")
    course.refresh_from_db()
    return course


def _credential(
    person: Any, certification: Certification, issued_days_ago: int, granted_by: Any = None
) -> None:
    """An earned credential dated in the past (one in progress is completed)."""
    now = timezone.now()
    issued = now - timedelta(days=issued_days_ago)
    expires = (
        (issued + relativedelta(months=certification.validity_months))
        if certification.validity_months
        else None
    )
    Credential.objects.update_or_create(
        user=person, certification=certification, is_current=True,
        defaults={
            "status": CredentialStatus.ACTIVE, "issued_at": issued, "started_at": issued - timedelta(days=20),
            "expires_at": expires,
            "expiring_from": expires - timedelta(days=certification.recert_window_days) if expires else None,
            "granted_by": granted_by,
            "grant_reason": "Completed the certification before Touchpoint" if granted_by else "",
        },
    )  # fmt: skip


def _complete(person: Any, course: Course, days_ago: int) -> None:
    """A course the person finished `days_ago` days ago."""
    complete_course(person, course)
    enrolment = Enrolment.objects.get(user=person, course=course, is_current=True)
    when = timezone.now() - timedelta(days=days_ago)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=when, started_at=when - timedelta(days=3), enrolled_at=when - timedelta(days=5)
    )


def _part_way(
    person: Any,
    course: Course,
    lessons_done: int,
    due_in_days: int | None = None,
    assigner: Any = None,
) -> None:
    if Enrolment.objects.filter(user=person, course=course).exists():
        return
    due = timezone.now() + timedelta(days=due_in_days) if due_in_days is not None else None
    if assigner is not None:
        enrolment = actions.enrol(
            person,
            course,
            actor=assigner,
            source=Source.ASSIGNED,
            due_at=due if due and due > timezone.now() else None,
        )
        if due and due <= timezone.now():
            Enrolment.objects.filter(pk=enrolment.pk).update(due_at=due)
    else:
        enrolment = actions.enrol(person, course, source=Source.SELF)
    lessons = actions.lessons_of(enrolment)
    for lesson in lessons[:lessons_done]:
        actions.complete_lesson(enrolment, lesson)
    if lessons_done and lessons_done < len(lessons):
        actions.record_visit(enrolment, lessons[lessons_done])


def seed(demo: Demo) -> None:
    mia, sam = demo.staff["mia"], demo.staff["sam"]
    if Course.objects.filter(title=COURSES[0][0]).exists():
        return  # already told
    courses = {
        title: _course(title, department, summary, sections, mia if department == "Sales" else sam)
        for title, department, summary, sections in COURSES
    }
    c = list(courses.values())
    sales_launch = LearningPath.objects.create(
        title="X200 sales launch",
        summary="Everything a salesperson needs for the X200 season.",
        status=Status.PUBLISHED,
        created_by=mia,
    )
    for position, course in enumerate(c[0:3], start=1):
        PathStep.objects.create(path=sales_launch, course=course, position=position)
    new_tech = LearningPath.objects.create(
        title="New service technician",
        summary="From first day to certified X200 technician.",
        status=Status.PUBLISHED,
        created_by=sam,
    )
    for position, course in enumerate([c[3], c[4], c[5]], start=1):
        PathStep.objects.create(
            path=new_tech, course=course, position=position, requires_previous=position == 3
        )

    service_cert = Certification.objects.create(
        name="X200 Certified Service Technician", status=Status.PUBLISHED, validity_months=24, recert_window_days=60,
        description="Services and maintains the X200 safely and to the Ridgeline schedule.",
    )  # fmt: skip
    service_cert.courses.set([c[3], c[5]])
    service_cert.recert_courses.set([c[3]])
    warranty_cert = Certification.objects.create(
        name="Extended Warranty Sales Specialist", status=Status.PUBLISHED, validity_months=12, recert_window_days=30,
        description="Explains and sells the X200 extended warranty correctly at the point of sale.",
    )  # fmt: skip
    warranty_cert.courses.set([c[1], c[2]])
    parts_cert = Certification.objects.create(
        name="Genuine Parts Professional", status=Status.PUBLISHED, validity_months=24,
        description="Orders the right genuine part and files warranty parts claims that are paid.",
    )  # fmt: skip
    parts_cert.courses.set([c[6], c[7]])
    PathStep.objects.create(path=new_tech, certification=service_cert, position=4)

    people = demo.people
    # Alder Creek: Chris certified six months ago; Hannah's expires within 30 days.
    _complete(people["chris"], c[3], 190)
    _credential(people["chris"], service_cert, 180, granted_by=sam)
    _credential(people["hannah"], service_cert, 710, granted_by=sam)  # expires in about 20 days
    # Bob holds the warranty certification; Jamal's has expired.
    _complete(people["bob"], c[1], 60)
    _complete(people["bob"], c[2], 58)
    _credential(people["jamal"], warranty_cert, 400, granted_by=mia)
    _credential(people["derek"], warranty_cert, 350, granted_by=mia)  # expiring soon at Birchwood
    _credential(people["priya"], parts_cert, 90, granted_by=sam)
    _credential(people["zoe"], service_cert, 26 * 30, granted_by=sam)  # expired at Ironwood
    _credential(people["kevin"], warranty_cert, 100, granted_by=mia)
    # Part-way and assigned work, some overdue, for the homes and the team views.
    _part_way(people["bob"], c[0], 2)
    _part_way(people["hannah"], c[4], 1, due_in_days=10, assigner=demo.people["alice"])
    _part_way(people["jamal"], c[1], 1, due_in_days=-3, assigner=demo.people["alice"])
    _part_way(people["maria"], c[3], 2, due_in_days=21, assigner=demo.people["carol"])
    _part_way(people["tom"], c[6], 1, due_in_days=14, assigner=demo.people["carol"])
    _part_way(people["lucia"], c[1], 0)
    path_actions.enrol_in_path(people["sofie"], new_tech, source=Source.SELF)

    # An auto-enrolment rule: service techs at Gold and Platinum dealers take the path.
    audience = Audience.objects.filter(name="Service techs at Gold and Platinum dealers").first()
    if audience:
        rule = EnrolmentRule.objects.create(
            name="Gold and Platinum service techs",
            path=new_tech,
            audience=audience,
            due_in_days=60,
            created_by=sam,
        )
        apply_rule(rule)

    # An upcoming hands-on workshop and a webinar.
    starts = (timezone.now() + timedelta(days=9)).replace(
        hour=13, minute=0, second=0, microsecond=0
    )
    workshop = Session.objects.create(
        course=c[5], kind=SessionKind.CLASSROOM, title="X200 maintenance workshop, Burlington",
        starts_at=starts, ends_at=starts + timedelta(hours=4), location="Alder Creek Outdoor, 12 Pine St, Burlington VT",
        seats=12, instructor=sam, notes="Bring safety glasses.",
    )  # fmt: skip
    for person in ("chris", "hannah", "noah"):
        actions.enrol(people[person], c[5], source=Source.SELF)
        SessionRegistration.objects.get_or_create(
            session=workshop,
            user=people[person],
            defaults={"status": RegistrationStatus.REGISTERED},
        )
    webinar_start = starts + timedelta(days=7)
    Session.objects.create(
        course=c[5], kind=SessionKind.WEBINAR, title="X200 maintenance workshop (webinar)",
        starts_at=webinar_start, ends_at=webinar_start + timedelta(hours=2), join_url="https://meet.ridgeline.example/x200-workshop",
        seats=40, instructor=sam,
    )  # fmt: skip
