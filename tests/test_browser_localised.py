"""In a real browser, the screens of localised content and forum search: Bob reads the news in
Spanish and searches the forum, Pat edits a translation; at desktop and phone width, with no
sideways scrolling and no serious accessibility problems."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import Personas
from tests import test_browser as ui
from tests.support.community import add_reply, make_category, make_thread
from tests.test_browser import (
    DESKTOP,
    PHONE,
    no_sideways_scroll,
    serious_accessibility_problems,
    shot,
    sign_in,
)
from touchpoint.comms.tests.helpers import announce
from touchpoint.kernel.actions import save_translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser suite's fixtures: one Chromium per module, pages that fail on CSP refusals.
browser = ui.browser
page_at = ui.page_at


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_bob_reads_spanish_news_and_searches_the_forum_and_pat_translates(
    personas: Personas,
    page_at: Any,
    viewport: dict[str, int],
    tag: str,
) -> None:
    p = personas
    policy = announce(p.pat, "New warranty policy")
    save_translation(p.pat, policy, "es", {policy: {"title": "Nueva política de garantía"}})
    thread = make_thread(p.alice, make_category("Service talk"), "Deck vibrates at full speed")
    add_reply(p.carol, thread, "Check the spindle bearings first.")
    p.bob.language = "es"
    p.bob.save()

    bob = page_at(viewport)
    sign_in(bob, p.bob.email)
    bob.goto("/news/")
    expect(bob.get_by_role("link", name="Nueva política de garantía", exact=True)).to_be_visible()
    bob.goto("/community/")
    bob.get_by_role("searchbox", name="Buscar en el foro").fill("spindle")
    bob.get_by_role("button", name="Buscar", exact=True).last.click()
    expect(bob.get_by_role("link", name="Deck vibrates at full speed")).to_be_visible()
    expect(bob.locator(".forum-hit mark").first).to_be_visible()
    assert no_sideways_scroll(bob)
    assert serious_accessibility_problems(bob) == []
    shot(bob, f"forum-search-{tag}")

    pat = page_at(viewport)
    sign_in(pat, p.pat.email)
    pat.goto(f"/news/manage/{policy.pk}/edit/")
    translations = pat.get_by_role("region", name="Translations")
    expect(translations.get_by_text("Up to date")).to_be_visible()
    translations.get_by_role("link", name="Edit Spanish").click()
    pat.get_by_label("Title").fill("Nueva política de garantía 2027")
    pat.get_by_role("button", name="Save translation").click()
    expect(pat.get_by_text("Translation saved.")).to_be_visible()
    assert no_sideways_scroll(pat)
    assert serious_accessibility_problems(pat) == []
    shot(pat, f"translations-{tag}")
