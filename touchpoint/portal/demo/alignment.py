"""The Ridgeline L&D request story (../shared/DEMO.md): requests of each relationship type
(seed 002) from the Service and Sales departments and from dealers, in every status, with
owners, KPIs, comments and deliverables: the Service department's X200 course for the
first-time-fix rate, Alder Creek's extended-warranty guide for the attach rate (delivered
as a library item and the point-of-sale context), a technician's question answered in the
forum, a CSAT partnership, and one declined with its reason.

Made as people make them: each requester submits through the intake action, the learning
team triages, comments and links deliverables through theirs (so the timeline, the audit
trail and the notifications come from the actions). Then only the dates are moved into the
story's past. Safe to run again: a request is found by its title and requester before
anything is written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone

from touchpoint.alignment import actions
from touchpoint.alignment.models import (
    Deliverable,
    DeliverableKind,
    LearningRequest,
    TimelineEntry,
)
from touchpoint.contextual.models import ContextMapping
from touchpoint.courses.models import Course
from touchpoint.kernel.models import Notification
from touchpoint.library.models import Asset
from touchpoint.orgs.models import Department, JobRole
from touchpoint.portal.demo.orgs import Demo
from touchpoint.portal.demo.story import backdate


@dataclass
class Step:
    """Something that happened to a request, `days_ago` before today."""

    days_ago: int
    actor: str  # a demo key: a staff member ("mia") or a partner person ("alice")
    triage: dict[str, Any] | None = None
    comment: str = ""
    link: tuple[str, str] | None = None  # (kind, what): see _deliverable


@dataclass
class Spec:
    title: str
    requester: str
    days_ago: int
    need: str
    audience: str
    outcome: str
    deadline_in: int
    department: str = ""
    job_role: str = ""
    kpi: tuple[str, str | None, str, str, int] | None = None  # metric, baseline, target, unit, days
    steps: list[Step] = field(default_factory=list)


def _t(
    relationship: str, status: str, owner: str | None, priority: int = 2, reason: str = ""
) -> dict[str, Any]:
    return {"relationship": relationship, "status": status, "owner": owner,
            "priority": priority, "decline_reason": reason}  # fmt: skip


REQUESTS = [
    Spec(
        "X200 service course for new technicians", "sam", 40,
        "New technicians take two or three visits to finish an X200 50-hour service: they miss "
        "the deck spindle check and order parts only after opening the machine.",
        "Service technicians in their first year, at every dealer",
        "More X200 repairs fixed on the first visit; fewer return trips and warranty labour claims.",
        35, department="Service", job_role="service",
        kpi=("First-time-fix rate", "78", "85", "%", 270),
        steps=[
            Step(38, "mia", triage=_t("vendor", "triaged", "mia", 3)),
            Step(37, "mia", comment="We have most of it in the Service fundamentals course already. "
                                    "Can you send the ten most common repeat-visit causes?"),
            Step(33, "sam", comment="Attached to the service bulletin SB-2026-03; the spindle check is #1."),
            Step(30, "mia", triage=_t("vendor", "in_progress", "mia", 3)),
            Step(12, "mia", link=("course", "X200 service fundamentals")),
        ],
    ),
    Spec(
        "Extended-warranty sales guide for the showroom", "alice", 30,
        "Our reps forget the X200 Extended Protection Plan, or mention it after the price is "
        "agreed, when customers treat it as something to negotiate away.",
        "Sales reps at Alder Creek, Burlington and both locations",
        "More X200 buyers leave with the extended warranty.",
        20, job_role="sales",
        kpi=("Extended-warranty attach rate", "18", "25", "%", 180),
        steps=[
            Step(29, "mia", triage=_t("self_service", "triaged", "mia")),
            Step(29, "mia", comment="The guide exists; we'll put it one click from the warranty "
                                    "screen of your POS so reps get it at the moment of the sale."),
            Step(26, "mia", triage=_t("self_service", "in_progress", "mia")),
            Step(22, "mia", link=("asset", "X200 extended warranty")),
            Step(21, "mia", link=("mapping", "pos/extended-warranty/model-x200")),
            Step(21, "mia", triage=_t("self_service", "delivered", "mia")),
            Step(15, "alice", comment="Bob used it on Saturday's sale. Thank you!"),
        ],
    ),
    Spec(
        "Generator won't start after winter storage", "hannah", 9,
        "Customers bring G3500s back in spring that will not start. I have one tomorrow morning "
        "and the manual only says to check the fuel.",
        "Service technicians",
        "The generator leaves fixed on the first visit.",
        2, job_role="service",
        steps=[
            Step(9, "sam", triage=_t("broker", "triaged", "sam", 3)),
            Step(8, "sam", link=("link", "generator")),
            Step(8, "sam", comment="I answered this in the forum with the troubleshooting guide "
                                   "from Product Development; the carburettor step is the one."),
            Step(8, "sam", triage=_t("broker", "delivered", "sam", 3)),
        ],
    ),
    Spec(
        "Raise customer satisfaction 2 points next year", "sam", 20,
        "Service CSAT has been flat at 82 for two years. We want a programme, not a course: "
        "what do the best dealers do differently, and how do we get the rest there?",
        "Service managers and technicians at every dealer",
        "Customers rate dealer service higher and come back for the 50-hour service.",
        300, department="Service", job_role="management",
        kpi=("Service CSAT", "82", "84", "points", 365),
        steps=[
            Step(18, "admin", triage=_t("strategic", "triaged", "admin", 3)),
            Step(17, "admin", comment="Let's plan this together: a needs analysis with three Gold "
                                      "dealers in January, then a roadmap and the measures."),
            Step(10, "admin", triage=_t("strategic", "in_progress", "admin", 3)),
        ],
    ),
    Spec(
        "Bookkeeping course for our office staff", "carol", 14,
        "Our office manager would like a course on small-business bookkeeping.",
        "Office staff", "Fewer accounting mistakes.", 60,
        steps=[
            Step(12, "mia", triage=_t("", "declined", "mia", 1,
                 "General bookkeeping is outside the Ridgeline program, so we cannot build it. "
                 "For floor-plan and payment terms, see the Finance section of the library.")),
        ],
    ),
    Spec(
        "G7000 standby generator launch training", "mia", 25,
        "Dealers need to sell and install the G7000 from launch day: sizing, the transfer switch "
        "and the permit paperwork.",
        "Sales reps and installers at Gold and Platinum dealers",
        "G7000 sales in the first quarter after launch without installation call-backs.",
        90, department="Sales",
        kpi=("G7000 units sold in launch quarter", None, "400", "units", 200),
        steps=[
            Step(24, "mia", triage=_t("vendor", "triaged", "mia", 2)),
            Step(11, "mia", triage=_t("vendor", "on_hold", "mia", 2)),
            Step(11, "mia", comment="On hold until Product confirms the launch date (moved to spring)."),
        ],
    ),
    Spec(
        "X200 sales course in Norwegian", "ingrid", 3,
        "Our sales team prefers Norwegian; the X200 course is only in English.",
        "Sales reps at Fjord Maskin", "Reps finish the course and sell more X200s.",
        75, job_role="sales",
        kpi=("X200 units sold per month", "6", "9", "units", 240),
    ),
    Spec(
        "Parts lookup help inside the DMS", "priya", 6,
        "When a customer brings an old R21, I cannot find the right blade in the parts catalogue "
        "from the DMS repair order.",
        "Parts staff", "Right part ordered the first time; fewer returns.", 40, job_role="parts",
        steps=[Step(5, "admin", triage=_t("self_service", "triaged", "sam"))],
    ),
]  # fmt: skip


def _person(demo: Demo, key: str) -> Any:
    return demo.staff.get(key) or demo.people[key]


def _forum_answer() -> tuple[str, str]:
    """The forum thread about a generator that will not start, when the community demo has
    one; otherwise a search for it (which lists forum answers as they arrive)."""
    try:
        thread_model = apps.get_model("community", "Thread")
    except LookupError:
        thread_model = None
    if thread_model is not None:
        thread = thread_model.objects.filter(title__icontains="generator").order_by("pk").first()
        if thread is not None and hasattr(thread, "get_absolute_url"):
            return f"Forum answer: {thread}"[:200], thread.get_absolute_url()
    return "Forum answers: generator will not start", "/search/?q=generator+will+not+start"


def _deliverable(kind: str, what: str) -> Deliverable | None:
    if kind == "course":
        course = Course.objects.filter(title=what).first()
        return Deliverable(kind=DeliverableKind.COURSE, course=course) if course else None
    if kind == "asset":
        asset = Asset.objects.filter(title__icontains=what).order_by("title").first()
        return Deliverable(kind=DeliverableKind.ASSET, asset=asset) if asset else None
    if kind == "mapping":
        app, screen, product = what.split("/")
        mapping = ContextMapping.objects.filter(
            app=app, screen=screen, product=product, topic=""
        ).first()
        return Deliverable(kind=DeliverableKind.MAPPING, mapping=mapping) if mapping else None
    title, url = _forum_answer()
    return Deliverable(kind=DeliverableKind.LINK, title=title, url=url)


def _last_pk(model: Any) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@contextmanager
def happened(when: datetime) -> Iterator[None]:
    """What the actions inside the block write to a request's timeline and tell people
    (notifications) is dated `when`. (Activity events are append-only: they keep the time
    the demo was loaded.)"""
    entries, notices = _last_pk(TimelineEntry), _last_pk(Notification)
    yield
    backdate(TimelineEntry.objects.filter(pk__gt=entries), at=when)
    backdate(Notification.objects.filter(pk__gt=notices), created_at=when)


def _new_request(spec: Spec, requester: Any, today: Any) -> LearningRequest:
    """The request as the requester fills in the intake form."""
    request = LearningRequest(
        title=spec.title,
        need=spec.need,
        audience=spec.audience.strip(),
        business_outcome=spec.outcome,
        deadline=today + timedelta(days=spec.deadline_in),
        job_role=JobRole.objects.filter(code=spec.job_role).first() if spec.job_role else None,
    )
    if spec.kpi:
        metric, baseline, target, unit, days = spec.kpi
        request.kpi_metric, request.kpi_unit = metric, unit
        request.kpi_baseline = Decimal(baseline) if baseline is not None else None
        request.kpi_target = Decimal(target)
        request.kpi_by = today + timedelta(days=days)
    return request


def seed(demo: Demo, now: Any = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    for spec in REQUESTS:
        requester = _person(demo, spec.requester)
        if LearningRequest.objects.filter(title=spec.title, requester=requester).exists():
            continue
        created = now - timedelta(days=spec.days_ago)
        department = (
            Department.objects.filter(name=spec.department).first() if spec.department else None
        )
        with happened(created):
            request = actions.submit_request(
                requester, _new_request(spec, requester, today), department=department, today=today
            )
        backdate(request, created_at=created, updated_at=created)
        for step in spec.steps:
            _take(demo, request, step, now - timedelta(days=step.days_ago))


def _take(demo: Demo, request: LearningRequest, step: Step, when: datetime) -> None:
    """One thing that happened to the request, by the person who did it, dated `when`."""
    actor = _person(demo, step.actor)
    request.refresh_from_db()  # as the last step left it (its owner hears of comments)
    with happened(when):
        if step.triage is not None:
            values = dict(step.triage)
            owner = values.pop("owner")
            actions.triage(actor, request, owner=_person(demo, owner) if owner else None, **values)
        if step.comment:
            actions.comment(actor, request, step.comment)
        deliverable = _deliverable(*step.link) if step.link is not None else None
        if deliverable is not None:  # None: not in this demo (e.g. no library yet)
            actions.add_deliverable(actor, request, deliverable)
            backdate(deliverable, added_at=when)
    closed = step.triage is not None and step.triage["status"] in actions.CLOSED
    backdate(request, updated_at=when, **({"closed_at": when} if closed else {}))
