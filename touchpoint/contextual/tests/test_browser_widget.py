"""In a real browser: the demo point-of-sale page's help button opens the widget's panel by
keyboard, lists the mapped items, passes axe, closes with Escape and gives focus back; at
desktop and phone width. Screenshots land in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Personas
from tests.support.courses import make_course
from tests.support.library import make_asset
from tests.test_browser import (  # noqa: F401  (browser and page_at are fixtures)
    DESKTOP,
    PHONE,
    browser,
    no_sideways_scroll,
    page_at,
    serious_accessibility_problems,
    shot,
)
from touchpoint.contextual.tests.conftest import map_context
from touchpoint.portal.demo.contextual import _integration as seed_demo_integration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = (
    "() => document.querySelector('[data-touchpoint-widget]').shadowRoot.activeElement?.tagName"
)


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_help_button_on_the_demo_pos_opens_the_panel_by_keyboard(
    personas: Personas,
    page_at: Any,  # noqa: F811  (the fixture imported above)
    settings: Any,
    viewport: dict[str, int],
    tag: str,
) -> None:
    settings.DEMO_PAGES = True
    seed_demo_integration(personas.pat)
    guide = make_asset(personas.mia, "X200 extended warranty: the point-of-sale guide")
    course = make_course(personas.mia, "Extended warranty: offering it at the point of sale")
    map_context(guide, course, app="pos", screen="extended-warranty", product="model-x200")

    page = page_at(viewport)
    page.goto("/demo/pos/")
    button = page.get_by_role("button", name="Help & training for this screen")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Help & training for this screen")
    assert dialog.is_visible()
    link = dialog.get_by_role("link", name="X200 extended warranty: the point-of-sale guide")
    link.wait_for()
    assert dialog.get_by_role(
        "link", name="Extended warranty: offering it at the point of sale"
    ).is_visible()
    assert "/go/item/" in (link.get_attribute("href") or "")
    assert link.get_attribute("target") == "_blank"
    assert page.evaluate(FOCUSED) == "H2"  # focus moved into the panel
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) in ("BUTTON", "A")
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, f"demo-pos-widget-{tag}")

    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate(FOCUSED) == "BUTTON"  # focus is back on the help button
