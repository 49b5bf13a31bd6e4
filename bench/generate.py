"""Build the large-data benchmark database: the Ridgeline demo story plus a big channel.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/touchpoint_bench \\
        .venv/bin/python bench/generate.py --partners 1000 --people 100000 --events 200000

Creates the database when it is missing, migrates it, loads `seed_demo` (so the demo
sign-ins work) and then adds the scale rows with bulk_create in batches. Running it again
finds partner BENCH-00001 and stops; `--fresh` drops and rebuilds a bench database.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touchpoint.settings")
# seed_demo uploads the demo logo on every new database; keep the bench's copies out of
# the developer's media/ folder, in the git-ignored results folder.
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "results" / "media"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/touchpoint_bench"
FIRST_ID = "BENCH-00001"  # its presence means the scale rows are already there
BATCH = 5000
# The demo sign-ins the benchmark uses (and two more): they get full home pages.
PERSONAS = [
    "alice@aldercreek.example",  # partner admin, Alder Creek Outdoor
    "bob@aldercreek.example",  # partner member
    "admin@ridgeline.example",  # portal admin (sees the whole channel)
    "dana@ridgeline.example",  # channel manager
]
DAYS = 90  # events and notifications are spread over this many days

# Region -> (country, time zone, cities). "North America West" has no countries in the demo
# (it routes nothing), but partners there are still in the US.
GEOGRAPHY: dict[str, list[tuple[str, str, list[str]]]] = {
    "North America East": [
        ("US", "America/New_York", ["Boston", "Albany", "Hartford", "Raleigh", "Atlanta"]),
        ("CA", "America/Toronto", ["Toronto", "Ottawa", "Montreal", "Halifax"]),
    ],
    "North America West": [
        ("US", "America/Denver", ["Denver", "Boise", "Salt Lake City"]),
        ("US", "America/Los_Angeles", ["Portland", "Sacramento", "Seattle", "Fresno"]),
    ],
    "EMEA": [
        ("GB", "Europe/London", ["Leeds", "Bristol", "York", "Norwich"]),
        ("DE", "Europe/Berlin", ["Munich", "Hamburg", "Kassel", "Ulm"]),
        ("FR", "Europe/Paris", ["Lyon", "Nantes", "Dijon"]),
        ("NL", "Europe/Amsterdam", ["Utrecht", "Zwolle", "Breda"]),
        ("ES", "Europe/Madrid", ["Valencia", "Zaragoza", "Sevilla"]),
        ("NO", "Europe/Oslo", ["Bergen", "Trondheim"]),
        ("SE", "Europe/Stockholm", ["Uppsala", "Malmö"]),
        ("PL", "Europe/Warsaw", ["Poznań", "Kraków"]),
    ],
    "Latin America": [
        ("MX", "America/Mexico_City", ["Monterrey", "Puebla", "León"]),
        ("BR", "America/Sao_Paulo", ["Campinas", "Curitiba"]),
        ("AR", "America/Argentina/Buenos_Aires", ["Córdoba", "Rosario"]),
        ("CL", "America/Santiago", ["Temuco", "Talca"]),
        ("CO", "America/Bogota", ["Medellín", "Cali"]),
    ],
}
REGION_WEIGHTS = {
    "North America East": 40,
    "North America West": 25,
    "EMEA": 25,
    "Latin America": 10,
}
SPANISH_COUNTRIES = {"ES", "MX", "AR", "CL", "CO"}

NAME_A = ["Granite", "Willow", "Harbor", "Prairie", "Summit", "Maple", "Copper", "Riverbend",
          "Oak Hollow", "Bluestone", "Pine Ridge", "Lakeside", "Highland", "Foxglove", "Redwood"]  # fmt: skip
NAME_B = ["Outdoor Power", "Lawn & Garden", "Equipment", "Mowers", "Tractor Supply",
          "Power Sports", "Machinery", "Turf Care", "Garden Centre", "Service Co."]  # fmt: skip
FIRST = ["Alex", "Jordan", "Maria", "Sam", "Priya", "Lucas", "Emma", "Noah", "Olivia", "Liam",
         "Sofia", "Mateo", "Hana", "Omar", "Chloe", "Diego", "Ingrid", "Kofi", "Mei", "Jonas"]  # fmt: skip
LAST = ["Smith", "Garcia", "Müller", "Nguyen", "Johansson", "Silva", "Brown", "Kowalski",
        "Martin", "Rossi", "Okafor", "Tanaka", "Dubois", "Hernández", "Walsh", "Berg"]  # fmt: skip
TITLES = ["Sales Representative", "Service Technician", "Parts Clerk", "Store Manager",
          "Warranty Administrator", "Owner", "Field Technician", "Sales Lead"]  # fmt: skip
NOTIFICATIONS = [
    ("news", "New X200 service bulletin is available"),
    ("news", "Spring promotion: extended warranty on residential mowers"),
    ("program", "Program terms 2026.1 published"),
    ("program", "Your tier review is scheduled for next month"),
    ("invitations", "A colleague accepted their invitation"),
    ("approvals", "Your co-op claim was approved"),
]


@contextmanager
def step(label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    print(f"{label:<44} {time.perf_counter() - started:6.1f} s", flush=True)


def ensure_database(url: str, fresh: bool) -> None:
    """CREATE DATABASE needs a connection to another database; `postgres` always exists."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    params = dj_database_url.parse(url)
    if "postgresql" not in params["ENGINE"]:
        sys.exit(f"generate.py: DATABASE_URL must point at PostgreSQL, not {params['ENGINE']}")
    name = params["NAME"]
    if fresh and "bench" not in name:
        sys.exit(f"generate.py: --fresh only drops a database with 'bench' in its name ({name})")
    with psycopg.connect(
        dbname="postgres",
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        autocommit=True,  # CREATE/DROP DATABASE cannot run inside a transaction
    ) as conn:
        if fresh:
            print(f"Dropping database {name}")
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def spread(now: datetime, days: int = DAYS) -> datetime:
    return now - timedelta(seconds=random.randint(0, days * 86400))


def make_partners(count: int, now: datetime) -> list[Any]:
    """About 3% distributors, 7% locations and the rest dealers and friends, so the
    three-level hierarchy (distributor -> dealer -> location) is exercised everywhere."""
    from touchpoint.orgs.models import Partner, PartnerKind, Region, Tier

    regions = {r.name: r for r in Region.objects.all()}
    tiers = {t.name: t for t in Tier.objects.all()}
    region_names = [n for n in REGION_WEIGHTS if n in regions]
    n_dist = max(1, round(count * 0.03))
    n_loc = round(count * 0.07)
    n_mid = count - n_dist - n_loc
    number = 0

    def new(kind: str, tier: Any, parent: Any = None) -> Any:
        nonlocal number
        number += 1
        if parent:  # dealers and locations stay in their parent's region and country
            region_name = parent.region.name
            places = [g for g in GEOGRAPHY[region_name] if g[0] == parent.country]
        else:
            weights = [REGION_WEIGHTS[n] for n in region_names]
            region_name = random.choices(region_names, weights)[0]
            places = GEOGRAPHY[region_name]
        country, _tz, cities = random.choice(places or GEOGRAPHY[region_name])
        city = random.choice(cities)
        if kind == PartnerKind.LOCATION:
            name = f"{parent.name} – {city}"
        else:
            name = f"{random.choice(NAME_A)} {random.choice(NAME_B)} {number}"
        domain = f"bench{number:05d}.example"
        return Partner(
            name=name,
            kind=kind,
            tier=tier,
            region=regions[region_name],
            country=country,
            city=city,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            external_id=f"BENCH-{number:05d}",
            email_domain=domain,
            website=f"https://www.{domain}",
            created_at=now - timedelta(days=random.randint(30, 1500)),
        )

    tier_names = ["Registered", "Silver", "Gold", "Platinum"]
    # Parents are inserted before children: bulk_create on PostgreSQL returns the new ids.
    distributors = Partner.objects.bulk_create(
        [
            new(PartnerKind.DISTRIBUTOR, tiers[random.choice(["Gold", "Platinum"])])
            for _ in range(n_dist)
        ],
        batch_size=BATCH,
    )
    mid_kinds = [PartnerKind.DEALER, PartnerKind.RESELLER, PartnerKind.INSTALLER,
                 PartnerKind.SERVICE_PARTNER, PartnerKind.FRANCHISE]  # fmt: skip
    middle = []
    for _ in range(n_mid):
        kind = random.choices(mid_kinds, [60, 15, 10, 10, 5])[0]
        # Half of them buy through a distributor; the rest buy direct.
        parent = random.choice(distributors) if random.random() < 0.5 else None
        tier = tiers[random.choices(tier_names, [40, 30, 20, 10])[0]]
        middle.append(new(kind, tier, parent))
    middle = Partner.objects.bulk_create(middle, batch_size=BATCH)
    dealers = [p for p in middle if p.kind == PartnerKind.DEALER] or middle
    locations = []
    for _ in range(n_loc):
        # Locations take their parent's tier (a check constraint insists on tier=None).
        locations.append(new(PartnerKind.LOCATION, None, random.choice(dealers)))
    locations = Partner.objects.bulk_create(locations, batch_size=BATCH)
    return [*distributors, *middle, *locations]


def make_people(count: int, partners: list[Any], password_hash: str, now: datetime) -> list[Any]:
    """Every partner gets an admin; the rest are spread with a long tail (the biggest
    partners have about a thousand people, half have under 60). 3% invited, 2% deactivated."""
    from allauth.account.models import EmailAddress

    from touchpoint.orgs.models import Invitation, JobRole, PartnerRole, User

    job_roles = list(JobRole.objects.all())
    tz_of = {(c, city): tz for rs in GEOGRAPHY.values() for c, tz, cities in rs for city in cities}
    # A capped Pareto: a long tail without one partner holding a fifth of the channel.
    weights = [
        min(random.paretovariate(1.5), 25) * (3 if p.kind == "distributor" else 1) for p in partners
    ]
    owners = list(partners[: min(count, len(partners))])
    owners += random.choices(partners, weights, k=max(0, count - len(owners)))
    users = []
    invited: set[int] = set()
    for i, partner in enumerate(owners, start=1):
        first, last = random.choice(FIRST), random.choice(LAST)
        if i <= len(partners):
            # The first person of each company is its partner admin; a location's, a manager.
            role = PartnerRole.MANAGER if partner.kind == "location" else PartnerRole.ADMIN
        else:
            role = PartnerRole.MANAGER if random.random() < 0.08 else PartnerRole.MEMBER
        status = random.random()
        active = status >= 0.02
        is_invited = 0.02 <= status < 0.05 and role != PartnerRole.ADMIN
        if is_invited:
            invited.add(i - 1)
        joined = now - timedelta(days=random.randint(1, 900))
        language = "es" if partner.country in SPANISH_COUNTRIES and random.random() < 0.7 else "en"
        users.append(
            User(
                email=f"person{i:06d}@{partner.email_domain}",
                name=f"{first} {last}",
                partner=partner,
                partner_role=role,
                job_role=random.choice(job_roles),
                title=random.choice(TITLES),
                language=language,
                time_zone=tz_of.get((str(partner.country), partner.city), "UTC"),
                is_active=active,
                date_joined=joined,
                activated_at=None if is_invited else joined + timedelta(days=1),
                # One hash for everybody: hashing 100,000 passwords would take hours.
                password="!" if is_invited else password_hash,
            )
        )
    users = User.objects.bulk_create(users, batch_size=BATCH)
    # allauth refuses sign-in with an unverified address (mandatory verification).
    EmailAddress.objects.bulk_create(
        (
            EmailAddress(user=u, email=u.email, verified=u.activated_at is not None, primary=True)
            for u in users
        ),
        batch_size=BATCH,
    )
    admin_of = {u.partner_id: u for u in users if u.partner_role == PartnerRole.ADMIN}
    invitations = []
    for i in sorted(invited):
        sent = now - timedelta(days=random.randint(0, 20))
        invitations.append(
            Invitation(
                user=users[i],
                invited_by=admin_of.get(users[i].partner_id),
                created_at=sent,
                expires_at=sent + timedelta(days=14),
            )
        )
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    return users


def make_terms_acceptances(users: list[Any], now: datetime) -> int:
    """Every partner admin accepted the older terms (seed_demo would otherwise add those one
    by one on its next run); half of them the current version too."""
    from touchpoint.orgs.models import PartnerRole, ProgramTerms, TermsAcceptance

    versions = list(ProgramTerms.objects.order_by("published_at"))
    rows = []
    for user in users:
        if user.partner_role != PartnerRole.ADMIN or user.activated_at is None:
            continue
        for i, terms in enumerate(versions):
            if i == len(versions) - 1 and len(versions) > 1 and random.random() < 0.5:
                break  # the current version is still due for this partner
            accepted = max(terms.published_at, now - timedelta(days=300))
            rows.append(
                TermsAcceptance(
                    terms=terms,
                    user=user,
                    partner_id=user.partner_id,
                    email=user.email,
                    accepted_at=accepted + timedelta(days=random.randint(0, 5)),
                )
            )
    return len(TermsAcceptance.objects.bulk_create(rows, batch_size=BATCH))


def make_events(count: int, personas: list[Any], now: datetime) -> int:
    """Views (of their company or a colleague's profile) and sign-ins. The demo personas
    get 150 each so their "Continue where you left off" section is full."""
    from django.urls import reverse

    from touchpoint.kernel.models import ActivityEvent
    from touchpoint.orgs.models import Partner, User

    people = list(
        User.objects.filter(is_active=True, activated_at__isnull=False).values_list(
            "pk", "name", "partner_id"
        )
    )
    partners = dict(Partner.objects.values_list("pk", "name"))
    by_partner: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for row in people:
        if row[2] is not None:
            by_partner[row[2]].append(row)
    partner_ids = list(partners)
    # reverse() once per URL shape, not once per row.
    partner_url = reverse("orgs:partner_detail", args=[999999999]).replace("999999999", "{}")
    person_url = reverse("orgs:person_detail", args=[999999999]).replace("999999999", "{}")

    def event(actor_id: int, partner_id: int | None) -> ActivityEvent:
        common = {"actor_id": actor_id, "partner_id": partner_id, "timestamp": spread(now)}
        if random.random() < 0.2:
            return ActivityEvent(
                verb="logged-in", object_type="portal", object_name="Touchpoint", **common
            )
        if partner_id is None:  # vendor staff look across the channel
            target = random.choice(partner_ids)
            colleague = random.choice(people)
        else:
            target = partner_id
            colleague = random.choice(by_partner[partner_id])
        if random.random() < 0.5:
            return ActivityEvent(
                verb="viewed",
                object_type="orgs.partner",
                object_id=str(target),
                object_name=partners[target],
                object_url=partner_url.format(target),
                **common,
            )
        return ActivityEvent(
            verb="viewed",
            object_type="orgs.user",
            object_id=str(colleague[0]),
            object_name=colleague[1] or "",
            object_url=person_url.format(colleague[0]),
            **common,
        )

    def rows() -> Iterator[ActivityEvent]:
        for persona in personas:
            for _ in range(150):
                yield event(persona.pk, persona.partner_id)
        for _ in range(max(0, count - 150 * len(personas))):
            actor = random.choice(people)
            yield event(actor[0], actor[2])

    created = 0
    batch: list[ActivityEvent] = []
    for row in rows():
        batch.append(row)
        if len(batch) == BATCH:
            created += len(ActivityEvent.objects.bulk_create(batch))
            batch = []
    if batch:
        created += len(ActivityEvent.objects.bulk_create(batch))
    return created


def make_notifications(count: int, personas: list[Any], users: list[Any], now: datetime) -> int:
    """40 per persona (12 unread, so the home page shows "N unread in all") plus `count`
    spread over random people, 30% of them unread."""
    from touchpoint.kernel.models import Notification

    def note(recipient_id: int, unread: bool) -> Notification:
        kind, title = random.choice(NOTIFICATIONS)
        created = spread(now)
        return Notification(
            recipient_id=recipient_id,
            kind=kind,
            title=title,
            body="Generated for the benchmark.",
            url="/",
            created_at=created,
            read_at=None if unread else created + timedelta(hours=3),
        )

    rows = [note(p.pk, i < 12) for p in personas for i in range(40)]
    rows += [note(random.choice(users).pk, random.random() < 0.3) for _ in range(count)]
    return len(Notification.objects.bulk_create(rows, batch_size=BATCH))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--notifications", type=int, default=None, help="default: people / 5")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same data every run)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    args = parser.parse_args()
    random.seed(args.seed)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    total = time.perf_counter()

    with step("Database"):
        ensure_database(url, args.fresh)

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from touchpoint.orgs.models import Partner, User
    from touchpoint.portal.demo.orgs import DEMO_PASSWORD

    with step("migrate"):
        call_command("migrate", interactive=False, verbosity=0)
    with step("seed_demo"):
        # Its success line would break the timing line; the sign-ins are in the README.
        call_command("seed_demo", stdout=io.StringIO())

    if Partner.objects.filter(external_id=FIRST_ID).exists():
        print(
            f"Scale data already present ({FIRST_ID} exists): "
            f"{Partner.objects.count()} partners, {User.objects.count()} people. Skipping; "
            "use --fresh to rebuild."
        )
        return

    now = timezone.now()
    personas = list(User.objects.filter(email__in=PERSONAS))
    # One transaction: an interrupted run leaves no BENCH rows, so the next run starts over.
    with transaction.atomic():
        with step(f"{args.partners} partners"):
            partners = make_partners(args.partners, now)
        with step(f"{args.people} people (one password hash, reused)"):
            users = make_people(args.people, partners, make_password(DEMO_PASSWORD), now)
        with step("terms acceptances of partner admins"):
            make_terms_acceptances(users, now)
        with step(f"{args.events} activity events"):
            make_events(args.events, personas, now)
        notes = args.notifications if args.notifications is not None else args.people // 5
        with step(f"{notes + 40 * len(personas)} notifications"):
            make_notifications(notes, personas, users, now)
    # Statistics, so the planner sees 100,000 people rather than the 60 it last sampled,
    # and a vacuum, so the benchmark's first reads do not pay for setting hint bits on
    # 200,000 fresh rows (and index-only scans work). Autovacuum would get there eventually,
    # mid-benchmark, or never where it is turned off. VACUUM cannot run in a transaction.
    with step("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Done in {time.perf_counter() - total:.1f} s. Demo sign-ins use password {DEMO_PASSWORD}."
    )


if __name__ == "__main__":
    main()
