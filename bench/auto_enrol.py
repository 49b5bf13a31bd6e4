"""Auto-enrolment at channel scale: one rule whose audience reaches every partner person.

    .venv/bin/python bench/auto_enrol.py            # time apply_rule on the bench database
    .venv/bin/python bench/auto_enrol.py --keep     # leave the course and its enrolments

Needs the bench database from bench/generate.py (about 98,000 active partner people).
Creates a fresh published course and an EnrolmentRule with an empty audience (an audience
with no criteria reaches every active partner person), then times
`touchpoint.paths.rules.apply_rule(rule)`: one query finds everyone not yet enrolled,
and the enrolments and their activity events are inserted in batches. It then applies the
rule a second time (nobody new: the cost of the 15-minute safety-net run) and finally
removes the course, its enrolments and events, so the script can run again and the other
benchmarks see the same data. Target: 30 s for the first run. See bench/README.md.
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

TITLE = "Bench auto-enrolment"  # every course this script makes starts so
TARGET_S = 30


def clean_up() -> int:
    """Remove every course this script made (also those of an interrupted run), with
    their enrolments, activity events, rules and audiences."""
    from django.db import connection, transaction

    from touchpoint.courses.models import Course, Enrolment
    from touchpoint.kernel.models import ActivityEvent
    from touchpoint.orgs.models import Audience
    from touchpoint.paths.models import EnrolmentRule

    removed = 0
    for course in Course.objects.filter(title__startswith=TITLE):
        with transaction.atomic():
            audiences = list(
                EnrolmentRule.objects.filter(course=course).values_list("audience_id", flat=True)
            )
            EnrolmentRule.objects.filter(course=course).delete()
            Audience.objects.filter(pk__in=audiences).delete()
            # Plain DELETEs. Enrolments: Django's collector would read 100,000 rows back to
            # look for progress and quiz attempts first, and a fresh course has none. Events:
            # the application never deletes them (append-only), but these are the
            # benchmark's own, and leaving 100,000 a run would skew the other benchmarks.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {Enrolment._meta.db_table} WHERE course_id = %s",  # noqa: S608
                    [course.pk],
                )
                removed += cursor.rowcount
                cursor.execute(
                    f"DELETE FROM {ActivityEvent._meta.db_table} "  # noqa: S608
                    "WHERE object_type = %s AND object_id = %s",
                    ["courses.course", str(course.pk)],
                )
            course.published_version = None
            course.save(update_fields=["published_version"])
            course.delete()
    return removed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", action="store_true", help="leave the course and enrolments")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from bench.common import require_bench_database
    from tests.support.courses import make_course
    from touchpoint.courses.models import Enrolment
    from touchpoint.orgs.audience import users_reached
    from touchpoint.orgs.models import Audience, StaffRoleKind, User
    from touchpoint.paths.models import EnrolmentRule
    from touchpoint.paths.rules import apply_rule

    require_bench_database("auto_enrol.py")
    leftovers = clean_up()
    if leftovers:
        print(f"Removed {leftovers} enrolments left by an earlier run.")

    author = (
        User.objects.filter(staffrole__role=StaffRoleKind.TRAINER).order_by("pk").first()
        or User.objects.filter(partner__isnull=True, is_superuser=True).order_by("pk").first()
    )
    if author is None:
        sys.exit("auto_enrol.py: no trainer or superuser to own the course (run seed_demo)")
    course = make_course(author, f"{TITLE} {timezone.now():%Y-%m-%d %H:%M:%S}", ["text"])
    audience = Audience.objects.create()  # no criteria: every active partner person
    rule = EnrolmentRule.objects.create(
        name="Bench: everyone", course=course, audience=audience, due_in_days=30
    )
    reach = users_reached(audience).filter(partner__isnull=False).count()
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"Rule reaches {reach} people; course {course.pk} ({course.title}).")
    try:
        started = time.perf_counter()
        enrolled = apply_rule(rule)
        first = time.perf_counter() - started
        verdict = "within" if first <= TARGET_S else "OVER"
        print(
            f"apply_rule, first run:  {enrolled:>7} enrolled in {first:6.1f} s ({verdict} the {TARGET_S} s target)"
        )
        started = time.perf_counter()
        again = apply_rule(rule)
        print(
            f"apply_rule, second run: {again:>7} enrolled in {time.perf_counter() - started:6.1f} s (nobody new)"
        )
        stored = Enrolment.objects.filter(course=course, is_current=True).count()
        print(f"Enrolments stored: {stored}")
    finally:
        if args.keep:
            print(f"Kept course {course.pk} and its enrolments (the next run removes them).")
        else:
            started = time.perf_counter()
            removed = clean_up()
            with connection.cursor() as cursor:
                # The deleted rows leave dead tuples behind; autovacuum is off on the bench
                # machine, and the other benchmarks should not pay for them.
                cursor.execute("VACUUM ANALYZE courses_enrolment")
                cursor.execute("VACUUM ANALYZE kernel_activityevent")
            print(f"Cleaned up {removed} enrolments in {time.perf_counter() - started:.1f} s.")


if __name__ == "__main__":
    main()
