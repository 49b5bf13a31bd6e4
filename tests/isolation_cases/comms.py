"""Isolation cases for communication: an announcement meant for Birchwood only (Carol may open
it; Alice and Bob at Alder Creek get the same 404 as for a missing one), authoring and reach
URLs (the author and portal admins; channel managers follow up reach, counted for their own
partners, but edit only their own), and campaign URLs (portal admins only)."""

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
from touchpoint.orgs.models import User


def birchwood_news(p: Personas) -> Announcement:
    return announce(p.pat, "Birchwood only", requires_ack=True, audience=audience_of(p.dealer_b))


def danas_news(p: Personas) -> Announcement:
    """Dana, the channel manager, writes to Birchwood, one of her partners."""
    return announce(
        p.dana, "Birchwood service day", requires_ack=True, audience=audience_of(p.dealer_b)
    )


def mias_news(p: Personas) -> Announcement:
    """Mia, a content owner, writes to everyone."""
    return announce(p.mia, "The X200 sales course is live", requires_ack=True)


def mias_draft(p: Personas) -> Announcement:
    return actions.save_announcement(
        p.mia, Announcement(title="Q3 co-op funds", body="<p>Draft</p>"), publish=False
    )


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
dana = lambda p: p.dana  # noqa: E731 - channel manager of Birchwood, author of her own
mia = lambda p: p.mia  # noqa: E731 - content owner, author of her own


def alder_creek(p: Personas) -> list[User]:
    """Another partner's people: its admin and a sales rep."""
    return [p.alice, p.bob]


def not_the_feed(p: Personas) -> list[User]:
    """People it is not meant for: Alder Creek's, and staff outside its audience."""
    return [p.alice, p.bob, p.evan]


def not_the_author(p: Personas) -> list[User]:
    """Alder Creek's people, and authors who did not write Pat's announcement: channel
    managers (Dana's own partners or not) and a content owner."""
    return [p.alice, p.bob, p.dana, p.evan, p.mia]


def not_dana(p: Personas) -> list[User]:
    """Against Dana's own: the other region's channel manager, another author, and Carol,
    for whom it is meant but who does not write announcements."""
    return [p.evan, p.mia, p.carol]


def no_reach_of_pats(p: Personas) -> list[User]:
    """Reach is for the author, portal admins and channel managers (theirs counted): not
    for another content owner, nor for partner people."""
    return [p.alice, p.bob, p.mia, p.sol]


def no_reach_of_mias(p: Personas) -> list[User]:
    return [p.alice, p.bob, p.sol]


def no_reach_of_a_draft(p: Personas) -> list[User]:
    """A draft has no reach to follow up: only its author opens the page."""
    return [p.dana, p.evan, p.sol, p.alice]


def not_a_portal_admin(p: Personas) -> list[User]:
    return [p.alice, p.bob, p.dana, p.mia]


def reach(method: str = "get") -> list[Case]:
    return [
        Case(birchwood_news, pat, method, outsiders=no_reach_of_pats),
        Case(mias_news, mia, method, outsiders=no_reach_of_mias),
        Case(mias_draft, mia, method, outsiders=no_reach_of_a_draft),
    ]


CASES = {
    "comms:announcement": Case(birchwood_news, carol, outsiders=alder_creek),
    "comms:mark_read": Case(birchwood_news, carol, "post", outsiders=not_the_feed),
    "comms:acknowledge": Case(birchwood_news, carol, "post", outsiders=not_the_feed),
    "comms:attachment": Case(
        birchwood_attachment,
        carol,
        args=lambda a: [a.announcement_id, a.pk],
        missing=lambda a: [987_654, a.pk],
        outsiders=alder_creek,
    ),
    "comms:announcement_edit": [
        Case(birchwood_news, pat, outsiders=not_the_author),
        Case(danas_news, dana, outsiders=not_dana),
    ],
    "comms:announcement_end": [
        Case(birchwood_news, pat, "post", outsiders=not_the_author),
        Case(danas_news, dana, "post", outsiders=not_dana),
    ],
    "comms:reach": reach(),
    "comms:reach_csv": reach(),
    "comms:remind": reach("post"),
    "comms:campaign": Case(a_campaign, pat, outsiders=not_a_portal_admin),
    "comms:campaign_edit": Case(a_campaign, pat, outsiders=not_a_portal_admin),
    "comms:step_create": Case(
        a_campaign, pat, data={"kind": "email"}, outsiders=not_a_portal_admin
    ),
    "comms:step_edit": Case(
        a_step, pat, args=lambda s: [s.campaign_id, s.pk], outsiders=not_a_portal_admin
    ),
    "comms:step_delete": Case(
        a_step, pat, "post", args=lambda s: [s.campaign_id, s.pk], outsiders=not_a_portal_admin
    ),
    "comms:tour": Case(birchwood_tour, carol, outsiders=not_the_feed),
    "comms:tour_close": Case(birchwood_tour, carol, "post", outsiders=not_the_feed),
}
