"""Every email the portal sends keeps what people typed as typed: the subject and the text
part are plain text ("L&D", "Jamal Reed's", "<b>" arrive as written) and only the HTML part
escapes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from touchpoint.comms.campaigns import send_email_step
from touchpoint.comms.deliveries import email_urgent
from touchpoint.comms.models import Announcement, Campaign, CampaignStep, Delivery, Priority
from touchpoint.kernel.digests import send_due_digests
from touchpoint.kernel.models import NotificationPreference, PortalSettings
from touchpoint.kernel.notifications import notify
from touchpoint.orgs.models import Invitation, PartnerApplication, ProgramTerms
from touchpoint.orgs.tasks import (
    send_application_received,
    send_application_rejection,
    send_invitation,
)

TYPED = 'Lee & Park\'s "<b>L&D</b>"'
ESCAPED = "Lee &amp; Park&#x27;s &quot;&lt;b&gt;L&amp;D&lt;/b&gt;&quot;"


def _notification(p: Any, outbox: list[EmailMessage], on_commit: Any, run_worker: Any) -> None:
    NotificationPreference.objects.create(user=p.bob, kind="team", channel="email")
    with on_commit():
        notify([p.bob], "team", TYPED, body=TYPED)
    run_worker()


def _digest(p: Any, outbox: list[EmailMessage], on_commit: Any, run_worker: Any) -> None:
    NotificationPreference.objects.create(user=p.bob, kind="team", channel="daily")
    notify([p.bob], "team", TYPED, body=TYPED)
    send_due_digests(now=timezone.now() + timedelta(days=2))


def _invitation(p: Any, outbox: list[EmailMessage], on_commit: Any, run_worker: Any) -> None:
    p.dealer_a.name = TYPED
    p.dealer_a.save()
    invitation = Invitation.objects.create(user=p.bob, invited_by=p.alice)
    send_invitation.call(invitation.pk)


def _application(p: Any) -> PartnerApplication:
    terms = ProgramTerms.objects.create(version="1", title="Terms", body="<p>x</p>")
    return PartnerApplication.objects.create(
        company_name=TYPED, kind="dealer", country="US", contact_name=TYPED,
        contact_email="rosa@quarry.example", terms=terms, region=p.regions["nae"],
        decision_note=TYPED,
    )  # fmt: skip


def _received(p: Any, outbox: list[EmailMessage], on_commit: Any, run_worker: Any) -> None:
    send_application_received.call(_application(p).pk)


def _rejection(p: Any, outbox: list[EmailMessage], on_commit: Any, run_worker: Any) -> None:
    send_application_rejection.call(_application(p).pk)


def _urgent(p: Any, outbox: list[EmailMessage], on_commit: Any, run_worker: Any) -> None:
    announcement = Announcement.objects.create(
        title=TYPED, body="<p>Lee &amp; Park&#x27;s &quot;&lt;b&gt;L&amp;D&lt;/b&gt;&quot;</p>",
        priority=Priority.URGENT, author=p.mia,
    )  # fmt: skip
    Delivery.objects.create(announcement=announcement, user=p.bob, partner=p.dealer_a)
    email_urgent(announcement)


def _campaign(p: Any, outbox: list[EmailMessage], on_commit: Any, run_worker: Any) -> None:
    campaign = Campaign.objects.create(name="X200 launch")
    step = CampaignStep.objects.create(
        campaign=campaign, kind="email", title="Email", run_at=timezone.now(),
        subject=TYPED, body="<p>Lee &amp; Park&#x27;s &quot;&lt;b&gt;L&amp;D&lt;/b&gt;&quot;</p>",
    )  # fmt: skip
    send_email_step(step)


KINDS: dict[str, Callable[..., None]] = {
    "notification": _notification,
    "digest": _digest,
    "invitation": _invitation,
    "application_received": _received,
    "application_rejected": _rejection,
    "announcement_urgent": _urgent,
    "campaign_email": _campaign,
}


def test_every_email_template_has_a_case_here() -> None:
    found = {
        path.name.removesuffix("_subject.txt")
        for path in Path(settings.BASE_DIR, "touchpoint").glob("*/templates/emails/*_subject.txt")
    }
    assert found == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_it_sends_what_people_typed_as_typed(
    personas: Any, mailoutbox: list[Any], on_commit: Any, run_worker: Any, kind: str
) -> None:
    PortalSettings.objects.update(name=TYPED)
    KINDS[kind](personas, mailoutbox, on_commit, run_worker)
    message = mailoutbox[-1]
    (html, _mimetype), *_rest = message.alternatives
    assert TYPED in message.subject
    assert TYPED in message.body
    for entity in ("&amp;", "&#x27;", "&quot;", "&lt;", "&gt;"):
        assert entity not in message.subject + message.body, entity
    assert ESCAPED in html and "<b>L&D</b>" not in html
