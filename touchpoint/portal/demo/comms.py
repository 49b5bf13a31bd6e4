"""Demo communication for the Ridgeline story: announcements (the urgent warranty policy that
asks for acknowledgement, news linked to a library item and a course, a scheduled one, a
draft) with some read and acknowledged, the portal launch campaign under way, and the X200
launch campaign still to come.

Made as people make them: each author writes and publishes through the announcement action,
the background delivery and the campaign runner do their part as the worker would, and the
readers read and acknowledge through their own actions. Then only the dates are moved into
the story's past. Safe to run again: announcements are found by title and campaigns by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from touchpoint.comms import actions, campaigns
from touchpoint.comms.deliveries import deliver_announcement
from touchpoint.comms.models import (
    Announcement,
    Campaign,
    CampaignStep,
    Delivery,
    Priority,
    StepKind,
    StepProgress,
)
from touchpoint.orgs import actions as orgs_actions
from touchpoint.orgs.audience import Criteria
from touchpoint.orgs.models import Audience, User
from touchpoint.portal.demo.orgs import Demo
from touchpoint.portal.demo.story import backdate

WARRANTY = "New warranty policy from 1 July: register every sale within 10 days"
PORTAL_LAUNCH = "Portal launch: one place for everything Ridgeline"
X200_LAUNCH = "X200 zero-turn launch"
# Dana writes to her own partners only: the audience Pat made for her region.
NORTH_AMERICA_EAST = "North America East partners"


def _no_mail() -> override_settings:
    """The story's emails went out in its past: the demo runs the worker's part without
    mailing the demo's .example addresses again."""
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")


def _audience(name: str) -> Audience | None:
    return Audience.objects.filter(name=name).first()


def _out(announcement: Announcement, when: datetime) -> None:
    """The background delivery of a published announcement, run now as the worker would,
    then its publication and deliveries dated `when`."""
    with _no_mail():
        deliver_announcement.call(announcement.pk)
    backdate(announcement, created_at=when, publish_at=when, published_at=when, delivered_at=when)
    backdate(Delivery.objects.filter(announcement=announcement), delivered_at=when)


def _publish(author: User, days_ago: float, **fields: Any) -> Announcement:
    """The author writes and publishes it (the form's "Publish now"); it went out `days_ago`."""
    found = Announcement.objects.filter(title=fields["title"]).first()
    if found is not None:
        return found
    announcement = actions.save_announcement(author, Announcement(**fields), publish=True)
    _out(announcement, timezone.now() - timedelta(days=days_ago))
    return announcement


def _read(announcement: Announcement, people: Iterable[User], acknowledge: bool = False) -> None:
    """Each person opens it three hours after it went out (and confirms it, when asked)."""
    people = list(people)
    at = (announcement.published_at or timezone.now()) + timedelta(hours=3)
    for person in people:
        if acknowledge:
            actions.acknowledge(person, announcement)
        else:
            actions.mark_read(person, announcement)
    rows = Delivery.objects.filter(announcement=announcement, user__in=people)
    backdate(rows, read_at=at, **({"acknowledged_at": at} if acknowledge else {}))


def seed(demo: Demo) -> None:
    from touchpoint.courses.models import Course
    from touchpoint.library.models import Asset

    now = timezone.now()
    pat, sam, mia, dana, evan = (demo.staff[k] for k in ("admin", "sam", "mia", "dana", "evan"))
    people = demo.people
    guide = Asset.objects.filter(title__startswith="X200 extended warranty").first()
    scheduled_item = Asset.objects.filter(title="G7000 transfer switch: first start-up").first()
    course = Course.objects.filter(title__startswith="X200 zero-turn mower").first()

    if not Announcement.objects.filter(title=WARRANTY).exists():
        warranty = _publish(
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
        # Alice and Carol confirmed it; Derek read it; Bob has it pinned on his home.
        _read(warranty, [people["alice"], people["carol"]], acknowledge=True)
        _read(warranty, [people["derek"]])

    service = _audience("Service techs at Gold and Platinum dealers")
    _publish(
        sam, 5,
        title="Spring service clinics: book your technicians",
        body=(
            "<p>Half-day clinics on the X200 hydrostatic drive and the G7000 generator run in "
            "April. Seats are limited to two technicians per dealer.</p>"
        ),
        priority=Priority.IMPORTANT, audience=service,
    )  # fmt: skip
    if not Announcement.objects.filter(title="The X200 sales course is live").exists():
        launch = _publish(
            mia, 8,
            title="The X200 sales course is live",
            body=(
                "<p>Fifteen minutes on who the X200 is for and how to show it off. Take it "
                "before your next demo day.</p>"
            ),
            course=course,
        )  # fmt: skip
        _read(launch, [people["alice"], people["bob"]])
    _publish(
        pat, 1,
        title="Portal maintenance on Sunday, 06:00–08:00 UTC",
        body="<p>The portal may be unavailable for up to two hours while we upgrade it.</p>",
        ends_at=now + timedelta(days=3),
    )  # fmt: skip
    if not Announcement.objects.filter(title="New CE declarations for the 2025 range").exists():
        ce = _publish(
            evan, 3,
            title="New CE declarations for the 2025 range",
            body="<p>Updated declarations of conformity are attached to each product page. Keep a copy with every sale.</p>",
            requires_ack=True, audience=_audience("EMEA partners"),
        )  # fmt: skip
        _read(ce, [people["ingrid"]], acknowledge=True)

    # Sam schedules the G7000 checklist for two hours after the item itself is published.
    checklist = "G7000 standby installations: the new start-up checklist"
    due = scheduled_item.publish_at if scheduled_item is not None else None
    if due is not None and not Announcement.objects.filter(title=checklist).exists():
        actions.save_announcement(
            sam,
            Announcement(
                title=checklist,
                body="<p>A step-by-step commissioning checklist for every G7000 standby installation.</p>",
                publish_at=due + timedelta(hours=2), asset=scheduled_item, audience=service,
            ),
            publish=True,
        )  # fmt: skip
    co_op = "Q3 co-op funds: claim by 30 September"
    if not Announcement.objects.filter(title=co_op).exists():
        region = _audience(NORTH_AMERICA_EAST) or orgs_actions.save_audience(
            pat, None, name=NORTH_AMERICA_EAST,
            criteria=Criteria(regions=[demo.regions["North America East"].pk]),
        )  # fmt: skip
        actions.save_announcement(
            dana,
            Announcement(
                title=co_op,
                body="<p>Draft: amounts still to be confirmed by Finance.</p>",
                audience=region,
            ),
            publish=False,
        )

    if not Campaign.objects.filter(name=PORTAL_LAUNCH).exists():
        _portal_launch(demo, now)
    if not Campaign.objects.filter(name=X200_LAUNCH).exists():
        _x200_launch(demo, now)


def _portal_launch(demo: Demo, now: datetime) -> None:
    """Pat planned the portal launch a month ago; the teaser went out ten days ago, the
    launch-day email, the tour and the launch-month points a week ago."""
    pat = demo.staff["admin"]
    teaser_at, launch = now - timedelta(days=10), now - timedelta(days=7)
    campaign = actions.save_campaign(
        pat,
        Campaign(
            name=PORTAL_LAUNCH,
            description="Bring every dealer person to the new portal in its first month.",
        ),
    )
    backdate(campaign, created_at=now - timedelta(days=30))
    teaser = actions.save_step(
        pat,
        CampaignStep(
            campaign=campaign, kind=StepKind.TEASER,
            title="Coming next week: your new Ridgeline dealer portal",
            body="<p>Training, price lists, warranty and parts answers in one place, on your phone too.</p>",
            run_at=teaser_at,
        ),
    )  # fmt: skip
    email = actions.save_step(
        pat,
        CampaignStep(
            campaign=campaign, kind=StepKind.EMAIL, title="Launch-day email",
            subject="Your Ridgeline dealer portal is open",
            body="<p>Sign in today: everything you need from Ridgeline is now in one place.</p>",
            run_at=launch,
        ),
    )  # fmt: skip
    tour = actions.save_step(
        pat,
        CampaignStep(
            campaign=campaign, kind=StepKind.TOUR, title="A two-minute tour of your portal",
            run_at=launch, ends_at=now + timedelta(days=21),
        ),
        stops=[
            {"title": "Home is your starting point",
             "text": "What is due, news for you and where you left off, every time you sign in.", "url": "/"},
            {"title": "Learning",
             "text": "Courses and certifications for your role, with due dates.", "url": "/learn/"},
            {"title": "The library",
             "text": "Spec sheets, price lists and how-to articles, always the current version.",
             "url": "/library/"},
            {"title": "News",
             "text": "Announcements from Ridgeline; urgent ones stay on top until you confirm them.",
             "url": "/news/"},
        ],
    )  # fmt: skip
    incentives = actions.save_step(
        pat,
        CampaignStep(
            campaign=campaign, kind=StepKind.INCENTIVES, title="Launch month points",
            run_at=launch, ends_at=now + timedelta(days=21),
            points_first_sign_in=50, points_profile=25, points_first_course=100,
        ),
    )  # fmt: skip

    # The worker's runs since: the publisher sends the teaser, the campaign runner starts the
    # steps that are due (the email goes to everyone the campaign reaches).
    with _no_mail():
        actions.publish_due(now)
        campaigns.start_due_steps(now)
    assert teaser.announcement is not None
    _out(teaser.announcement, teaser_at)
    backdate(teaser, started_at=teaser_at)
    for step in (email, tour, incentives):
        backdate(step, started_at=launch)
    backdate(StepProgress.objects.filter(step=email), reached_at=launch)
    # The runner's latest run, a week into the launch: who earned points, who acted on the email.
    campaigns.award_incentives(incentives, now)
    campaigns.update_email_actions(now)
    _read(teaser.announcement, list(demo.people.values())[:12])


def _x200_launch(demo: Demo, now: datetime) -> None:
    pat = demo.staff["admin"]
    campaign = actions.save_campaign(
        pat,
        Campaign(
            name=X200_LAUNCH,
            description="Pilots sell the X200 first; the whole channel follows a month later.",
            audience=_audience("X200 launch pilots"),
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
