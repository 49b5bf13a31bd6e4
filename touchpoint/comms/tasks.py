"""The periodic jobs of communication: the publisher, catch-up deliveries and campaigns.
(Delivering one announcement and its reminders are tasks of comms.deliveries.)"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from touchpoint.comms import actions, campaigns, deliveries, searchable
from touchpoint.comms.models import Announcement, CampaignStep, Priority, StepKind
from touchpoint.kernel.scheduler import periodic

PUBLISH_EVERY = timedelta(minutes=5)
MAIL_BATCH = 500


@periodic(every=PUBLISH_EVERY)
@task()
def publish_announcements() -> dict[str, int]:
    """Scheduled announcements go out when due (or are held back while their portal item is
    unpublished); those that ended leave search."""
    now = timezone.now()
    result = actions.publish_due(now)
    result["ended"] = searchable.drop_ended(now, PUBLISH_EVERY * 3)
    return result


@periodic(every=timedelta(minutes=15))
@task()
def deliver_to_newcomers() -> int:
    """People who joined an audience after its announcement went out (new hires, a dealer
    that moved tier) get it too, so the reach report counts them before they visit."""
    added = 0
    for announcement in Announcement.objects.live().filter(delivered_at__isnull=False):
        added += deliveries.deliver(announcement)
        if announcement.priority == Priority.URGENT:
            deliveries.email_urgent(announcement)
    return added


@periodic(every=campaigns.RUN_EVERY)
@task()
def run_campaigns() -> dict[str, int]:
    """Due campaign steps start (emails, tours, incentives); incentives are awarded."""
    now = timezone.now()
    started = campaigns.start_due_steps(now)
    awarded = sum(
        campaigns.award_incentives(step, now)
        for step in CampaignStep.objects.running(StepKind.INCENTIVES, now).select_related(
            "campaign__audience"
        )
    )
    return {
        "started": started,
        "awarded": awarded,
        "emails_acted": campaigns.update_email_actions(now),
    }
