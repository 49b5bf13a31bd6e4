"""Context resolution at scale: 10,000 context mappings with their items, then the server
time of resolving random contexts. Target: p95 <= 20 ms.

    .venv/bin/python bench/context_resolve.py                      # SQLite, bench/results/context.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/touchpoint_bench_ctx \\
        .venv/bin/python bench/context_resolve.py                  # PostgreSQL (created if missing)
    # --samples N (resolutions timed, default 3000), --requests N (API requests, default 500),
    # --mappings N (default 10000), --fresh (drop this script's rows and rebuild), --seed N

Builds, once (mappings whose application starts with "bench-" mark that it is there; all in
one transaction): a department, a section and a content owner; 300 published library
articles (one in six for a named audience) and 40 published courses with two lessons each;
a dealer with a partner person; and --mappings context mappings over 20 applications, 60
screens, 40 products and 12 topics with every mix of specificity (application only up to all
four dimensions), each offering 1 to 5 items (articles, courses, lessons). Then ANALYZE.

Measured, in-process (DEBUG off, no network):
- `resolve()` itself (touchpoint/contextual/resolve.py): the audiences that reach the
  person plus the one query joining the candidate mappings to their visible items, for a
  partner person and for vendor staff, over random contexts (80% built from values that
  exist, so most find a mapping at some level; 20% with an unknown screen or product);
- the whole JSON API request, `GET /api/v1/context`, with django.test.Client and a bearer
  token: authentication, resolution, the activity event and the usage rollup write.
p50, p95 and p99 in ms. See bench/README.md, "Context resolution".
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touchpoint.settings")
RESULTS = ROOT / "bench" / "results"
if not os.environ.get("DATABASE_URL"):
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SQLITE_PATH", str(RESULTS / "context.sqlite3"))
os.environ.setdefault("MEDIA_ROOT", str(RESULTS / "media"))
# Production-like: DEBUG off (no query log, cached templates); plain HTTP as "testserver".
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "touchpoint-bench-not-a-secret-0123456789-abcdefghijklmnop")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["SECURE_COOKIES"] = "0"
os.environ["SECURE_HSTS_SECONDS"] = "0"
os.environ.setdefault("LOG_LEVEL", "WARNING")
warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collectstatic here

PREFIX = "bench-"
TARGET_MS = 20
APPS = [f"{PREFIX}app-{n:02d}" for n in range(20)]
SCREENS = [f"screen-{n:02d}" for n in range(60)]
PRODUCTS = [f"model-{n:02d}" for n in range(40)]
TOPICS = [f"topic-{n:02d}" for n in range(12)]
# Which dimensions a mapping names (always the application here), with weights.
SHAPES = [
    (("app",), 1),
    (("app", "screen"), 20),
    (("app", "product"), 10),
    (("app", "topic"), 4),
    (("app", "screen", "product"), 40),
    (("app", "screen", "topic"), 10),
    (("app", "product", "topic"), 5),
    (("app", "screen", "product", "topic"), 10),
]
PERSON_EMAIL = "person@benchctx.example"
STAFF_EMAIL = "owner@benchctx.example"
API_TOKEN_NAME = "bench context"  # noqa: S105 (a label, not a secret)


def ensure_postgres_database(url: str) -> None:
    """CREATE DATABASE needs a connection to another database; `postgres` always exists."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    params = dj_database_url.parse(url)
    if "postgresql" not in params["ENGINE"]:
        return
    name = params["NAME"]
    connect = {
        "host": params.get("HOST") or "127.0.0.1",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**connect) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")


def build(mappings: int) -> None:
    from django.contrib.auth.hashers import make_password

    from touchpoint.contextual.models import ContextItem, ContextMapping, rank_of
    from touchpoint.courses.models import Course, CourseVersion, Lesson, Section, Status
    from touchpoint.kernel.models import ApiToken
    from touchpoint.library.models import Asset, AssetKind, AssetState
    from touchpoint.library.models import Section as PortalSection
    from touchpoint.orgs.models import (
        Audience,
        Department,
        Partner,
        StaffRole,
        StaffRoleKind,
        Tier,
        User,
    )

    started = time.perf_counter()
    password = make_password("ridgeline-demo")
    owner, _created = User.objects.get_or_create(
        email=STAFF_EMAIL, defaults={"name": "Bench Owner", "password": password}
    )
    StaffRole.objects.get_or_create(user=owner, role=StaffRoleKind.CONTENT_OWNER)
    tier, _created = Tier.objects.get_or_create(name="Gold", defaults={"rank": 2})
    dealer, _created = Partner.objects.get_or_create(
        external_id="BENCH-CTX",
        defaults={"name": "Bench Context Dealer", "kind": "dealer", "tier": tier, "country": "US"},
    )
    person, _created = User.objects.get_or_create(
        email=PERSON_EMAIL,
        defaults={
            "name": "Bench Person",
            "password": password,
            "partner": dealer,
            "partner_role": "member",
        },
    )
    ApiToken.objects.filter(user=person, name=API_TOKEN_NAME).delete()
    department, _created = Department.objects.get_or_create(name="Bench context")
    section, _created = PortalSection.objects.get_or_create(
        slug="bench-context",
        defaults={"name": "Bench context", "department": department, "owner": owner},
    )
    gold = Audience.objects.create(name="Bench: Gold dealers")
    gold.tiers.add(tier)
    other = Audience.objects.create(name="Bench: another partner")
    other.partners.add(Partner.objects.create(name="Bench other", kind="dealer", country="DE"))
    assets = Asset.objects.bulk_create(
        [
            Asset(
                section=section,
                kind=AssetKind.ARTICLE,
                title=f"{PREFIX}article {n:03d}",
                department=department,
                owner=owner,
                state=AssetState.PUBLISHED,
                audience=(gold if n % 12 == 0 else other) if n % 6 == 0 else None,
            )
            for n in range(300)
        ]
    )
    courses: list[Any] = []
    lessons: list[tuple[Any, Any]] = []
    for n in range(40):
        course = Course.objects.create(title=f"{PREFIX}course {n:02d}", status=Status.PUBLISHED)
        version = CourseVersion.objects.create(course=course, number=1, status=Status.PUBLISHED)
        part = Section.objects.create(version=version, title="Part", position=1)
        for m in range(2):
            lesson = Lesson.objects.create(
                version=version, section=part, title=f"Lesson {m}", kind="text", position=m
            )
            lessons.append((course, lesson.key))
        Course.objects.filter(pk=course.pk).update(published_version=version)
        courses.append(course)
    print(f"  content (300 articles, 40 courses): {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    seen: set[tuple[str, str, str, str]] = set()
    rows = []
    shapes, weights = zip(*SHAPES, strict=True)
    while len(rows) < mappings:
        shape = random.choices(shapes, weights)[0]
        values = {
            "app": random.choice(APPS),
            "screen": random.choice(SCREENS) if "screen" in shape else "",
            "product": random.choice(PRODUCTS) if "product" in shape else "",
            "topic": random.choice(TOPICS) if "topic" in shape else "",
        }
        key = (values["app"], values["screen"], values["product"], values["topic"])
        if key in seen:
            continue
        seen.add(key)
        rows.append(ContextMapping(**values, rank=rank_of(values), created_by=owner))
    created = ContextMapping.objects.bulk_create(rows, batch_size=2000)
    items = []
    for mapping in created:
        targets: set[Any] = set()
        for position in range(1, random.randint(1, 5) + 1):
            pick = random.random()
            if pick < 0.6:
                target: Any = ("asset", random.choice(assets).pk)
            elif pick < 0.8:
                target = ("course", random.choice(courses).pk)
            else:
                course, key = random.choice(lessons)
                target = ("lesson", course.pk, key)
            if target in targets:
                continue
            targets.add(target)
            item = ContextItem(mapping=mapping, position=position)
            if target[0] == "asset":
                item.asset_id = target[1]
            else:
                item.course_id = target[1]
                item.lesson_key = target[2] if target[0] == "lesson" else None
            items.append(item)
    ContextItem.objects.bulk_create(items, batch_size=5000)
    print(f"  {len(created)} mappings, {len(items)} items: {time.perf_counter() - started:.1f} s")


def remove() -> None:
    from touchpoint.contextual.models import ContextMapping, ContextUsage
    from touchpoint.courses.models import Course
    from touchpoint.kernel.models import ActivityEvent, ApiToken
    from touchpoint.library.models import Asset
    from touchpoint.library.models import Section as PortalSection
    from touchpoint.orgs.models import Audience, Partner, User

    ContextMapping.objects.filter(app__startswith=PREFIX).delete()
    ContextUsage.objects.filter(app__startswith=PREFIX).delete()
    Asset.objects.filter(title__startswith=PREFIX).delete()
    Course.objects.filter(title__startswith=PREFIX).delete()
    PortalSection.objects.filter(slug="bench-context").delete()
    Audience.objects.filter(name__startswith="Bench:").delete()
    users = User.objects.filter(email__in=[PERSON_EMAIL, STAFF_EMAIL])
    ApiToken.objects.filter(user__in=users).delete()
    # The benchmark's own events (plain DELETEs, past the append-only guard).
    ActivityEvent.objects.filter(actor__in=users)._raw_delete(ActivityEvent.objects.db)
    Partner.objects.filter(name="Bench other").delete()


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def random_context() -> dict[str, str]:
    context = {
        "app": random.choice(APPS),
        "screen": random.choice(SCREENS),
        "product": random.choice(PRODUCTS),
        "topic": random.choice(TOPICS) if random.random() < 0.3 else "",
    }
    if random.random() < 0.2:  # an unknown screen or product: only broader mappings match
        context[random.choice(["screen", "product"])] = f"unknown-{random.randint(1, 999)}"
    return context


def report(label: str, samples: list[float], extra: str = "", target: bool = True) -> bool:
    p50, p95, p99 = (percentile(samples, f) for f in (0.5, 0.95, 0.99))
    flag = "" if p95 <= TARGET_MS or not target else "  SLOW"
    print(f"{label:<44} {len(samples):>6} {p50:8.2f} {p95:8.2f} {p99:8.2f}{extra}{flag}")
    return not flag


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mappings", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=3000, help="resolutions timed per viewer")
    parser.add_argument("--requests", type=int, default=500, help="API requests timed")
    parser.add_argument("--fresh", action="store_true", help="remove this script's rows first")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    random.seed(args.seed)

    if os.environ.get("DATABASE_URL"):
        ensure_postgres_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from touchpoint.contextual.models import ContextItem, ContextMapping
    from touchpoint.contextual.resolve import Context, Viewer, resolve
    from touchpoint.kernel.models import ApiToken
    from touchpoint.orgs.models import User

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Database: {engine} ({settings.DATABASES['default']['NAME']})")
    call_command("migrate", interactive=False, verbosity=0)
    if args.fresh:
        with transaction.atomic():
            remove()
    if ContextMapping.objects.filter(app__startswith=PREFIX).exists():
        print("Bench mappings already present; use --fresh to rebuild.")
    else:
        print("Building the bench data (once):")
        with transaction.atomic():
            build(args.mappings)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if engine == "postgresql" else "ANALYZE")

    person = User.objects.select_related("partner__tier").get(email=PERSON_EMAIL)
    staff = User.objects.get(email=STAFF_EMAIL)
    print(
        f"Data: {ContextMapping.objects.count()} mappings, {ContextItem.objects.count()} items; "
        "load average " + "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    )
    contexts = [random_context() for _ in range(args.samples)]
    with CaptureQueriesContext(connection) as queries:
        resolve(Context.from_data(contexts[0]), Viewer.person(person))
    print(f"Queries per resolution (partner person): {len(queries.captured_queries)}")
    print(
        f"\ntarget p95 <= {TARGET_MS} ms\n"
        f"{'what':<44} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    ok = True
    for label, user in (("resolve(), partner person", person), ("resolve(), vendor staff", staff)):
        for values in contexts[:50]:  # warm-up
            resolve(Context.from_data(values), Viewer.person(user))
        samples = []
        found = 0
        for values in contexts:
            started = time.perf_counter()
            resolution = resolve(Context.from_data(values), Viewer.person(user))
            samples.append((time.perf_counter() - started) * 1000)
            found += bool(resolution.items)
        ok &= report(label, samples, f"   ({100 * found // len(samples)}% found items)")

    _token, secret = ApiToken.issue(person, API_TOKEN_NAME, [])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    samples = []
    for n, values in enumerate(contexts[: args.requests + 20]):
        started = time.perf_counter()
        response = client.get("/api/v1/context", values)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"context_resolve.py: the API answered {response.status_code}")
        if n >= 20:  # the first requests warm up
            samples.append(elapsed)
    # For information: the whole request adds the middleware, the token check and two
    # writes (the activity event and the usage rollup) to the resolution the target is for.
    report("GET /api/v1/context (whole request)", samples, "   (for information)", target=False)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print("\nAll within target." if ok else "\nOver target (see SLOW).")


if __name__ == "__main__":
    main()
