"""Isolation cases for communication: an announcement meant for Birchwood only (Carol may open
it, Alice gets the same 404 as for a missing one), authoring and reach URLs (vendor staff
only), and campaign URLs (portal admins only)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.library import PDF
from touchpoint.comms import actions
from touchpoint.comms.models import (
    Announcement,
    Attachment,
    Campaign,
    CampaignStep,
    StepKind,
    TourStop,
)
from touchpoint.comms.tests.helpers import announce, audience_of


def birchwood_news(p: Personas) -> Announcement:
    return announce(p.pat, "Birchwood only", requires_ack=True, audience=audience_of(p.dealer_b))


def birchwood_attachment(p: Personas) -> Attachment:
    announcement = birchwood_news(p)
    attachment = Attachment(
        announcement=announcement, file_name="policy.pdf", file_type="application/pdf"
    )
    attachment.file.save("policy.pdf", ContentFile(PDF), save=True)
    return attachment


def a_campaign(p: Personas) -> Campaign:
    return actions.save_campaign(p.pat, Campaign(name="Launch"))


def a_step(p: Personas) -> CampaignStep:
    return actions.save_step(p.pat, CampaignStep(
        campaign=a_campaign(p), kind=StepKind.EMAIL, title="Email", subject="Hi", body="<p>Hi</p>",
        run_at=timezone.now() + timedelta(days=1),
    ))  # fmt: skip


def birchwood_tour(p: Personas) -> CampaignStep:
    campaign = actions.save_campaign(
        p.pat, Campaign(name="Birchwood tour", audience=audience_of(p.dealer_b))
    )
    step = CampaignStep.objects.create(
        campaign=campaign, kind=StepKind.TOUR, title="Tour", run_at=timezone.now(),
        started_at=timezone.now(),
    )  # fmt: skip
    TourStop.objects.create(step=step, title="Home", text="Start here", url="/")
    return step


carol = lambda p: p.carol  # noqa: E731 - Birchwood's admin, for whom it is meant
pat = lambda p: p.pat  # noqa: E731 - the author and portal admin

CASES = {
    "comms:announcement": Case(birchwood_news, carol),
    "comms:mark_read": Case(birchwood_news, carol, "post"),
    "comms:acknowledge": Case(birchwood_news, carol, "post"),
    "comms:attachment": Case(
        birchwood_attachment,
        carol,
        args=lambda a: [a.announcement_id, a.pk],
        missing=lambda a: [987_654, a.pk],
    ),
    "comms:announcement_edit": Case(birchwood_news, pat),
    "comms:announcement_end": Case(birchwood_news, pat, "post"),
    "comms:reach": Case(birchwood_news, pat),
    "comms:reach_csv": Case(birchwood_news, pat),
    "comms:remind": Case(birchwood_news, pat, "post"),
    "comms:campaign": Case(a_campaign, pat),
    "comms:campaign_edit": Case(a_campaign, pat),
    "comms:step_create": Case(a_campaign, pat, data={"kind": "email"}),
    "comms:step_edit": Case(a_step, pat, args=lambda s: [s.campaign_id, s.pk]),
    "comms:step_delete": Case(a_step, pat, "post", args=lambda s: [s.campaign_id, s.pk]),
    "comms:tour": Case(birchwood_tour, carol),
    "comms:tour_close": Case(birchwood_tour, carol, "post"),
}
