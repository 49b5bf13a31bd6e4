"""Send the daily and weekly digest emails that are due, now, without waiting for the
worker's hourly run:

    python manage.py send_digests                     # what the worker does every hour
    python manage.py send_digests --at 2025-06-03T08:00   # as if it were then (to try it)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from touchpoint.kernel.digests import send_due_digests


class Command(BaseCommand):
    help = "Send the digest emails that are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--at", help="Pretend it is this time (ISO 8601; default now).")
        parser.add_argument("--limit", type=int, help="At most this many people.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["at"]:
            parsed = parse_datetime(options["at"])
            if parsed is None:
                raise CommandError("--at takes a date and time such as 2025-06-03T08:00")
            now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        result = send_due_digests(now=now, limit=options["limit"])
        self.stdout.write(
            f"{result['sent']} sent, {result['failed']} failed, {result['empty']} with "
            f"nothing unread{', more are due' if result['more'] else ''}."
        )
