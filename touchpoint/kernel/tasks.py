"""The kernel's periodic jobs: digest emails and housekeeping. (Notification email is a task
of kernel.notifications, next to `notify` that enqueues it.)"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from touchpoint.kernel import digests
from touchpoint.kernel.models import Digest, Notification
from touchpoint.kernel.scheduler import periodic


@periodic(every=timedelta(hours=1))
@task()
def send_digests() -> dict[str, int]:
    """Send the daily and weekly digest emails that are due (about 07:00 in each person's
    time zone); when more are due than one run serves, the next run is queued at once."""
    result = digests.send_due_digests()
    if result["more"] and result["sent"]:
        transaction.on_commit(lambda: send_digests.enqueue())
    return result


@periodic(every=timedelta(days=1))
@task()
def prune_old_records() -> dict[str, int]:
    """Keep housekeeping tables small: finished task results after 14 days, read
    notifications and the record of digest emails after 180 days."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    tasks_deleted, _ = (
        DBTaskResult.objects.finished().filter(finished_at__lt=now - timedelta(days=14)).delete()
    )
    notes_deleted, _ = Notification.objects.filter(
        read_at__isnull=False, read_at__lt=now - timedelta(days=180)
    ).delete()
    digests_deleted, _ = Digest.objects.filter(due_at__lt=now - timedelta(days=180)).delete()
    return {
        "task_results": tasks_deleted,
        "notifications": notes_deleted,
        "digests": digests_deleted,
    }
