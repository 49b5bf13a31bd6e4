"""Launch campaigns: steps run by the periodic task, the timeline with reach and action per
step, the feature tour shown until dismissed, and incentives recorded once each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import Personas
from tests.support.courses import complete_course, make_course
from touchpoint.comms import actions, campaigns
from touchpoint.comms.models import (
    AnnouncementState,
    Campaign,
    CampaignStep,
    IncentiveAward,
    StepKind,
    StepProgress,
    TourStop,
)
from touchpoint.comms.tests.helpers import audience_of
from touchpoint.kernel.models import ActivityEvent

pytestmark = pytest.mark.django_db


def _campaign(personas: Personas, audience: Any = None) -> Campaign:
    return actions.save_campaign(personas.pat, Campaign(name="Portal launch", audience=audience))


def _step(campaign: Campaign, kind: str, when: Any, **fields: Any) -> CampaignStep:
    fields.setdefault("title", f"A {kind}")
    return actions.save_step(
        campaign.created_by, CampaignStep(campaign=campaign, kind=kind, run_at=when, **fields),
        fields.pop("stops", None),
    )  # fmt: skip


def _tour(campaign: Campaign, when: Any) -> CampaignStep:
    step = _step(campaign, StepKind.TOUR, when, ends_at=when + timedelta(days=30))
    TourStop.objects.create(step=step, position=0, title="Home", text="Start here.", url="/")
    TourStop.objects.create(step=step, position=1, title="Learning", text="Courses.", url="/learn/")
    return step


def test_it_runs_campaign_steps_when_due(
    personas: Personas, mailoutbox: list[Any], run_worker: Any, on_commit: Any
) -> None:
    now = timezone.now()
    campaign = _campaign(personas, audience_of(personas.dealer_a, name="Alder Creek"))
    teaser = _step(campaign, StepKind.TEASER, now + timedelta(hours=1), body="<p>Coming soon</p>")
    _step(campaign, StepKind.EMAIL, now + timedelta(hours=2), subject="It is open",
                  body="<p>Sign in today.</p>")  # fmt: skip
    tour = _tour(campaign, now + timedelta(hours=2))
    assert teaser.announcement is not None
    assert teaser.announcement.state == AnnouncementState.SCHEDULED
    assert [s.state for s in campaign.steps.all()] == ["scheduled", "scheduled", "scheduled"]

    later = now + timedelta(hours=3)
    with on_commit():
        actions.publish_due(later)
    run_worker()
    assert campaigns.start_due_steps(later) == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        p.email for p in (personas.alice, personas.bob, personas.hannah)
    )
    assert mailoutbox[0].subject == "It is open"
    states = {s.kind: s.state for s in CampaignStep.objects.select_related("announcement")}
    assert states == {"teaser": "sent", "email": "sent", "tour": "active"}
    # Running again sends nothing twice.
    assert campaigns.start_due_steps(later + timedelta(minutes=5)) == 0
    assert len(mailoutbox) == 3

    page = personas.client(personas.pat).get(reverse("comms:campaign", args=[campaign.pk]))
    figures = {step.kind: f for step, f in page.context["rows"]}
    assert figures["teaser"]["reached"] == 3
    assert figures["email"]["reached"] == 3
    assert tour.pk in {step.pk for step, _f in page.context["rows"]}


def test_it_shows_the_tour_until_dismissed_then_never_again(personas: Personas) -> None:
    campaign = _campaign(personas)
    step = _tour(campaign, timezone.now() + timedelta(minutes=1))
    campaigns.start_due_steps(timezone.now() + timedelta(minutes=2))
    CampaignStep.objects.filter(pk=step.pk).update(started_at=timezone.now() - timedelta(minutes=1))

    bob = personas.client(personas.bob)
    assert "Step 1 of 2" in bob.get("/").content.decode()
    assert "Step 1 of 2" in bob.get("/").content.decode()  # not closed yet
    assert StepProgress.objects.filter(step=step).count() == 1  # reached once
    second = bob.get(reverse("comms:tour", args=[step.pk]), {"stop": 1}, HTTP_HX_REQUEST="true")
    assert "Step 2 of 2" in second.content.decode() and "Finish" in second.content.decode()

    bob.post(reverse("comms:tour_close", args=[step.pk]), {"finished": "1"})
    assert "Step 1 of 2" not in bob.get("/").content.decode()
    progress = StepProgress.objects.get(step=step, user=personas.bob)
    assert progress.acted_at is not None

    carol = personas.client(personas.carol)
    carol.get("/")
    carol.post(reverse("comms:tour_close", args=[step.pk]), {"finished": "0"})
    assert "Step 1 of 2" not in carol.get("/").content.decode()
    assert StepProgress.objects.get(user=personas.carol).acted_at is None
    # Staff and people outside the audience never see it.
    assert "Step 1 of 2" not in personas.client(personas.pat).get("/").content.decode()


def test_it_records_each_incentive_once(personas: Personas) -> None:
    campaign = _campaign(personas, audience_of(personas.dealer_a, name="Alder Creek"))
    now = timezone.now()
    step = _step(campaign, StepKind.INCENTIVES, now - timedelta(minutes=2),
                 ends_at=now + timedelta(days=30), points_first_sign_in=50,
                 points_profile=25, points_first_course=100)  # fmt: skip
    campaigns.start_due_steps(now - timedelta(minutes=1))
    step.refresh_from_db()
    assert step.state == "active" and step.reached == 3

    personas.bob.last_login = step.started_at + timedelta(minutes=1)
    personas.bob.title = "Sales rep"
    personas.bob.save()
    course = make_course(personas.mia, "X200 selling")
    complete_course(personas.bob, course)
    personas.bob.refresh_from_db()
    complete_course(personas.alice, course)

    later = now + timedelta(hours=1)
    first = campaigns.award_incentives(step, later)
    again = campaigns.award_incentives(step, later + timedelta(minutes=5))
    assert again == 0
    awards = set(IncentiveAward.objects.values_list("user__email", "incentive"))
    assert (personas.bob.email, "first-sign-in") in awards
    assert (personas.bob.email, "profile-complete") in awards
    assert (personas.bob.email, "first-course") in awards
    assert (personas.alice.email, "first-course") in awards
    assert (personas.carol.email, "first-course") not in awards  # not in the audience
    events = ActivityEvent.objects.filter(verb="earned", object_type="comms.campaign")
    assert events.count() == first == len(awards)
    event = events.get(actor=personas.bob, extra__incentive="first-course")
    assert event.extra == {"incentive": "first-course", "points": 100, "step": step.pk}
    assert event.object_id == str(campaign.pk)
    assert event.partner_id == personas.dealer_a.pk


def test_it_lets_only_portal_admins_run_campaigns(personas: Personas) -> None:
    campaign = _campaign(personas)
    for person in (personas.dana, personas.mia, personas.alice):
        client = personas.client(person)
        assert client.get(reverse("comms:campaign_list")).status_code == 403
        assert client.get(reverse("comms:campaign", args=[campaign.pk])).status_code == 404


def test_it_builds_a_campaign_from_the_pages(personas: Personas) -> None:
    pat = personas.client(personas.pat)
    response = pat.post(reverse("comms:campaign_create"), {"name": "X200 launch", "audience": ""})
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    when = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("comms:step_create", args=[campaign.pk])
    past = timezone.localtime(timezone.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = pat.post(
        url, {"kind": "email", "title": "Launch", "subject": "Hi", "body": "Hello", "run_at": past}
    )
    assert "This time has passed" in refused.content.decode()
    pat.post(
        url, {"kind": "email", "title": "Launch", "subject": "Hi", "body": "Hello", "run_at": when}
    )
    pat.post(url, {
        "kind": "tour", "title": "Tour", "run_at": when,
        "stops-TOTAL_FORMS": "2", "stops-INITIAL_FORMS": "0", "stops-MIN_NUM_FORMS": "1",
        "stops-MAX_NUM_FORMS": "8", "stops-0-title": "Home", "stops-0-text": "Start", "stops-0-url": "/",
        "stops-1-title": "", "stops-1-text": "", "stops-1-url": "",
    })  # fmt: skip
    pat.post(url, {"kind": "teaser", "title": "Soon", "body": "Soon!", "run_at": when})
    kinds = sorted(campaign.steps.values_list("kind", flat=True))
    assert kinds == ["email", "teaser", "tour"]
    assert TourStop.objects.get().url == "/"
    assert campaign.steps.get(kind="teaser").announcement.state == AnnouncementState.SCHEDULED
