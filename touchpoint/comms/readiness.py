"""Communication's part of launch readiness: announcements scheduled, held back, and launch
campaigns with steps still to come (seed 004: a launch needs a marketing plan)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from touchpoint.comms.models import Announcement, AnnouncementState, CampaignStep
from touchpoint.library.readiness import Fact, Readiness, contribute


@contribute
def comms_readiness(readiness: Readiness) -> None:
    counts = Announcement.objects.aggregate(
        scheduled=Count("pk", filter=Q(state=AnnouncementState.SCHEDULED)),
        held=Count("pk", filter=Q(state=AnnouncementState.HELD)),
    )
    upcoming = CampaignStep.objects.filter(run_at__gt=timezone.now()).aggregate(
        steps=Count("pk"), campaigns=Count("campaign", distinct=True)
    )
    manage = reverse("comms:manage")
    readiness.channel += [
        Fact(_("Scheduled announcements"), counts["scheduled"], manage + "?state=scheduled",
             counts["scheduled"] > 0),
        Fact(_("Announcements held back"), counts["held"], manage + "?state=held", counts["held"] == 0),
        Fact(_("Campaigns with steps to come"), upcoming["campaigns"], reverse("comms:campaign_list"),
             upcoming["campaigns"] > 0),
    ]  # fmt: skip
    if not counts["scheduled"] and not upcoming["steps"]:
        readiness.channel_missing.append(
            _(
                "No announcement or campaign step is scheduled: plan how partners hear about the launch."
            )
        )
    if counts["held"]:
        readiness.channel_missing.append(
            _("Some announcements are held back because the item they announce is not published.")
        )
