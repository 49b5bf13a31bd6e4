"""Each persona's home answers their first question first: a rep what is due and new for
them, a partner admin their team's gaps, a channel manager their partners needing
attention, the portal admin the channel at a glance; one search box, a few quick links."""

from __future__ import annotations

import re

import pytest

from tests.support.homes import team_with_gaps
from tests.support.library import make_asset
from touchpoint.contextual import actions as contextual_actions
from touchpoint.contextual.models import LauncherLink
from touchpoint.kernel.home import QUICK_LINKS
from touchpoint.kernel.models import AuditEntry


@pytest.fixture
def gaps(personas):
    return team_with_gaps(personas)


def section(body: str, heading_id: str) -> str:
    """The HTML of the home section labelled by this heading."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', body, flags=re.S
    )
    assert match, f"no section {heading_id} on the page"
    return match.group(0)


def first_section(body: str) -> str:
    """The heading id of the first section of home's main content."""
    main = body.split('id="main"', 1)[1]
    match = re.search(r'<section[^>]*aria-labelledby="([^"]+)"', main)
    assert match
    return match.group(1)


def test_alice_sees_her_teams_gaps_first_with_links_to_act(gaps):
    body = gaps.client(gaps.alice).get("/").content.decode()
    assert first_section(body) == "attention-h"
    team = section(body, "attention-h")
    assert "Your team’s gaps" in team
    assert "1 course overdue" in team
    assert "1 course due within 14 days" in team
    assert "1 certification expiring within 90 days" in team
    assert 'href="/learn/team/"' in team
    assert 'href="/learn/team/expiring/"' in team


def test_bob_sees_what_is_due_and_new_for_him_first(gaps):
    make_asset(gaps.mia, "Spring price list")
    body = gaps.client(gaps.bob).get("/").content.decode()
    assert first_section(body) == "due-h"
    assert "Zero-turn safety" in section(body, "due-h")
    assert "Spring price list" in section(body, "new-h")  # new in the library, for him
    assert 'id="attention-h"' not in body  # his team's gaps are his admin's


def test_dana_sees_her_partners_needing_attention_first(gaps):
    p = gaps
    body = p.client(p.dana).get("/").content.decode()
    assert first_section(body) == "attention-h"
    partners = section(body, "attention-h")
    assert "Partners needing attention" in partners
    assert "1 partner application to review" in partners
    assert "1 partner with overdue learning" in partners
    assert "1 partner with certifications expiring" in partners
    assert "1 open L&amp;D request" in partners
    # Evan's partners are in EMEA: none of Alder Creek's gaps are his.
    evan = p.client(p.evan).get("/").content.decode()
    assert "partner with overdue learning" not in evan


def test_pat_sees_the_channel_at_a_glance_first(gaps):
    body = gaps.client(gaps.pat).get("/").content.decode()
    assert first_section(body) == "glance-h"
    glance = section(body, "glance-h")
    for label in ("Partners", "Active people", "Certified people"):
        assert label in glance


@pytest.mark.parametrize("persona", ["alice", "bob", "pat", "dana"])
def test_home_has_one_search_box_the_top_bars(personas, persona):
    body = personas.client(getattr(personas, persona)).get("/").content.decode()
    assert body.count('role="search"') == 1


def test_pat_pins_a_launcher_link_to_home_for_its_audience_and_it_leads_the_quick_links(
    personas,
):
    p = personas
    for n in range(8):
        link = LauncherLink(name=f"System {n}", url=f"https://s{n}.example/", position=n)
        contextual_actions.save_launcher_link(p.pat, link)
    pinned = LauncherLink.objects.get(name="System 5")
    client = p.client(p.pat)
    response = client.post(
        f"/apps/manage/{pinned.pk}/",
        {"name": pinned.name, "url": pinned.url, "icon": pinned.icon, "position": 5,
         "is_active": "on", "on_home": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="launcher_link.updated").exists()
    links = section(p.client(p.bob).get("/").content.decode(), "links-h")
    assert links.count("<li") <= QUICK_LINKS
    assert "System 5" in links
    assert "System 4" not in links  # not pinned: on the Apps page, not on home


def test_it_has_no_bare_benchmark_page_unless_the_benchmark_asks(personas):
    assert personas.client(personas.bob).get("/bench/bare/").status_code == 404
