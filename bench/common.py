"""What the scripts that run on the large bench database share: the check that it is there."""

from __future__ import annotations

import sys


def require_bench_database(script: str) -> None:
    """Stop with a clear message unless DATABASE_URL is the PostgreSQL bench database with
    the bench/generate.py rows; then bring its schema up to date."""
    from django.conf import settings
    from django.core.management import call_command

    from touchpoint.orgs.models import Partner

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit(f"{script}: DATABASE_URL must point at the PostgreSQL bench database")
    if not Partner.objects.filter(external_id="BENCH-00001").exists():
        sys.exit(f"{script}: no bench data; run bench/generate.py (or make bench) first")
    call_command("migrate", interactive=False, verbosity=0)
