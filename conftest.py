"""Test set-up shared by every test: the personas of the demo story, and a real worker run.

Personas (see ../shared/DEMO.md):
  pat    portal admin
  dana   channel manager for North America East (Alder Creek and Birchwood are there)
  evan   channel manager for EMEA (Fjord Maskin is there)
  mia    content owner (Sales) and trainer
  sol    content owner of the Aftermarket department only (another department than Sales)
  alice  partner admin of Alder Creek Outdoor (dealer_a, Gold), which has a location
  bob    sales rep at Alder Creek; hannah a service tech at its Rutland location
  carol  partner admin of Birchwood Power & Garden (dealer_b, Silver)
  ingrid partner admin of Fjord Maskin (dealer_c, Gold, EMEA, under Meridian)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.support import factories as f
from touchpoint.orgs.models import Partner, PartnerRole, StaffRoleKind, User

CHROMIUM = "/usr/bin/chromium"
_browser_skipped: list[str] = []


@dataclass
class Personas:
    pat: User
    dana: User
    evan: User
    mia: User
    sol: User
    alice: User
    bob: User
    hannah: User
    carol: User
    ingrid: User
    summit: Partner
    meridian: Partner
    dealer_a: Partner
    rutland: Partner
    dealer_b: Partner
    dealer_c: Partner
    tiers: dict[str, Any]
    regions: dict[str, Any]
    roles: dict[str, Any]

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def personas(db: None) -> Personas:
    tiers = {
        name: f.TierFactory(name=name, rank=i)
        for i, name in enumerate(["Registered", "Silver", "Gold", "Platinum"])
    }
    regions = {
        "nae": f.RegionFactory(name="North America East", countries="US, CA"),
        "emea": f.RegionFactory(name="EMEA", countries="GB, DE, NO, NL"),
    }
    from touchpoint.orgs.models import Department, JobRole, StaffRole

    # Created by a data migration, but a browser test's flush empties the table for the next test.
    roles = {
        code: JobRole.objects.get_or_create(
            code=code, defaults={"name": code.title(), "is_builtin": True}
        )[0]
        for code in ("sales", "service", "parts", "management")
    }
    summit = f.PartnerFactory(
        name="Summit Distribution",
        kind="distributor",
        tier=tiers["Platinum"],
        region=regions["nae"],
        country="US",
    )
    meridian = f.PartnerFactory(
        name="Meridian Supply",
        kind="distributor",
        tier=tiers["Platinum"],
        region=regions["emea"],
        country="NL",
    )
    dealer_a = f.PartnerFactory(
        name="Alder Creek Outdoor",
        parent=summit,
        tier=tiers["Gold"],
        region=regions["nae"],
        country="US",
    )
    rutland = f.PartnerFactory(
        name="Alder Creek – Rutland",
        kind="location",
        parent=dealer_a,
        tier=None,
        region=regions["nae"],
        country="US",
    )
    dealer_b = f.PartnerFactory(
        name="Birchwood Power & Garden",
        parent=summit,
        tier=tiers["Silver"],
        region=regions["nae"],
        country="US",
    )
    dealer_c = f.PartnerFactory(
        name="Fjord Maskin AS",
        parent=meridian,
        tier=tiers["Gold"],
        region=regions["emea"],
        country="NO",
    )

    pat = f.StaffFactory(
        email="admin@ridgeline.example", name="Pat Quinn", roles=[StaffRoleKind.PORTAL_ADMIN]
    )
    dana = f.StaffFactory(
        email="dana@ridgeline.example", name="Dana Ortiz", roles=[StaffRoleKind.CHANNEL_MANAGER]
    )
    evan = f.StaffFactory(
        email="evan@ridgeline.example", name="Evan Brooks", roles=[StaffRoleKind.CHANNEL_MANAGER]
    )
    mia = f.StaffFactory(
        email="mia@ridgeline.example",
        name="Mia Chen",
        roles=[StaffRoleKind.CONTENT_OWNER, StaffRoleKind.TRAINER],
    )
    sol = f.StaffFactory(email="sol@ridgeline.example", name="Sol Ortega")
    StaffRole.objects.create(
        user=sol,
        role=StaffRoleKind.CONTENT_OWNER,
        department=Department.objects.get_or_create(name="Aftermarket")[0],
    )
    f.ChannelAssignmentFactory(manager=dana, region=regions["nae"])
    f.ChannelAssignmentFactory(manager=evan, region=regions["emea"])

    alice = f.PersonFactory(
        email="alice@aldercreek.example",
        name="Alice Morgan",
        partner=dealer_a,
        partner_role=PartnerRole.ADMIN,
        job_role=roles["management"],
    )
    bob = f.PersonFactory(
        email="bob@aldercreek.example", name="Bob Tran", partner=dealer_a, job_role=roles["sales"]
    )
    hannah = f.PersonFactory(
        email="hannah@aldercreek.example",
        name="Hannah Kim",
        partner=rutland,
        job_role=roles["service"],
    )
    carol = f.PersonFactory(
        email="carol@birchwood.example",
        name="Carol Diaz",
        partner=dealer_b,
        partner_role=PartnerRole.ADMIN,
        job_role=roles["management"],
    )
    ingrid = f.PersonFactory(
        email="ingrid@fjordmaskin.example",
        name="Ingrid Larsen",
        partner=dealer_c,
        partner_role=PartnerRole.ADMIN,
        job_role=roles["management"],
    )
    return Personas(
        pat=pat, dana=dana, evan=evan, mia=mia, sol=sol, alice=alice, bob=bob, hannah=hannah, carol=carol,
        ingrid=ingrid, summit=summit, meridian=meridian, dealer_a=dealer_a, rutland=rutland,
        dealer_b=dealer_b, dealer_c=dealer_c, tiers=tiers, regions=regions, roles=roles,
    )  # fmt: skip


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> Callable[[], None]:
    """Run queued background tasks through the real worker, as `make run` would."""
    # The worker recycles stale database connections between tasks; inside a test's
    # transaction that would close the test's own connection (Django's test client
    # switches off the same hook on requests for the same reason).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        # Tests run inside a transaction that never commits, so the on-commit hooks that
        # tasks queue (a task enqueuing follow-up tasks) are run by hand, round by round.
        for _round in range(5):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                call_command("worker", batch=True, no_scheduler=True, verbosity=0)
            if not callbacks:
                return

    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """`with on_commit():` runs the callbacks an action queues for after its transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Any) -> None:
    # A deliberately slow password hash protects real accounts; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # Emails "right away" go at once here; the grouping wait has its own tests.
    settings.NOTIFICATION_EMAIL_GROUP_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- browser tests -------------------------------------------------------------------------
def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("TOUCHPOINT_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Browser tests are required but {CHROMIUM} is missing.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
            _browser_skipped.append(item.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _browser_skipped or not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        terminalreporter.write_line(
            f"Browser tests SKIPPED: Debian's chromium is not installed at {CHROMIUM} "
            "(sudo apt-get install chromium; .ci/run installs it).",
            yellow=True,
        )
