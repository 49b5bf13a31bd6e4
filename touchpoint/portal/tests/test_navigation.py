"""The menu cannot drift from the pages: every entry shows exactly when its page opens.

Each app registers its menu entries on the same role predicate its view is gated by
(kernel.menu, kernel.access.require). This walks every registered entry as every kind of
person the portal has, including the ones the old hand-written menu got wrong (a category's
moderator without the moderator role had a moderation page but no entry for it).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import Personas
from tests.support import factories as f
from tests.support.community import make_category
from touchpoint.kernel.menu import entries_for, menu
from touchpoint.orgs.models import PartnerRole, StaffRoleKind, User

R = StaffRoleKind


def everyone_we_know(p: Personas) -> dict[str, User]:
    category_moderator = f.StaffFactory(email="kim@ridgeline.example", roles=[R.CONTENT_OWNER])
    make_category("Service bay", moderators=[category_moderator])
    return {
        "portal admin": p.pat,
        "channel manager": p.dana,
        "content owner and trainer": p.mia,
        "category moderator": category_moderator,
        "moderator": f.StaffFactory(roles=[R.MODERATOR]),
        "analyst": f.StaffFactory(roles=[R.ANALYST]),
        "trainer": f.StaffFactory(roles=[R.TRAINER]),
        "staff without a role": f.StaffFactory(roles=[]),
        "partner admin": p.alice,
        "partner manager": f.PersonFactory(partner=p.dealer_a, partner_role=PartnerRole.MANAGER),
        "sales rep": p.bob,
        "technician at a location": p.hannah,
    }


def opens(response: Any) -> bool:
    """The page itself, or a redirect to another page of ours (never to sign in)."""
    if response.status_code == 302:
        return not response["Location"].startswith(reverse("account_login"))
    return response.status_code == 200


def test_it_shows_a_menu_entry_exactly_when_its_page_opens(personas: Personas) -> None:
    disagreements = []
    for who, user in everyone_we_know(personas).items():
        client = personas.client(user)
        shown = {item.url for item in entries_for(user, "/")}
        for entry in menu:
            url = reverse(entry.url_name)
            if (url in shown) != opens(client.get(url)):
                disagreements.append(f"{who}: {entry.url_name} shown={url in shown}")
    assert not disagreements, "Menu and pages disagree:\n" + "\n".join(disagreements)


def test_a_category_moderator_finds_the_moderation_queue_in_the_menu(personas: Personas) -> None:
    people = everyone_we_know(personas)
    assert reverse("community:queue") in {
        item.url for item in entries_for(people["category moderator"], "/")
    }


@pytest.mark.parametrize("path", ["/learn/manage/courses/new/", "/library/manage/"])
def test_the_current_section_is_the_longest_matching_entry(personas: Personas, path: str) -> None:
    marked = [item.url for item in entries_for(personas.pat, path) if item.active]
    assert len(marked) == 1 and path.startswith(marked[0]) and marked[0] != "/"
