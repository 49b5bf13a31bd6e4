"""Publishing an announcement to the whole channel: delivery creation for ~100,000 people.

    .venv/bin/python bench/announce.py            # time the delivery task on the bench database
    .venv/bin/python bench/announce.py --keep     # leave the announcement and its deliveries

Needs the bench database from bench/generate.py (about 98,000 active partner people).
Publishes an announcement with no audience (every active partner person) through
`comms.actions.save_announcement`, then times the background task's work,
`comms.deliveries.deliver_announcement` (one INSERT … SELECT of the deliveries), as the worker
would run it. It then runs the 15-minute catch-up (`deliver_to_newcomers`: nobody new)
and times one partner person's feed and home queries. Finally it removes what it made, so
the script can run again. Target: 30 s for the deliveries. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touchpoint.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/touchpoint_bench")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "results" / "media"))
os.environ.setdefault("LOG_LEVEL", "WARNING")

TITLE = "Bench announcement"  # every announcement this script makes starts so
TARGET_S = 30


def clean_up() -> int:
    from django.db import connection, transaction

    from touchpoint.comms.models import Announcement, Delivery
    from touchpoint.search.models import Entry

    removed = 0
    for announcement in Announcement.objects.filter(title__startswith=TITLE):
        with transaction.atomic():
            with connection.cursor() as cursor:
                # A plain DELETE: the collector would read 100,000 rows back first.
                cursor.execute(
                    f"DELETE FROM {Delivery._meta.db_table} WHERE announcement_id = %s",  # noqa: S608
                    [announcement.pk],
                )
                removed += cursor.rowcount
            Entry.objects.filter(kind="announcement", object_id=str(announcement.pk)).delete()
            announcement.delete()
    return removed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", action="store_true", help="leave the announcement")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.common import require_bench_database
    from touchpoint.comms import actions, deliveries, tasks
    from touchpoint.comms.models import Announcement, Delivery
    from touchpoint.kernel.home import build_home
    from touchpoint.orgs.audience import users_reached
    from touchpoint.orgs.models import StaffRoleKind, User

    require_bench_database("announce.py")
    leftovers = clean_up()
    if leftovers:
        print(f"Removed {leftovers} deliveries left by an earlier run.")

    author = (
        User.objects.filter(staffrole__role=StaffRoleKind.CONTENT_OWNER).order_by("pk").first()
        or User.objects.filter(partner__isnull=True, is_superuser=True).order_by("pk").first()
    )
    if author is None:
        sys.exit("announce.py: no content owner or superuser to write it (run seed_demo)")
    reach = users_reached(None).count()
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    announcement = actions.save_announcement(
        author,
        Announcement(
            title=f"{TITLE} {timezone.now():%Y-%m-%d %H:%M:%S}",
            body="<p>Register every sale within 10 days.</p>",
            requires_ack=True,
        ),
        publish=True,
    )
    print(f"Announcement {announcement.pk} reaches {reach} people.")
    try:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            added = deliveries.deliver_announcement.call(announcement.pk)
        first = time.perf_counter() - started
        verdict = "within" if first <= TARGET_S else "OVER"
        print(
            f"deliver_announcement: {added:>7} deliveries in {first:6.1f} s "
            f"({len(queries)} queries; {verdict} the {TARGET_S} s target)"
        )
        started = time.perf_counter()
        again = tasks.deliver_to_newcomers.call()
        print(
            f"deliver_to_newcomers: {again:>7} deliveries in {time.perf_counter() - started:6.1f} s "
            "(the 15-minute catch-up over every live announcement; nobody new)"
        )
        print(f"Deliveries stored: {Delivery.objects.filter(announcement=announcement).count()}")
        person = User.objects.get(email="bob@aldercreek.example")
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            build_home(person)
        print(
            f"build_home (Bob): {len(queries)} queries in {(time.perf_counter() - started) * 1000:.0f} ms"
        )
        started = time.perf_counter()
        rows = list(
            Announcement.objects.received_by(person)
            .with_delivery_of(person)
            .order_by("-pinned", "-published_at")[:20]
        )
        print(
            f"feed page (Bob): {len(rows)} rows in {(time.perf_counter() - started) * 1000:.0f} ms"
        )
    finally:
        if args.keep:
            print(f"Kept announcement {announcement.pk} (the next run removes it).")
        else:
            started = time.perf_counter()
            removed = clean_up()
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Delivery._meta.db_table}")
            print(f"Cleaned up {removed} deliveries in {time.perf_counter() - started:.1f} s.")


if __name__ == "__main__":
    main()
