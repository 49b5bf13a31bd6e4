"""Periodic jobs, run by the worker process: a registry of tasks with intervals.

The ready-made schedulers for Django Tasks need newer Pythons, so this is the small one we
need. `manage.py worker` calls `enqueue_due_jobs()` every few seconds; a due job is claimed
by moving its `next_run_at` forward inside a row-locked transaction, so two workers never
enqueue the same run twice. The task itself then runs on the ordinary task queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: Any  # a django_tasks Task


JOBS: dict[str, Job] = {}


def periodic(every: timedelta) -> Callable[[Any], Any]:
    """Register a task (decorate the result of @task()) to run every `every`."""

    def register(task_obj: Any) -> Any:
        name = task_obj.module_path
        JOBS[name] = Job(name=name, every=every, task=task_obj)
        return task_obj

    return register


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue every registered job whose time has come; returns the names enqueued."""
    from touchpoint.kernel.models import PeriodicJob

    now = now or timezone.now()
    known = set(PeriodicJob.objects.values_list("name", flat=True))
    for name in JOBS.keys() - known:
        # First sight of a job: run it now, then on its interval.
        PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": now})

    enqueued: list[str] = []
    for name in PeriodicJob.objects.filter(name__in=list(JOBS), next_run_at__lte=now).values_list(
        "name", flat=True
    ):
        with transaction.atomic():
            claimed = (
                PeriodicJob.objects.select_for_update(skip_locked=True)
                .filter(name=name, next_run_at__lte=now)
                .first()
            )
            if claimed is None:  # another worker took it
                continue
            job = JOBS[name]
            claimed.last_run_at = now
            claimed.next_run_at = now + job.every
            claimed.save(update_fields=["last_run_at", "next_run_at"])
            job.task.enqueue()
            enqueued.append(name)
    return enqueued
