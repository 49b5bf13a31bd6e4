"""Each persona's home in a real browser: on a 375 by 800 phone their first question is
answered above the fold (the section's top is on the first screen), at phone and desktop
width nothing scrolls sideways and axe finds no serious problem. Screenshots go to
test-artifacts/home-<persona>-<width>.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import Personas
from tests.support.homes import team_with_gaps
from tests.test_browser import (  # noqa: F401 (fixtures)
    DESKTOP,
    browser,
    no_sideways_scroll,
    page_at,
    serious_accessibility_problems,
    shot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_SCREEN = {"width": 375, "height": 800}

# persona: the heading of the section that answers their first question.
FIRST_QUESTION = {
    "bob": "What's due",
    "alice": "Your team’s gaps",
    "dana": "Partners needing attention",
    "pat": "The channel at a glance",
}


@pytest.mark.parametrize("persona", list(FIRST_QUESTION))
def test_each_persona_finds_their_first_question_answered_on_the_first_phone_screen(
    personas: Personas,
    page_at: Any,  # noqa: F811 (the imported fixture)
    persona: str,
) -> None:
    team_with_gaps(personas)
    for viewport, tag in ((FIRST_SCREEN, "phone"), (DESKTOP, "desktop")):
        page = page_at(viewport)
        sign_in(page, getattr(personas, persona).email)
        heading = page.get_by_role("heading", name=FIRST_QUESTION[persona], exact=True)
        expect(heading).to_be_visible()
        if tag == "phone":
            answer = page.locator("section").filter(has=heading).first
            box = answer.bounding_box()
            assert box is not None and box["y"] < FIRST_SCREEN["height"]
            expect(answer.get_by_role("link").first).to_be_visible()
        assert no_sideways_scroll(page)
        assert serious_accessibility_problems(page) == []
        shot(page, f"home-{persona}-{tag}")
