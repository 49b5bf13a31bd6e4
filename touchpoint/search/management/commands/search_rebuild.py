"""Re-create the search index from the published content (after a restore or an upgrade)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from touchpoint.search import index


class Command(BaseCommand):
    help = "Rebuild the search index from published courses, lessons, assets and articles."

    def handle(self, *args: Any, **options: Any) -> None:
        count = index.rebuild()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
