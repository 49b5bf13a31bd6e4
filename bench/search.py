"""Search over 100,000 assets: server time of the search page's query work, on PostgreSQL
(tsvector + GIN) or SQLite (FTS5), whichever DATABASE_URL selects.

    .venv/bin/python bench/search.py                      # PostgreSQL, database touchpoint_bench_search
    .venv/bin/python bench/search.py --sqlite             # SQLite file bench/results/search.sqlite3
    .venv/bin/python bench/search.py --assets 20000 --fresh

Builds once (a marker section says the rows are there): the demo story (seed_demo) for the
personas, then --assets published assets in five sections with bodies of ~80 words drawn
from a Zipf-distributed vocabulary of 20,000 words plus the product words people really
type, a fifth of them for Gold dealers only; then indexes them the way the app does
(search entries; the engine's trigger fills the full-text side) and times that.

Then, for Bob (a partner person: the audience filter applies) and Pat (vendor staff), runs
each query shape --requests times in-process: `search()` (ranking, facets, highlights:
what the page waits for) and the whole page through django.test.Client with DEBUG off.
Prints p50 and p95 in ms; the target is 150 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"

MARKER = "bench-search"
TARGET_MS = 150
SECTIONS = ["Sales", "Service", "Parts", "Marketing", "Finance"]
DOMAIN = [
    *("warranty", "extended", "carburettor", "chain", "mower", "trimmer", "blade", "battery"),
    *("charger", "hydrostatic", "transmission", "belt", "spark", "plug", "filter", "recall"),
    *("bulletin", "pricing", "promotion", "financing", "dealer", "service", "manual"),
    *("troubleshooting", "installation", "parts", "catalogue", "order", "invoice"),
]
QUERIES = {
    "common word": "warranty",
    "two words": "extended warranty",
    "prefix": "carb",
    "rare word": "hydrostatic",
    "typo": "warrenty",
    "no match": "zqxv snowplough",
}


def configure(sqlite: bool) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    if sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{RESULTS / 'search.sqlite3'}"
    else:
        os.environ.setdefault(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/touchpoint_bench_search"
        )
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "touchpoint-bench-not-a-secret-0123456789-abcdefghijkl")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["SECURE_HSTS_SECONDS"] = "0"
    os.environ.setdefault("MEDIA_ROOT", str(RESULTS / "media"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "touchpoint.settings"


def ensure_database() -> None:
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def words(rng: random.Random, vocabulary: list[str], cumulative: list[float], n: int) -> str:
    return " ".join(rng.choices(vocabulary, cum_weights=cumulative, k=n))


def build(count: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from touchpoint.library.models import Asset, AssetKind, AssetState, AssetVersion, Section
    from touchpoint.orgs.models import Audience, Department, Tier, User
    from touchpoint.search import index

    call_command("migrate", verbosity=0)
    # DEBUG off serves static files from the manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    if Section.objects.filter(slug=f"{MARKER}-sales").exists():
        print(f"bench data present ({Asset.objects.count():,} assets); --fresh rebuilds it")
        return
    call_command("seed_demo", verbosity=0)
    rng = random.Random(42)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(4, 10))) for _ in range(20_000)]
    vocabulary += DOMAIN
    weights = [1 / (rank + 1) for rank in range(len(vocabulary) - len(DOMAIN))]
    weights += [0.002] * len(DOMAIN)  # each product word in roughly 1 document in 40
    cumulative = list(itertools.accumulate(weights))
    owner = User.objects.get(email="mia@ridgeline.example")
    gold = Audience.objects.create(name="Bench: Gold dealers")
    gold.tiers.add(Tier.objects.get(name="Gold"))
    started = time.perf_counter()
    with transaction.atomic():
        sections = []
        for name in SECTIONS:
            department = Department.objects.get_or_create(name=name)[0]
            sections.append(
                Section.objects.create(
                    name=f"Bench {name}",
                    slug=f"{MARKER}-{name.lower()}",
                    department=department,
                    owner=owner,
                )
            )
        batch = 5000
        for start in range(0, count, batch):
            assets = [
                Asset(
                    section=(section := rng.choice(sections)),
                    kind=AssetKind.ARTICLE,
                    title=words(rng, vocabulary, cumulative, rng.randint(3, 8)).capitalize(),
                    summary=words(rng, vocabulary, cumulative, 12),
                    department=section.department,
                    owner=owner,
                    audience=gold if rng.random() < 0.2 else None,
                    state=AssetState.PUBLISHED,
                )
                for _ in range(min(batch, count - start))
            ]
            Asset.objects.bulk_create(assets)
            versions = AssetVersion.objects.bulk_create(
                AssetVersion(
                    asset=a, number=1, body=f"<p>{words(rng, vocabulary, cumulative, 80)}</p>"
                )
                for a in assets
            )
            for asset, version in zip(assets, versions, strict=True):
                asset.current_version = version
            Asset.objects.bulk_update(assets, ["current_version"])
            print(f"  {start + len(assets):,} assets", flush=True)
    built = time.perf_counter() - started
    started = time.perf_counter()
    entries = index.rebuild()
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    print(
        f"built {count:,} assets in {built:.1f} s; indexed {entries:,} entries in {indexed:.1f} s"
    )


def measure(requests: int) -> None:
    from django.db import connection
    from django.test import Client

    from touchpoint.library.models import Asset
    from touchpoint.orgs.models import User
    from touchpoint.search.query import search

    print(
        f"\n{connection.vendor}: {Asset.objects.count():,} assets; {requests} runs per line; "
        f"target p95 ≤ {TARGET_MS} ms"
    )
    print(
        f"{'who':6} {'query':14} {'results':>8} {'search p50':>11} {'p95':>6} {'page p50':>9} {'p95':>6}"
    )
    for email in ("bob@aldercreek.example", "admin@ridgeline.example"):
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        for label, query in QUERIES.items():
            for _ in range(3):  # warm caches and the page's templates
                search(user, query)
                client.get("/search/", {"q": query})
            query_ms, page_ms = [], []
            total = 0
            for _ in range(requests):
                started = time.perf_counter()
                total = search(user, query).total
                query_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                response = client.get("/search/", {"q": query})
                page_ms.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            print(
                f"{email.split('@')[0]:6} {label:14} {total:>8,} {p(query_ms, 50):>11.1f} "
                f"{p(query_ms, 95):>6.1f} {p(page_ms, 50):>9.1f} {p(page_ms, 95):>6.1f}"
            )


def p(samples: list[float], percentile: int) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[percentile - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="drop the bench database first")
    args = parser.parse_args()
    configure(args.sqlite)
    if args.fresh:
        drop()
    ensure_database()
    import django

    django.setup()
    build(args.assets)
    measure(args.requests)


def drop() -> None:
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{RESULTS / 'search.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
