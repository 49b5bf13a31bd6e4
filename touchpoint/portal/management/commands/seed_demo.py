"""Load the Ridgeline demo story (../shared/DEMO.md). Running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from touchpoint.portal.demo import alignment as alignment_demo
from touchpoint.portal.demo import branding
from touchpoint.portal.demo import comms as comms_demo
from touchpoint.portal.demo import community as community_demo
from touchpoint.portal.demo import contextual as contextual_demo
from touchpoint.portal.demo import learning as learning_demo
from touchpoint.portal.demo import library as library_demo
from touchpoint.portal.demo import orgs as orgs_demo
from touchpoint.portal.demo import translations as translations_demo


class Command(BaseCommand):
    help = "Load the Ridgeline demo channel: staff, partners, people, terms and more."

    def handle(self, *args: Any, **options: Any) -> None:
        quick = ["touchpoint.portal.demo.passwords.QuickDemoHasher"]
        with override_settings(PASSWORD_HASHERS=quick), transaction.atomic():
            demo = orgs_demo.seed()
            branding.seed(demo.staff["admin"])
            learning_demo.seed(demo)
            library_demo.seed(demo)
            contextual_demo.seed(demo)
            comms_demo.seed(demo)
            community_demo.seed(demo)
            # After the items it gives Spanish versions to.
            translations_demo.seed(demo)
            # Last: its requests link the courses, items, mappings and forum answers above.
            alignment_demo.seed(demo)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(demo.staff)} staff, {len(demo.partners)} partners, "
                f"{len(demo.people)} partner people. Password for every demo account: "
                f"{orgs_demo.DEMO_PASSWORD}"
            )
        )
