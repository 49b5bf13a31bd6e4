"""The style guide: one page in the product that shows every template component in every
state with the include line to copy, for the people who build the next screens. Staff pages
are for staff: partners and staff without the portal admin role are refused."""

from __future__ import annotations

import re
from html import unescape

from django.urls import reverse

from conftest import Personas

COMPONENTS = (
    "Card", "Table", "Badge", "Progress bar", "Empty state", "Form field", "Tabs", "Dialog",
    "Toast", "Icons", "Type scale", "Spacing scale",
)  # fmt: skip


def test_pat_sees_every_component_with_the_line_to_copy(personas: Personas) -> None:
    response = personas.client(personas.pat).get(reverse("portal:styleguide"))
    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r'<h2 id="[a-z-]+">([^<]+)</h2>', page)
    assert tuple(headings) == COMPONENTS
    copied = set(re.findall(r'{% include "(components/[a-z_]+\.html)"', unescape(page)))
    assert {
        "components/card.html", "components/table.html", "components/badge.html",
        "components/progress.html", "components/empty_state.html", "components/field.html",
        "components/tabs.html", "components/dialog.html", "components/toast.html",
    } <= copied  # fmt: skip
    for tone in ("neutral", "ok", "info", "warn", "error", "muted"):
        assert f'class="badge badge-{tone}"' in page
    # A field in its error state: flagged invalid and pointing at its message.
    assert 'aria-invalid="true"' in page and "field-invalid" in page
    assert '{% icon "house" %}' in unescape(page)


def test_it_is_refused_to_partners_and_to_staff_who_do_not_run_the_portal(
    personas: Personas,
) -> None:
    url = reverse("portal:styleguide")
    for person in (personas.bob, personas.alice, personas.mia, personas.dana):
        assert personas.client(person).get(url).status_code == 403, person


def test_it_sends_a_visitor_to_sign_in(client: object, db: None) -> None:
    response = client.get(reverse("portal:styleguide"))  # type: ignore[attr-defined]
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pat_finds_it_under_administer(personas: Personas) -> None:
    from touchpoint.portal.navigation import navigation_for

    administer = next(g for g in navigation_for(personas.pat, "/") if str(g.label) == "Administer")
    assert "Style guide" in [str(item.label) for item in administer.items]
