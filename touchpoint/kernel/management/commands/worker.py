"""The background worker: runs queued tasks and enqueues periodic jobs when they are due.

    python manage.py worker            # what `make run` starts beside the web server

It is django-tasks-db's `db_worker` plus a scheduler thread; run several for more
throughput (the scheduler's row lock keeps periodic jobs from running twice).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.module_loading import autodiscover_modules

from touchpoint.kernel.scheduler import enqueue_due_jobs

logger = logging.getLogger("touchpoint.worker")


def scheduler_loop(interval: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            for name in enqueue_due_jobs():
                logger.info("Enqueued periodic job %s", name)
        except Exception:  # a failed tick must not kill the worker; the next tick retries
            logger.exception("Periodic job scheduling failed")
        finally:
            close_old_connections()
        stop.wait(interval)


class Command(BaseCommand):
    help = "Run background tasks and periodic jobs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--tick", type=float, default=15.0, help="Seconds between scheduler checks."
        )
        parser.add_argument("--no-scheduler", action="store_true", help="Only run tasks.")
        parser.add_argument("--reload", action="store_true", help="Restart on code changes.")

    def handle(self, *args: Any, **options: Any) -> None:
        autodiscover_modules("tasks")  # registers every app's periodic jobs
        if options["batch"]:
            if not options["no_scheduler"]:
                enqueue_due_jobs()
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                verbosity=options["verbosity"],
            )
            return
        stop = threading.Event()
        in_reloader_parent = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options["no_scheduler"] and not in_reloader_parent:
            threading.Thread(
                target=scheduler_loop, args=(options["tick"], stop), daemon=True
            ).start()
        try:
            call_command(
                "db_worker", reload=options["reload"], interval=1, verbosity=options["verbosity"]
            )
        finally:
            stop.set()
