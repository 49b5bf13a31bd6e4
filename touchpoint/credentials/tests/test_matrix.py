"""Managers tracking their people's learning: the certification matrix, its CSV, the
expiring list, certified headcounts per partner and the team's open enrolments.

The story: Ridgeline publishes certifications; Alice (partner admin of Alder Creek) checks
who at her company and its Rutland location holds which; Dana (channel manager, North
America East) looks across Alder Creek and Birchwood, never Fjord Maskin; Bob, a sales rep,
has no such page."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.support import factories as f
from tests.support.courses import make_certification, make_course
from touchpoint.courses import actions
from touchpoint.courses.models import Enrolment, EnrolmentStatus, Status
from touchpoint.credentials import matrix
from touchpoint.credentials.models import (
    Certification,
    Credential,
    CredentialState,
    CredentialStatus,
    state_case,
    state_q,
)
from touchpoint.kernel import exports
from touchpoint.orgs.models import PartnerRole, StaffRoleKind, User

MISSING = 987_654


# --- building blocks --------------------------------------------------------------------------
def hold(
    person: User, cert: Certification, state: str, now: datetime | None = None, **extra: Any
) -> Credential:
    """A current credential in `state` at `now` (expiry dates set so that it is)."""
    now = now or timezone.now()
    fields: dict[str, Any] = {
        "status": CredentialStatus.ACTIVE,
        "issued_at": now - timedelta(days=300),
    }
    if state == CredentialState.IN_PROGRESS:
        fields = {"status": CredentialStatus.IN_PROGRESS}
    elif state == CredentialState.REVOKED:
        fields.update(status=CredentialStatus.REVOKED, revoked_at=now - timedelta(days=1),
                      expires_at=now + timedelta(days=400), expiring_from=now + timedelta(days=340))  # fmt: skip
    elif state == CredentialState.ACTIVE:
        fields.update(expires_at=now + timedelta(days=400), expiring_from=now + timedelta(days=340))
    elif state == CredentialState.EXPIRING:
        fields.update(expires_at=now + timedelta(days=20), expiring_from=now - timedelta(days=40))
    elif state == CredentialState.EXPIRED:
        fields.update(expires_at=now - timedelta(days=5), expiring_from=now - timedelta(days=65))
    fields.update(extra)
    return Credential.objects.create(user=person, certification=cert, **fields)


@pytest.fixture
def certs(personas) -> dict[str, Certification]:
    return {
        "tech": make_certification("X200 Certified Technician"),
        "sales": make_certification("Residential Sales Pro"),
        "safety": make_certification("Shop Safety", validity_months=None),
    }


@pytest.fixture
def story(personas, certs) -> Any:
    """Bob holds Technician (active) and Sales (expiring); Hannah at Rutland has an expired
    Technician; Carol at Birchwood is on the way to Sales; Ingrid at Fjord holds Safety."""
    p = personas
    hold(p.bob, certs["tech"], CredentialState.ACTIVE)
    hold(p.bob, certs["sales"], CredentialState.EXPIRING)
    hold(p.hannah, certs["tech"], CredentialState.EXPIRED)
    hold(p.carol, certs["sales"], CredentialState.IN_PROGRESS)
    hold(p.ingrid, certs["safety"], CredentialState.ACTIVE, expires_at=None, expiring_from=None)
    return p


def names(response: Any) -> set[str]:
    """The people listed on a matrix or team page (by their row objects)."""
    context = response.context
    if "rows" in context:
        return {row.person.name for row in context["rows"]}
    return {e.user.name for e in context["page"]}


def matrix_url(**params: Any) -> str:
    from urllib.parse import urlencode

    return reverse("credentials:matrix") + ("?" + urlencode(params, doseq=True) if params else "")


def page_of(response: Any, partner_id: int) -> str:
    """A 404 page without what differs between any two responses: the per-response CSRF
    token and the id asked for (echoed in the language form's "next" field)."""
    body = response.content.decode().replace(f"partner={partner_id}", "partner=ID")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", body)


def read_csv(response: Any) -> tuple[str, list[list[str]]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return body, list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


# --- states: SQL agrees with the model ---------------------------------------------------------
def test_the_sql_state_agrees_with_credential_state_for_every_state(personas, certs):
    """Every state, and the edges where one becomes the next (expiry exactly now, the
    expiring window opening exactly now, no expiry at all)."""
    p = personas
    now = timezone.now()
    people = [f.PersonFactory(partner=p.dealer_a) for _ in range(9)]
    cert = certs["tech"]
    for state, person in zip(matrix.STATES, people, strict=False):
        hold(person, cert, state, now)
    hold(people[5], cert, "active", now, expires_at=now, expiring_from=now - timedelta(days=60))
    hold(people[6], cert, "active", now, expires_at=now + timedelta(days=60), expiring_from=now)
    hold(people[7], cert, "active", now, expires_at=None, expiring_from=None)
    hold(people[8], cert, "active", now, expires_at=now - timedelta(days=1), expiring_from=None)

    credentials = Credential.objects.filter(certification=cert).annotate(sql_state=state_case(now))
    seen = set()
    for credential in credentials:
        assert credential.sql_state == credential.state(now), credential.__dict__
        seen.add(credential.sql_state)
        # The filters say the same: each credential is in exactly one state's filter.
        matching = [
            s
            for s in matrix.STATES
            if Credential.objects.filter(state_q(s, now), pk=credential.pk).exists()
        ]
        assert matching == [credential.state(now)]
    assert seen == set(matrix.STATES)


# --- who sees what ------------------------------------------------------------------------------
def test_alice_sees_her_company_and_its_location_only(story, certs):
    p = story
    response = p.client(p.alice).get(reverse("credentials:matrix"))
    assert response.status_code == 200
    assert names(response) == {"Alice Morgan", "Bob Tran", "Hannah Kim"}
    assert "Carol Diaz" not in response.content.decode()


def test_dana_sees_alder_creek_and_birchwood_but_not_fjord(story, certs):
    p = story
    response = p.client(p.dana).get(reverse("credentials:matrix"))
    assert names(response) == {"Alice Morgan", "Bob Tran", "Hannah Kim", "Carol Diaz"}
    evan = p.client(p.evan).get(reverse("credentials:matrix"))
    assert names(evan) == {"Ingrid Larsen"}


def test_vendor_staff_with_channel_wide_roles_see_everyone(story, certs):
    p = story
    for viewer in (p.pat, p.mia):  # portal admin; trainer
        response = p.client(viewer).get(reverse("credentials:matrix"))
        assert names(response) == {
            "Alice Morgan",
            "Bob Tran",
            "Hannah Kim",
            "Carol Diaz",
            "Ingrid Larsen",
        }
    analyst = f.StaffFactory(roles=[StaffRoleKind.ANALYST])
    assert p.client(analyst).get(reverse("credentials:team")).status_code == 200


@pytest.mark.parametrize(
    "name", ["team", "matrix", "matrix_csv", "expiring", "certification_counts"]
)
def test_bob_and_staff_without_a_tracking_role_get_403(personas, name):
    p = personas
    url = reverse(f"credentials:{name}")
    assert p.client(p.bob).get(url).status_code == 403
    moderator = f.StaffFactory(roles=[StaffRoleKind.MODERATOR])
    assert p.client(moderator).get(url).status_code == 403
    anonymous = p.client(p.bob)
    anonymous.logout()
    assert anonymous.get(url).status_code == 302  # to the sign-in page


def test_a_partner_manager_sees_the_company_like_its_admin(story, certs):
    p = story
    manager = f.PersonFactory(
        name="Mo Manager", partner=p.dealer_a, partner_role=PartnerRole.MANAGER
    )
    response = p.client(manager).get(reverse("credentials:matrix"))
    assert names(response) == {"Alice Morgan", "Bob Tran", "Hannah Kim", "Mo Manager"}


def test_deactivated_people_and_staff_are_not_rows(story, certs):
    p = story
    f.PersonFactory(name="Gone Person", partner=p.dealer_a, is_active=False)
    invited = f.PersonFactory(name="New Hire", partner=p.dealer_a, activated_at=None)
    response = p.client(p.alice).get(reverse("credentials:matrix"))
    assert "Gone Person" not in names(response)
    assert invited.name in names(response)  # invited people are on the team already


@pytest.mark.parametrize(
    "name", ["team", "matrix", "matrix_csv", "expiring", "certification_counts"]
)
def test_a_partner_outside_the_scope_is_a_404_like_a_missing_one(story, name):
    p = story
    url = reverse(f"credentials:{name}")
    alice = p.client(p.alice)
    other = alice.get(url, {"partner": p.dealer_b.pk})
    missing = alice.get(url, {"partner": MISSING})
    assert other.status_code == missing.status_code == 404
    assert page_of(other, p.dealer_b.pk) == page_of(missing, MISSING)
    assert alice.get(url, {"partner": "abc"}).status_code == 404
    # Her own location is fine, and so is Birchwood for Dana.
    assert alice.get(url, {"partner": p.rutland.pk}).status_code == 200
    assert p.client(p.dana).get(url, {"partner": p.dealer_b.pk}).status_code == 200
    assert p.client(p.evan).get(url, {"partner": p.dealer_b.pk}).status_code == 404


# --- the matrix -----------------------------------------------------------------------------------
def test_each_cell_shows_the_state_and_expiry_of_the_current_credential(story, certs):
    p = story
    old = Credential.objects.get(user=p.bob, certification=certs["tech"])
    # A renewal: the old row stays as history, the matrix shows the new one.
    Credential.objects.filter(pk=old.pk).update(is_current=False)
    renewed = hold(
        p.bob,
        certs["tech"],
        CredentialState.ACTIVE,
        expires_at=timezone.now() + timedelta(days=700),
    )
    response = p.client(p.alice).get(reverse("credentials:matrix"))
    columns = [c.name for c in response.context["columns"]]
    assert columns == ["Residential Sales Pro", "Shop Safety", "X200 Certified Technician"]
    cells = {
        (row.person.name, cert.name): cell
        for row in response.context["rows"]
        for cert, cell in row.cells
    }
    bob_tech = cells[("Bob Tran", "X200 Certified Technician")]
    assert (bob_tech.state, bob_tech.expires_at) == ("active", renewed.expires_at)
    assert bob_tech.url == reverse("credentials:credential_detail", args=[renewed.pk])
    assert cells[("Bob Tran", "Residential Sales Pro")].state == "expiring"
    assert cells[("Hannah Kim", "X200 Certified Technician")].state == "expired"
    assert cells[("Alice Morgan", "Shop Safety")].state == matrix.NONE
    body = response.content.decode()
    assert "Expiring soon" in body and "Expired" in body and "Not held" in body
    assert 'data-label="Shop Safety"' in body  # each cell is labelled for the phone layout


def test_carol_on_the_way_and_a_revoked_credential_show_as_such(story, certs):
    p = story
    hold(p.carol, certs["tech"], CredentialState.REVOKED)
    response = p.client(p.carol).get(reverse("credentials:matrix"))
    cells = {cert.name: cell.state for row in response.context["rows"] for cert, cell in row.cells}
    assert cells == {
        "Residential Sales Pro": "in_progress",
        "X200 Certified Technician": "revoked",
        "Shop Safety": "none",
    }


def test_it_filters_by_job_role_location_certification_and_state(story, certs):
    p = story
    alice = p.client(p.alice)
    sales = p.roles["sales"].pk
    assert names(alice.get(matrix_url(job_role=sales))) == {"Bob Tran"}
    assert names(alice.get(matrix_url(partner=p.rutland.pk))) == {"Hannah Kim"}
    # The company includes its locations.
    assert names(alice.get(matrix_url(partner=p.dealer_a.pk))) == {
        "Alice Morgan",
        "Bob Tran",
        "Hannah Kim",
    }
    tech = certs["tech"].pk
    assert names(alice.get(matrix_url(certification=tech))) == {"Bob Tran", "Hannah Kim"}
    assert names(alice.get(matrix_url(certification=tech, state="expired"))) == {"Hannah Kim"}
    assert names(alice.get(matrix_url(certification=tech, state="none"))) == {"Alice Morgan"}
    assert names(alice.get(matrix_url(state="expiring"))) == {"Bob Tran"}
    # Without a certification, "not held" is anyone missing at least one column.
    assert names(alice.get(matrix_url(state="none"))) == {"Alice Morgan", "Bob Tran", "Hannah Kim"}
    assert names(alice.get(matrix_url(state="none", cert=[tech]))) == {"Alice Morgan"}


def test_the_viewer_picks_the_columns(story, certs):
    p = story
    alice = p.client(p.alice)
    response = alice.get(matrix_url(cert=[certs["safety"].pk, certs["tech"].pk]))
    assert [c.name for c in response.context["columns"]] == [
        "Shop Safety",
        "X200 Certified Technician",
    ]
    # A certification being filtered on is always shown.
    response = alice.get(matrix_url(cert=[certs["safety"].pk], certification=certs["sales"].pk))
    assert [c.name for c in response.context["columns"]] == ["Shop Safety", "Residential Sales Pro"]
    # Drafts are not columns, and cannot be asked for.
    draft = Certification.objects.create(name="Draft cert", status=Status.DRAFT)
    response = alice.get(matrix_url())
    assert "Draft cert" not in [c.name for c in response.context["columns"]]
    response = alice.get(matrix_url(certification=draft.pk))
    assert response.status_code == 200 and response.context["form"].errors
    assert (
        alice.get(reverse("credentials:matrix_csv"), {"certification": draft.pk}).status_code == 400
    )


def test_more_certifications_than_fit_default_to_the_first_fifteen(personas):
    p = personas
    for n in range(matrix.MAX_COLUMNS + 3):
        make_certification(f"Cert {n:02d}")
    response = p.client(p.alice).get(reverse("credentials:matrix"))
    assert len(response.context["columns"]) == matrix.MAX_COLUMNS
    assert "showing 15 of 18 certifications" in response.content.decode()
    too_many = Certification.objects.values_list("pk", flat=True)
    response = p.client(p.alice).get(matrix_url(cert=list(too_many)))
    assert "Pick at most 15 certifications." in response.content.decode()


def test_a_long_partner_list_is_not_a_drop_down(story, certs, monkeypatch):
    p = story
    monkeypatch.setattr(matrix, "PARTNER_CHOICES_LIMIT", 2)  # Dana has four partners
    dana = p.client(p.dana)
    response = dana.get(reverse("credentials:matrix"))
    assert response.context["form"].fields["partner"].choices == [("", "Everywhere")]
    assert "per-partner counts" in response.content.decode()
    # A partner chosen from the per-partner page stays visible, so it can be cleared.
    response = dana.get(reverse("credentials:matrix"), {"partner": p.dealer_b.pk})
    choices = response.context["form"].fields["partner"].choices
    assert choices == [("", "Everywhere"), (p.dealer_b.pk, "Birchwood Power & Garden")]
    assert names(response) == {"Carol Diaz"}


def test_htmx_gets_just_the_table(story, certs):
    p = story
    response = p.client(p.alice).get(reverse("credentials:matrix"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<table" in body and "<html" not in body


def test_the_matrix_is_paginated_fifty_people_a_page_in_partner_order(personas, certs):
    p = personas
    for n in range(55):
        f.PersonFactory(name=f"Tech {n:02d}", partner=p.dealer_a if n % 3 else p.rutland)
    alice = p.client(p.alice)
    pages = [alice.get(reverse("credentials:matrix"), {"page": n}).context["rows"] for n in (1, 2)]
    assert [len(rows) for rows in pages] == [50, 58 - 50]  # + alice, bob, hannah
    listed = [row.person.name for rows in pages for row in rows]
    # The pages read only the partners they span, and still follow partner then name.
    everyone = User.objects.filter(partner__in=[p.dealer_a, p.rutland])
    expected = [u.name for u in everyone.order_by("partner__name", "name")]
    assert listed == expected
    assert listed[0] == "Alice Morgan" and listed[-1] == "Tech 54"


# --- expiring ------------------------------------------------------------------------------------
def test_the_expiring_list_shows_the_next_90_days_soonest_first(personas, certs):
    p = personas
    now = timezone.now()
    in_80 = hold(
        p.alice,
        certs["tech"],
        "active",
        expires_at=now + timedelta(days=80),
        expiring_from=now + timedelta(days=20),
    )
    in_10 = hold(p.bob, certs["tech"], "expiring", expires_at=now + timedelta(days=10))
    hold(
        p.bob, certs["sales"], "active", expires_at=now + timedelta(days=120)
    )  # later than 90 days
    lapsed = hold(p.hannah, certs["tech"], "expired", expires_at=now - timedelta(days=3))
    hold(p.hannah, certs["sales"], "expired", expires_at=now - timedelta(days=45))  # long ago
    hold(p.carol, certs["tech"], "expiring", expires_at=now + timedelta(days=5))  # not Alice's
    renewed = hold(p.alice, certs["sales"], "expired", expires_at=now - timedelta(days=2))
    Credential.objects.filter(pk=renewed.pk).update(is_current=False)  # renewed since
    revoked = hold(p.bob, certs["safety"], "revoked", expires_at=now + timedelta(days=30))

    response = p.client(p.alice).get(reverse("credentials:expiring"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [in_10, in_80]
    assert list(response.context["expired_page"]) == [lapsed]
    body = response.content.decode()
    assert reverse("credentials:credential_detail", args=[in_10.pk]) in body
    assert "Alder Creek – Rutland" in body  # where Hannah works
    assert revoked not in response.context["page"]
    rutland_only = p.client(p.alice).get(reverse("credentials:expiring"), {"partner": p.rutland.pk})
    assert list(rutland_only.context["page"]) == []
    assert list(rutland_only.context["expired_page"]) == [lapsed]
    sales_only = p.client(p.alice).get(
        reverse("credentials:expiring"), {"certification": certs["sales"].pk}
    )
    assert list(sales_only.context["page"]) == [] and list(sales_only.context["expired_page"]) == []


# --- CSV ------------------------------------------------------------------------------------------
def test_the_csv_has_a_row_per_person_and_a_column_per_certification(story, certs):
    p = story
    response = p.client(p.alice).get(reverse("credentials:matrix_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="certifications-')
    body, rows = read_csv(response)
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    assert rows[0] == [
        "Name",
        "Email",
        "Partner",
        "Job role",
        "Residential Sales Pro",
        "Shop Safety",
        "X200 Certified Technician",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Alice Morgan", "Bob Tran", "Hannah Kim"}
    bob = Credential.objects.get(user=p.bob, certification=certs["tech"])
    expected = f"Active, expires {timezone.localdate(bob.expires_at).isoformat()}"
    assert by_name["Bob Tran"][:4] == [
        "Bob Tran",
        "bob@aldercreek.example",
        "Alder Creek Outdoor",
        "Sales",
    ]
    assert by_name["Bob Tran"][6] == expected
    assert by_name["Bob Tran"][4].startswith("Expiring soon, expires ")
    assert by_name["Hannah Kim"][3:] == ["Service", "", "", by_name["Hannah Kim"][6]]
    assert by_name["Hannah Kim"][6].startswith("Expired, expires ")
    assert by_name["Hannah Kim"][2] == "Alder Creek – Rutland"  # non-ASCII survives


def test_the_csv_streams_in_chunks_without_losing_anyone(personas, certs, monkeypatch):
    p = personas
    monkeypatch.setattr(matrix, "CSV_CHUNK", 2)  # three people: a full chunk and a rest
    hold(p.hannah, certs["safety"], CredentialState.ACTIVE, expires_at=None, expiring_from=None)
    response = p.client(p.alice).get(reverse("credentials:matrix_csv"))
    assert response.streaming
    _body, rows = read_csv(response)
    assert [row[0] for row in rows[1:]] == ["Alice Morgan", "Bob Tran", "Hannah Kim"]
    assert rows[3][5] == "Active"  # never expires: no date


def test_the_csv_applies_the_same_filters(story, certs):
    p = story
    response = p.client(p.alice).get(
        reverse("credentials:matrix_csv"), {"certification": certs["tech"].pk, "state": "expired"}
    )
    _body, rows = read_csv(response)
    assert [row[0] for row in rows[1:]] == ["Hannah Kim"]
    response = p.client(p.alice).get(
        reverse("credentials:matrix_csv"), {"cert": [certs["safety"].pk]}
    )
    _body, rows = read_csv(response)
    assert rows[0][4:] == ["Shop Safety"]


@pytest.mark.parametrize(
    "evil", ['=HYPERLINK("http://x.example")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_the_csv_never_hands_a_spreadsheet_a_formula(personas, certs, evil):
    p = personas
    User.objects.filter(pk=p.bob.pk).update(name=evil)
    Certification.objects.filter(pk=certs["safety"].pk).update(name=evil)
    p.dealer_a.name = evil
    p.dealer_a.save()
    _body, rows = read_csv(p.client(p.alice).get(reverse("credentials:matrix_csv")))
    cells = [cell for row in rows for cell in row]
    assert exports.csv_safe(evil) in cells
    assert not any(cell.startswith(tuple(exports.FORMULA_TRIGGERS)) for cell in cells)
    assert exports.csv_safe("Alder Creek") == "Alder Creek"
    assert exports.csv_safe(None) == ""


# --- certified headcount per partner ------------------------------------------------------------
def test_dana_sees_certified_headcount_by_job_role_per_partner_with_totals(story, certs):
    p = story
    sam = f.PersonFactory(name="Sam Sales", partner=p.dealer_a, job_role=p.roles["sales"])
    hold(sam, certs["tech"], CredentialState.REVOKED)  # revoked: not certified
    response = p.client(p.dana).get(
        reverse("credentials:certification_counts"), {"cert": [certs["tech"].pk, certs["sales"].pk]}
    )
    assert response.status_code == 200
    groups = response.context["groups"]
    totals, partners = groups[0], groups[1:]
    assert totals.partner_id is None
    assert [g.total.label for g in partners] == [
        "Alder Creek Outdoor",
        "Alder Creek – Rutland",
        "Birchwood Power & Garden",
        "Summit Distribution",
    ]
    alder = partners[0]
    # Columns: Residential Sales Pro, X200 Certified Technician. Bob: tech active, sales expiring.
    assert (alder.total.headcount, alder.total.certified) == (3, [1, 1])
    by_role = {row.label: (row.headcount, row.certified) for row in alder.roles}
    assert by_role == {"Sales": (2, [1, 1]), "Management": (1, [0, 0])}
    rutland = partners[1]
    assert (rutland.total.headcount, rutland.total.certified) == (
        1,
        [0, 0],
    )  # expired: not certified
    birchwood = partners[2]
    assert (birchwood.total.headcount, birchwood.total.certified) == (1, [0, 0])  # in progress
    # Totals over the whole scope, Fjord's Ingrid not among them.
    assert (totals.total.headcount, totals.total.certified) == (5, [1, 1])
    assert {row.label: row.headcount for row in totals.roles} == {
        "Sales": 2,
        "Service": 1,
        "Management": 2,
    }
    assert "50%" in response.content.decode()  # 1 of 2 sales people


def test_alice_sees_the_same_for_her_company_and_its_location(story, certs):
    p = story
    response = p.client(p.alice).get(reverse("credentials:certification_counts"))
    groups = response.context["groups"]
    assert [g.total.label for g in groups] == [
        "Total",
        "Alder Creek Outdoor",
        "Alder Creek – Rutland",
    ]
    assert groups[0].total.headcount == 3
    assert "By location" in response.content.decode()
    only_rutland = p.client(p.alice).get(
        reverse("credentials:certification_counts"), {"partner": p.rutland.pk}
    )
    assert [g.total.label for g in only_rutland.context["groups"]] == [
        "Total",
        "Alder Creek – Rutland",
    ]
    assert only_rutland.context["groups"][0].total.headcount == 1


# --- team overview -------------------------------------------------------------------------------
def test_the_team_page_puts_overdue_first_then_due_soon(personas):
    p = personas
    now = timezone.now()
    courses = [make_course(p.mia, f"Course {n}") for n in range(4)]
    later = actions.enrol(p.bob, courses[0], due_at=now + timedelta(days=40), source="rule")
    soon = actions.enrol(p.hannah, courses[0], due_at=now + timedelta(days=5), source="rule")
    overdue = actions.enrol(p.bob, courses[1], source="rule")
    Enrolment.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(days=2), progress=40)
    undated = actions.enrol(p.alice, courses[2], source="rule")
    done = actions.enrol(p.bob, courses[3], source="rule")
    Enrolment.objects.filter(pk=done.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=now - timedelta(days=3)
    )
    actions.enrol(p.carol, courses[0], due_at=now + timedelta(days=1), source="rule")  # not Alice's

    response = p.client(p.alice).get(reverse("credentials:team"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [overdue, soon, later, undated]
    assert response.context["summary"] == {"overdue": 1, "due_soon": 1, "open": 4, "completed": 1}
    body = response.content.decode()
    assert "Overdue" in body and "Due soon" in body and 'value="40"' in body

    sales = p.client(p.alice).get(reverse("credentials:team"), {"job_role": p.roles["sales"].pk})
    assert list(sales.context["page"]) == [overdue, later]
    rutland = p.client(p.alice).get(reverse("credentials:team"), {"partner": p.rutland.pk})
    assert list(rutland.context["page"]) == [soon]
    assert rutland.context["summary"]["completed"] == 0
    dana = p.client(p.dana).get(reverse("credentials:team"))
    assert dana.context["page"].paginator.count == 5


# --- query budgets -----------------------------------------------------------------------------
@pytest.fixture
def busy_company(personas):
    """30 more people at Alder Creek, each with credentials for five certifications in
    every state, and an open enrolment each."""
    p = personas
    now = timezone.now()
    certs = [make_certification(f"Certification {n}") for n in range(5)]
    course = make_course(p.mia, "Busy course")
    people = [
        f.PersonFactory(
            name=f"Person {n:02d}",
            partner=p.dealer_a if n % 2 else p.rutland,
            job_role=p.roles["sales"],
        )
        for n in range(30)
    ]
    for n, person in enumerate(people):
        for m, cert in enumerate(certs):
            hold(person, cert, matrix.STATES[(n + m) % len(matrix.STATES)], now)
        Enrolment.objects.create(
            user=person,
            course=course,
            version=course.published_version,
            due_at=now + timedelta(days=n - 10),
        )
    return people


# Four queries are the request's own (session, user, portal settings, staff roles); the rest
# are the page's, with a little room for navigation.
PAGES = {
    "team": 13,  # measured 9 (a page's ids, then its rows: see matrix.NarrowPages)
    "matrix": 14,  # measured 10
    "matrix_csv": 12,  # measured 9 (people in one chunk, their credentials in one query)
    "expiring": 16,  # measured 13 (two lists, each counted, then ids, then rows)
    "certification_counts": 15,  # measured 11
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_stay_within_their_query_budget_however_many_people(
    personas, busy_company, name, django_assert_max_num_queries
):
    p = personas
    client = p.client(p.dana)
    url = reverse(f"credentials:{name}")

    def get() -> Any:
        response = client.get(url)
        assert response.status_code == 200
        if name == "matrix_csv":
            read_csv(response)  # the queries run while the response streams
        return response

    with django_assert_max_num_queries(PAGES[name]):
        get()
    with CaptureQueriesContext(connection) as many:
        get()
    # Half the people gone: the same number of queries.
    User.objects.filter(pk__in=[u.pk for u in busy_company[:15]]).update(is_active=False)
    with CaptureQueriesContext(connection) as fewer:
        get()
    assert len(many) == len(fewer), name


def test_the_matrix_scrolls_in_a_named_region_keyboard_users_can_reach(personas, certs):
    page = personas.client(personas.dana).get(matrix_url()).content.decode()

    assert re.search(
        r'<div class="table-wrap matrix-scroll" tabindex="0" role="region" '
        r'aria-labelledby="matrix-caption">',
        page,
    )
    assert '<caption class="visually-hidden" id="matrix-caption">' in page
    assert "credentials/matrix.css" in page
