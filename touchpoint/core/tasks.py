"""Background tasks owned by core: notification email and periodic housekeeping."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from touchpoint.core.emails import send_templated
from touchpoint.core.models import Notification
from touchpoint.core.scheduler import periodic


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Email each notification to its recipient; returns how many were sent."""
    sent = 0
    for note in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        person = note.recipient
        if not person.is_active:
            continue
        send_templated(
            "notification", person.email, person.language, {"notification": note, "person": person}
        )
        sent += 1
    return sent


@periodic(every=timedelta(days=1))
@task()
def prune_old_records() -> dict[str, int]:
    """Keep housekeeping tables small: finished task results after 14 days, read
    notifications after 180 days."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    tasks_deleted, _ = (
        DBTaskResult.objects.finished().filter(finished_at__lt=now - timedelta(days=14)).delete()
    )
    notes_deleted, _ = Notification.objects.filter(
        read_at__isnull=False, read_at__lt=now - timedelta(days=180)
    ).delete()
    return {"task_results": tasks_deleted, "notifications": notes_deleted}
