"""Demo communication for the Ridgeline story: announcements (the urgent warranty policy that
asks for acknowledgement, news linked to a library item and a course, a scheduled one, a
draft) with some read and acknowledged, the portal launch campaign under way, and the X200
launch campaign still to come."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from touchpoint.comms import actions, campaigns
from touchpoint.comms.deliveries import deliver
from touchpoint.comms.models import (
    Announcement,
    AnnouncementState,
    Campaign,
    CampaignStep,
    Delivery,
    Priority,
    StepKind,
    TourStop,
)
from touchpoint.orgs.models import Audience
from touchpoint.portal.demo.orgs import Demo

WARRANTY = "New warranty policy from 1 July: register every sale within 10 days"


def _audience(name: str) -> Audience | None:
    return Audience.objects.filter(name=name).first()


def _published(author: Any, days_ago: float, **fields: Any) -> Announcement:
    when = timezone.now() - timedelta(days=days_ago)
    announcement = Announcement.objects.create(
        author=author, state=AnnouncementState.PUBLISHED, publish_at=when, published_at=when,
        delivered_at=when, **fields,
    )  # fmt: skip
    deliver(announcement)
    Delivery.objects.filter(announcement=announcement).update(delivered_at=when)
    return announcement


def _read(announcement: Announcement, people: list[Any], acknowledge: bool = False) -> None:
    rows = Delivery.objects.filter(announcement=announcement, user__in=people)
    at = announcement.published_at or timezone.now()
    rows.update(read_at=at + timedelta(hours=3))
    if acknowledge:
        rows.update(acknowledged_at=F("read_at"))


def seed(demo: Demo) -> None:
    from touchpoint.courses.models import Course
    from touchpoint.library.models import Asset

    if Announcement.objects.filter(title=WARRANTY).exists():
        return
    now = timezone.now()
    pat, sam, mia, dana = (demo.staff[k] for k in ("admin", "sam", "mia", "dana"))
    people = demo.people
    guide = Asset.objects.filter(title__startswith="X200 extended warranty").first()
    scheduled_item = Asset.objects.filter(title="G7000 transfer switch: first start-up").first()
    course = Course.objects.filter(title__startswith="X200 zero-turn mower").first()

    warranty = _published(
        sam, 2,
        title=WARRANTY,
        body=(
            "<p>From <strong>1 July</strong>, every Ridgeline product sold must be registered "
            "in the portal within <strong>10 days</strong> of the sale, or the warranty starts "
            "on the shipping date instead of the sale date.</p>"
            "<ul><li>Register the serial number and the customer's details.</li>"
            "<li>Offer the extended protection plan at the same time: see the point-of-sale guide.</li></ul>"
            "<p>Please confirm you have read this policy.</p>"
        ),
        priority=Priority.URGENT, requires_ack=True, asset=guide,
    )  # fmt: skip
    _read(warranty, [people["alice"], people["carol"]], acknowledge=True)
    _read(warranty, [people.get("derek") or people["carol"]])

    service = _audience("Service techs at Gold and Platinum dealers")
    _published(
        sam, 5,
        title="Spring service clinics: book your technicians",
        body=(
            "<p>Half-day clinics on the X200 hydrostatic drive and the G7000 generator run in "
            "April. Seats are limited to two technicians per dealer.</p>"
        ),
        priority=Priority.IMPORTANT, audience=service,
    )  # fmt: skip
    launch = _published(
        mia, 8,
        title="The X200 sales course is live",
        body=(
            "<p>Fifteen minutes on who the X200 is for and how to show it off. Take it before "
            "your next demo day.</p>"
        ),
        course=course,
    )  # fmt: skip
    _read(launch, [people["alice"], people["bob"]])
    _published(
        pat, 1,
        title="Portal maintenance on Sunday, 06:00–08:00 UTC",
        body="<p>The portal may be unavailable for up to two hours while we upgrade it.</p>",
        ends_at=now + timedelta(days=3),
    )  # fmt: skip
    emea = _audience("EMEA partners")
    ce = _published(
        demo.staff["evan"], 3,
        title="New CE declarations for the 2025 range",
        body="<p>Updated declarations of conformity are attached to each product page. Keep a copy with every sale.</p>",
        requires_ack=True, audience=emea,
    )  # fmt: skip
    _read(ce, [people[k] for k in ("ingrid",) if k in people], acknowledge=True)
    if scheduled_item is not None and scheduled_item.publish_at:
        Announcement.objects.create(
            author=sam, state=AnnouncementState.SCHEDULED,
            publish_at=scheduled_item.publish_at + timedelta(hours=2),
            title="G7000 standby installations: the new start-up checklist",
            body="<p>A step-by-step commissioning checklist for every G7000 standby installation.</p>",
            asset=scheduled_item, audience=service,
        )  # fmt: skip
    Announcement.objects.create(
        author=dana, state=AnnouncementState.DRAFT,
        title="Q3 co-op funds: claim by 30 September",
        body="<p>Draft: amounts still to be confirmed by Finance.</p>",
        audience=None,
    )  # fmt: skip

    _portal_launch(demo, now)
    _x200_launch(demo, now, course)


def _portal_launch(demo: Demo, now: Any) -> None:
    pat = demo.staff["admin"]
    campaign = Campaign.objects.create(
        name="Portal launch: one place for everything Ridgeline",
        description="Bring every dealer person to the new portal in its first month.",
        created_by=pat,
    )
    start = now - timedelta(days=10)
    teaser = _published(
        pat, 10,
        title="Coming next week: your new Ridgeline dealer portal",
        body="<p>Training, price lists, warranty and parts answers in one place, on your phone too.</p>",
    )  # fmt: skip
    _read(teaser, list(demo.people.values())[:12])
    CampaignStep.objects.create(
        campaign=campaign, kind=StepKind.TEASER, title=teaser.title, body=teaser.body,
        run_at=start, announcement=teaser, started_at=start,
    )  # fmt: skip
    email = CampaignStep.objects.create(
        campaign=campaign, kind=StepKind.EMAIL, title="Launch-day email",
        subject="Your Ridgeline dealer portal is open",
        body="<p>Sign in today: everything you need from Ridgeline is now in one place.</p>",
        run_at=now - timedelta(days=7), started_at=now - timedelta(days=7),
    )  # fmt: skip
    from touchpoint.orgs.audience import users_reached

    reached = users_reached(None)
    email.reached = reached.count()
    email.save(update_fields=["reached"])
    campaigns._insert_progress(email, reached, now - timedelta(days=7))
    campaigns.update_email_actions(now)
    tour = CampaignStep.objects.create(
        campaign=campaign, kind=StepKind.TOUR, title="A two-minute tour of your portal",
        run_at=now - timedelta(days=7), ends_at=now + timedelta(days=21),
        started_at=now - timedelta(days=7), reached=email.reached,
    )  # fmt: skip
    TourStop.objects.bulk_create(
        [
            TourStop(step=tour, position=0, title="Home is your starting point",
                     text="What is due, news for you and where you left off, every time you sign in.", url="/"),
            TourStop(step=tour, position=1, title="Learning",
                     text="Courses and certifications for your role, with due dates.", url="/learn/"),
            TourStop(step=tour, position=2, title="The library",
                     text="Spec sheets, price lists and how-to articles, always the current version.",
                     url="/library/"),
            TourStop(step=tour, position=3, title="News",
                     text="Announcements from Ridgeline; urgent ones stay on top until you confirm them.",
                     url="/news/"),
        ]
    )  # fmt: skip
    incentives = CampaignStep.objects.create(
        campaign=campaign, kind=StepKind.INCENTIVES, title="Launch month points",
        run_at=now - timedelta(days=7), ends_at=now + timedelta(days=21),
        started_at=now - timedelta(days=30), reached=email.reached,
        points_first_sign_in=50, points_profile=25, points_first_course=100,
    )  # fmt: skip
    campaigns.award_incentives(incentives, now)


def _x200_launch(demo: Demo, now: Any, course: Any) -> None:
    pat = demo.staff["admin"]
    pilots = _audience("X200 launch pilots")
    campaign = actions.save_campaign(
        pat,
        Campaign(
            name="X200 zero-turn launch",
            description="Pilots sell the X200 first; the whole channel follows a month later.",
            audience=pilots,
        ),
    )
    actions.save_step(
        pat,
        CampaignStep(
            campaign=campaign, kind=StepKind.TEASER, title="Something fast is coming on 1 May",
            body="<p>Pilot dealers: a new zero-turn mower arrives in two weeks. Watch this space.</p>",
            run_at=now + timedelta(days=2),
        ),
    )  # fmt: skip
    actions.save_step(
        pat,
        CampaignStep(
            campaign=campaign, kind=StepKind.EMAIL, title="Launch email to pilots",
            subject="The X200 is here: take the 15-minute sales course",
            body="<p>The X200 sales course is ready. Take it before your demo day.</p>",
            run_at=now + timedelta(days=14),
        ),
    )  # fmt: skip
    actions.save_step(
        pat,
        CampaignStep(
            campaign=campaign, kind=StepKind.INCENTIVES, title="First X200 course: 150 points",
            run_at=now + timedelta(days=14), ends_at=now + timedelta(days=45),
            points_first_course=150,
        ),
    )  # fmt: skip
