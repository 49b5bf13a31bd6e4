"""The daily sessions job: reminders for sessions starting within a day."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from touchpoint.kernel.scheduler import periodic
from touchpoint.sessions.actions import remind_upcoming


@periodic(every=timedelta(days=1))
@task()
def send_session_reminders() -> int:
    return remind_upcoming()
