"""Certification tracking at scale: the matrix and the per-partner counts on the bench data.

    .venv/bin/python bench/cert_matrix.py                # build once (if needed), then measure
    .venv/bin/python bench/cert_matrix.py --requests 50  # more samples
    .venv/bin/python bench/cert_matrix.py --fresh        # drop this script's rows and rebuild
    # --channel-wide: also the portal admin; --csv: also the full CSV; --team: also the
    # team page (run bench/auto_enrol.py --keep first, so there are open enrolments)

Needs the bench database from bench/generate.py (1,000 partners, 100,000 people). Adds, once
(partner BENCH-CERTS marks that it is there; everything is added in one transaction):

- 10 published certifications (two never expire);
- "Bench Certified Outdoor", a dealer with 500 active people (its partner admin is
  certadmin@benchcerts.example), each holding credentials for about 8 of the 10;
- a channel manager (cm@benchcerts.example) assigned that dealer and 199 generated
  top-level partners (about 18,000 active people, with what sits under them), whose
  people hold about half of the certifications each;
- credentials in mixed states: active, expiring soon, expired, in progress, revoked.

Then it measures, in-process with django.test.Client (DEBUG off, the full middleware stack,
no network), the server time of each page for the partner admin and the channel manager:
a few unmeasured requests, then --requests timed ones; p50 and p95 in ms. The target is
300 ms. The client signs in with force_login; in a browser the demo password works for
both. See bench/README.md, "Certification tracking".
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "touchpoint.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/touchpoint_bench")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "results" / "media"))
# Production-like: DEBUG off (no query log, cached templates). The test client speaks plain
# HTTP as "testserver", so no HTTPS redirect and no Secure-only cookies.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "touchpoint-bench-not-a-secret-0123456789-abcdefghijklmnop")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["SECURE_COOKIES"] = "0"
os.environ["SECURE_HSTS_SECONDS"] = "0"
os.environ.setdefault("LOG_LEVEL", "WARNING")

MARKER = "BENCH-CERTS"  # the partner's external id: present means the rows are there
ADMIN_EMAIL = "certadmin@benchcerts.example"
MANAGER_EMAIL = "cm@benchcerts.example"
PORTAL_ADMIN_EMAIL = "admin@ridgeline.example"  # from seed_demo
CERT_PREFIX = "Bench cert"
CERTIFICATIONS = 10
PEOPLE = 500
OTHER_PARTNERS = 199
BATCH = 5000
TARGET_MS = 300
# State mix of a credential: (state, weight).
MIX = [("active", 50), ("expiring", 15), ("expired", 12), ("in_progress", 15), ("revoked", 8)]


def build(now: Any) -> None:
    from django.contrib.auth.hashers import make_password

    from touchpoint.courses.models import Status
    from touchpoint.credentials.models import Certification, Credential, CredentialStatus
    from touchpoint.orgs.models import (
        ChannelAssignment,
        JobRole,
        Partner,
        PartnerRole,
        Region,
        StaffRole,
        StaffRoleKind,
        Tier,
        User,
    )
    from touchpoint.portal.demo.orgs import DEMO_PASSWORD

    started = time.perf_counter()
    certs = [
        Certification.objects.create(
            name=f"{CERT_PREFIX} {n:02d}",
            status=Status.PUBLISHED,
            validity_months=None if n in (3, 7) else 24,
            recert_window_days=60,
        )
        for n in range(1, CERTIFICATIONS + 1)
    ]
    partner = Partner.objects.create(
        name="Bench Certified Outdoor",
        kind="dealer",
        tier=Tier.objects.filter(name="Gold").first(),
        region=Region.objects.filter(name="North America East").first(),
        country="US",
        city="Albany",
        external_id=MARKER,
    )
    password = make_password(DEMO_PASSWORD)
    roles = list(JobRole.objects.all())
    people = [
        User(
            email=ADMIN_EMAIL if n == 0 else f"tech{n:04d}@benchcerts.example",
            name="Casey Admin" if n == 0 else f"Bench Person {n:04d}",
            partner=partner,
            partner_role=PartnerRole.ADMIN if n == 0 else PartnerRole.MEMBER,
            job_role=roles[n % len(roles)],
            password=password,
            activated_at=now - timedelta(days=200),
        )
        for n in range(PEOPLE)
    ]
    User.objects.bulk_create(people, batch_size=BATCH)
    manager = User.objects.create(
        email=MANAGER_EMAIL, name="Cam Manager", password=password, activated_at=now
    )
    StaffRole.objects.create(user=manager, role=StaffRoleKind.CHANNEL_MANAGER)
    others = list(
        Partner.objects.filter(external_id__startswith="BENCH-0", depth=0)
        .exclude(kind="distributor")
        .order_by("external_id")
        .values_list("pk", flat=True)[:OTHER_PARTNERS]
    )
    ChannelAssignment.objects.bulk_create(
        [ChannelAssignment(manager=manager, partner_id=pk) for pk in [partner.pk, *others]]
    )
    print(
        f"  certifications, partner, {PEOPLE} people, manager: {time.perf_counter() - started:.1f} s"
    )

    states, weights = zip(*MIX, strict=True)

    def credential(user_id: int, cert: Any) -> Credential:
        state = random.choices(states, weights)[0]
        if cert.validity_months is None and state in ("expiring", "expired"):
            state = "active"  # a certification that never expires cannot lapse
        row = Credential(user_id=user_id, certification=cert, started_at=now - timedelta(days=700))
        if state == "in_progress":
            row.status = CredentialStatus.IN_PROGRESS
            return row
        row.status = CredentialStatus.REVOKED if state == "revoked" else CredentialStatus.ACTIVE
        if cert.validity_months is None:
            row.issued_at = now - timedelta(days=random.randint(1, 700))
            return row
        days_left = {
            "active": random.randint(61, 700),
            "revoked": random.randint(61, 700),
            "expiring": random.randint(1, 60),
            "expired": -random.randint(1, 300),
        }[state]
        row.expires_at = now + timedelta(days=days_left, minutes=random.randint(0, 1439))
        row.expiring_from = row.expires_at - timedelta(days=cert.recert_window_days)
        row.issued_at = row.expires_at - timedelta(days=730)
        if state == "revoked":
            row.revoked_at = now - timedelta(days=random.randint(1, 90))
        return row

    started = time.perf_counter()
    created = 0
    batch: list[Credential] = []
    holders = User.objects.filter(is_active=True, partner__in=[partner.pk, *others]).values_list(
        "pk", "partner_id"
    )
    for user_id, partner_id in holders.iterator(chunk_size=BATCH):
        share = 0.8 if partner_id == partner.pk else 0.5
        for cert in certs:
            if random.random() < share:
                batch.append(credential(user_id, cert))
        if len(batch) >= BATCH:
            created += len(Credential.objects.bulk_create(batch))
            batch = []
    created += len(Credential.objects.bulk_create(batch))
    print(f"  {created} credentials: {time.perf_counter() - started:.1f} s")


def remove() -> None:
    """This script's rows only (never the generator's)."""
    from touchpoint.credentials.models import Certification, Credential
    from touchpoint.orgs.models import ChannelAssignment, Partner, User

    certs = Certification.objects.filter(name__startswith=CERT_PREFIX)
    Credential.objects.filter(certification__in=certs).delete()
    certs.delete()
    ChannelAssignment.objects.filter(manager__email=MANAGER_EMAIL).delete()
    User.objects.filter(email=MANAGER_EMAIL).delete()
    User.objects.filter(partner__external_id=MARKER).delete()
    Partner.objects.filter(external_id=MARKER).delete()


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with 20 samples, p95 is the 19th fastest."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def measure(email: str, url: str, requests: int, warmup: int) -> tuple[float, float, int]:
    from django.test import Client

    from touchpoint.orgs.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    size = 0
    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"cert_matrix.py: {email} got {response.status_code} for {url}")
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        size = len(response.getvalue())  # a streamed CSV is read to its end
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"cert_matrix.py: {email} got {response.status_code} for {url}")
    return percentile(samples, 0.5), percentile(samples, 0.95), size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests first")
    parser.add_argument("--fresh", action="store_true", help="remove this script's rows first")
    parser.add_argument("--csv", action="store_true", help="also time the full CSV export")
    parser.add_argument(
        "--team",
        action="store_true",
        help="also time the team page (open enrolments: run auto_enrol.py --keep first)",
    )
    parser.add_argument(
        "--channel-wide",
        action="store_true",
        help=f"also measure {PORTAL_ADMIN_EMAIL} (the whole channel: ~98,000 people)",
    )
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    random.seed(args.seed)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import timezone

    from touchpoint.credentials.models import Credential
    from touchpoint.orgs.models import Partner, User

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit("cert_matrix.py: DATABASE_URL must point at the PostgreSQL bench database")
    if not Partner.objects.filter(external_id="BENCH-00001").exists():
        sys.exit("cert_matrix.py: no bench data; run bench/generate.py (or make bench) first")
    call_command("migrate", interactive=False, verbosity=0)

    if args.fresh:
        with transaction.atomic():
            remove()
    if Partner.objects.filter(external_id=MARKER).exists():
        print(f"Certification data already present ({MARKER} exists); use --fresh to rebuild.")
    else:
        print("Building the certification data (once):")
        started = time.perf_counter()
        with transaction.atomic():
            build(timezone.now())
        # Fresh statistics, so the planner knows the credential table's size, and a vacuum
        # so index-only scans work from the first request (autovacuum is off here).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"  done in {time.perf_counter() - started:.1f} s")

    admin = User.objects.get(email=ADMIN_EMAIL)
    manager = User.objects.get(email=MANAGER_EMAIL)
    from touchpoint.credentials.matrix import Scope

    admin_scope, manager_scope = Scope.of(admin), Scope.of(manager)
    print(
        f"Data: {Credential.objects.count()} credentials; "
        f"{ADMIN_EMAIL}: {admin_scope.people().count()} people; "
        f"{MANAGER_EMAIL}: {len(manager_scope.partners)} partners, "
        f"{manager_scope.people().count()} people"
    )
    pages = [
        ("matrix", reverse("credentials:matrix")),
        ("matrix, expired only", reverse("credentials:matrix") + "?state=expired"),
        ("counts by partner", reverse("credentials:certification_counts")),
        ("expiring", reverse("credentials:expiring")),
    ]
    if args.team:
        pages.append(("team (open courses)", reverse("credentials:team")))
    if args.csv:
        pages.append(("CSV (every person)", reverse("credentials:matrix_csv")))
    print(
        f"\n{args.requests} requests per page after {args.warmup} unmeasured; target p95 <= "
        f"{TARGET_MS} ms; load average before: " + "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    )
    print(f"{'who':<30} {'page':<22} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>10}")
    slow = []
    viewers = [ADMIN_EMAIL, MANAGER_EMAIL]
    if args.channel_wide:
        viewers.append(PORTAL_ADMIN_EMAIL)
    for email in viewers:
        for label, url in pages:
            p50, p95, size = measure(email, url, args.requests, args.warmup)
            # The target is for the pages a manager uses; the full CSV and the whole channel
            # (the portal admin) are measured for information.
            exempt = label.startswith("CSV") or email == PORTAL_ADMIN_EMAIL
            flag = "" if p95 <= TARGET_MS or exempt else "  SLOW"
            if flag:
                slow.append(f"{email} {label}")
            print(f"{email:<30} {label:<22} {p50:8.1f} {p95:8.1f} {size:10d}{flag}")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print("\nAll pages within target." if not slow else f"\nOver target: {', '.join(slow)}")


if __name__ == "__main__":
    main()
