"""Home, the single touch point: each persona lands on their own page, within a query budget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support import factories as f
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.notifications import notify
from touchpoint.orgs.models import Invitation, PartnerApplication, ProgramTerms

# One query per home section (notifications and their unread count together): +1 new library
# items, +1 pinned launcher links (partner people), +1 news for me, +1 a running feature tour
# (cached for five minutes; always cold here). The first section of a manager's home adds its
# own: the team's gaps read the scope, the open enrolments' counts and the expiring
# certifications (+3); a channel manager's partners needing attention the same three plus
# the open L&D requests (+4, less the launcher's); the channel at a glance its certified
# people (+1, less the launcher's). A partner person's audiences are read once, as a list of
# ids every list on the page filters by, instead of as a subquery inside each (+1 here, where
# the cache is always cold; then cached for a minute).
HOME_QUERY_BUDGETS = {
    "alice": 14 + 3 + 1,
    "bob": 11 + 1,
    "pat": 13 - 1 + 1,
    "dana": 12 - 1 + 4,
    "mia": 11,
}


@pytest.fixture
def busy_channel(personas):
    """Enough going on that every home section has rows to show."""
    p = personas
    terms = ProgramTerms.objects.create(version="2026.1", title="Terms", body="<p>x</p>")
    PartnerApplication.objects.create(
        company_name="Quarry Hill", kind="dealer", country="US", contact_name="Rosa",
        contact_email="rosa@quarry.example", terms=terms, region=p.regions["nae"],
    )  # fmt: skip
    late = f.PersonFactory(partner=p.dealer_a, activated_at=None)
    Invitation.objects.create(user=late, created_at=timezone.now() - timedelta(days=5))
    for person in (p.alice, p.bob, p.pat, p.dana):
        for i in range(7):
            notify([person], "team", f"Note {i}")
        record_event(person, "viewed", p.dealer_a)
        record_event(person, "viewed", p.rutland)
    return p


@pytest.mark.parametrize("persona", sorted(HOME_QUERY_BUDGETS))
def test_it_serves_home_within_the_query_budget(
    busy_channel, persona, django_assert_max_num_queries
):
    client = busy_channel.client(getattr(busy_channel, persona))
    with django_assert_max_num_queries(HOME_QUERY_BUDGETS[persona]):
        response = client.get("/")
    assert response.status_code == 200


def test_alice_sees_what_is_due_for_her_company(busy_channel):
    body = busy_channel.client(busy_channel.alice).get("/").content.decode()
    assert "Accept the program terms" in body
    assert "1 person has not accepted their invitation" in body
    assert "Alder Creek – Rutland" in body  # continue where you left off
    assert "Note 6" in body  # what's new for me: the five newest of seven unread...
    assert "Note 1" not in body
    assert "7 unread in all" in body  # ...and how many there are


def test_bob_sees_no_admin_tasks_and_no_admin_navigation(busy_channel):
    body = busy_channel.client(busy_channel.bob).get("/").content.decode()
    assert "Accept the program terms" not in body
    assert "Invite a person" not in body
    assert ">Team<" not in body
    assert "No certifications yet." in body


def test_pat_sees_channel_figures_and_the_admin_navigation(busy_channel):
    body = busy_channel.client(busy_channel.pat).get("/").content.decode()
    assert "1 partner application to review" in body
    for label in ("Portal settings", "Audit log", "Staff", "Import"):
        assert label in body


def test_dana_sees_applications_from_her_region_and_evan_does_not(busy_channel):
    p = busy_channel
    assert "partner application to review" in p.client(p.dana).get("/").content.decode()
    assert "partner application to review" not in p.client(p.evan).get("/").content.decode()


def test_every_home_section_has_a_helpful_empty_state(personas):
    body = personas.client(personas.bob).get("/").content.decode()
    for text in (
        "Nothing is due.",
        "You are up to date.",
        "Nothing opened yet.",
        "No certifications yet.",
    ):
        assert text in body


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
