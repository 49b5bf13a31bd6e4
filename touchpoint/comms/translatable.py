"""Which of comms' items authors translate: announcements, and a tour with its stops."""

from __future__ import annotations

from django.urls import reverse

from touchpoint.comms.models import Announcement, CampaignStep, StepKind
from touchpoint.kernel.translations import TranslatableKind, kinds

kinds.register(
    TranslatableKind(
        "announcement",
        Announcement,
        back_url=lambda a: reverse("comms:announcement_edit", args=[a.pk]),
    )
)
kinds.register(
    TranslatableKind(
        "tour",
        CampaignStep,
        back_url=lambda s: reverse("comms:step_edit", args=[s.campaign_id, s.pk]),
        parts=lambda s: list(s.stops.all()),
        applies=lambda s: s.kind == StepKind.TOUR,
    )
)
