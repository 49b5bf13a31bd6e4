"""Community jobs, run by the worker: bring unanswered questions to their moderators."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from touchpoint.community import actions
from touchpoint.kernel.scheduler import periodic


@periodic(every=timedelta(hours=1))
@task()
def notify_unanswered_questions() -> int:
    """Questions past FORUM_UNANSWERED_HOURS without an answer: their moderators are told,
    once per question (the question is marked in the same transaction)."""
    return actions.notify_unanswered()
