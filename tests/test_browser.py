"""In a real browser (Debian's Chromium through Playwright): personas sign in and land on
their home, at desktop and phone width, by mouse and by keyboard, and axe finds no serious
accessibility problems. Screenshots land in test-artifacts/ for a person to look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import CHROMIUM, Personas
from tests.support.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still plain synchronous code, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        yield chromium
        chromium.close()


@pytest.fixture
def page_at(browser: Any, live_server: Any) -> Iterator[Any]:
    """Pages at a viewport; any Content-Security-Policy violation a page causes fails the
    test (scripts and styles must come from our static files)."""
    contexts = []
    refused: list[str] = []

    def open_page(viewport: dict[str, int]) -> Any:
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)


def sign_in(page: Any, email: str) -> None:
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def serious_accessibility_problems(page: Any) -> list[str]:
    # Evaluated through the browser's devtools protocol: an injected <script> would be (and
    # should be) refused by the page's CSP.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def no_sideways_scroll(page: Any) -> bool:
    # Measured once the page's style sheets have loaded: a page's own sheet (extra_head) still
    # on its way leaves, say, the desktop calendar grid showing on a phone for a moment.
    page.wait_for_load_state("load")
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_bob_signs_in_and_lands_on_his_home(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    page = page_at(viewport)
    sign_in(page, personas.bob.email)
    expect(page.get_by_role("heading", name="Hello, Bob")).to_be_visible()
    for section in (
        "What's due",
        "What's new for me",
        "Continue where you left off",
        "My certifications",
        "Quick links",
    ):
        expect(page.get_by_role("heading", name=section)).to_be_visible()
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, f"home-partner-{tag}")


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_pat_signs_in_and_reaches_the_admin_screens(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    page = page_at(viewport)
    sign_in(page, personas.pat.email)
    expect(page.get_by_role("heading", name="Hello, Pat")).to_be_visible()
    if tag == "phone":
        page.get_by_role("button", name="Menu").click()
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_text("Align", exact=True).click()  # the group holding the partner list
    menu.get_by_role("link", name="Partners").click()
    page.wait_for_url("**/partners/")
    expect(page.get_by_role("link", name="Alder Creek Outdoor")).to_be_visible()
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, f"partners-admin-{tag}")


def test_the_phone_menu_works_by_keyboard(personas: Personas, page_at: Any) -> None:
    page = page_at(PHONE)
    sign_in(page, personas.alice.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    # Past the top bar and the bottom bar's places, the bar's last button opens the menu.
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-controls')") == "sidenav":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Home"
    focused = []
    while "My company" not in focused and len(focused) < 15:  # down past everyone's entries
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert focused[-1] == "My company" and focused[0] == "Learning"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/partners/{personas.dealer_a.pk}/")
    expect(page.get_by_role("heading", name="Alder Creek Outdoor")).to_be_visible()
    page.keyboard.press("Escape")
    shot(page, "company-partner-admin-phone")


def test_a_wrong_password_says_so_and_keeps_the_email(personas: Personas, page_at: Any) -> None:
    page = page_at(DESKTOP)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(personas.bob.email)
    page.get_by_role("textbox", name="Password", exact=True).fill("not-it")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.get_by_label("Email").input_value() == personas.bob.email
    assert serious_accessibility_problems(page) == []


def test_the_public_application_form_is_accessible_on_a_phone(
    personas: Personas, page_at: Any
) -> None:
    from touchpoint.orgs.models import ProgramTerms

    ProgramTerms.objects.create(version="2026.1", title="Ridgeline terms", body="<p>Be good.</p>")
    page = page_at(PHONE)
    page.goto("/apply/")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("Please accept the program terms to apply.")).to_be_visible()
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, "apply-phone")


def test_mia_publishes_a_course_and_bob_completes_it_on_his_phone(
    personas: Personas, page_at: Any
) -> None:
    author = page_at(DESKTOP)
    sign_in(author, personas.mia.email)
    author.goto("/learn/manage/courses/new/")
    author.get_by_label("Title").fill("X200 safety check")
    author.get_by_role("button", name="Create course").click()
    author.get_by_label("Title").fill("Before you start")
    author.get_by_role("button", name="Add section").click()
    author.get_by_role("link", name="Text", exact=True).click()
    author.get_by_label("Title").fill("Three checks")
    author.get_by_label("Text", exact=True).fill("Blade, belt, brakes.")
    author.get_by_role("button", name="Add lesson").click()
    author.get_by_role("button", name="Publish", exact=True).click()
    expect(author.get_by_text("Version 1 is published.")).to_be_visible()
    assert serious_accessibility_problems(author) == []
    shot(author, "course-content-author-desktop")

    learner = page_at(PHONE)
    sign_in(learner, personas.bob.email)
    learner.goto("/learn/")
    learner.get_by_role("link", name="X200 safety check").click()
    learner.get_by_role("button", name="Enrol and start").click()
    expect(learner.get_by_role("heading", name="Three checks")).to_be_visible()
    assert no_sideways_scroll(learner)
    assert serious_accessibility_problems(learner) == []
    shot(learner, "lesson-partner-phone")
    learner.get_by_role("button", name="Mark as done").click()
    expect(learner.get_by_text("Course complete: X200 safety check")).to_be_visible()


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_bob_searches_from_the_top_bar_and_results_follow_his_typing(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    from tests.support.courses import make_course

    make_course(personas.mia, "Extended warranty at the till")
    make_course(personas.mia, "Hydrostatic transmission service")
    page = page_at(viewport)
    sign_in(page, personas.bob.email)
    if tag == "desktop":
        page.get_by_role("banner").get_by_role("searchbox", name="Search").fill("warranty")
        page.keyboard.press("Enter")
    else:  # the phone's bottom bar has a search place leading to the page
        page.get_by_role("navigation", name="Shortcuts").get_by_role("link", name="Search").click()
        page.get_by_label("Search courses, lessons, articles and files").fill("warranty")
        page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=warranty*")
    expect(page.get_by_role("link", name="Extended warranty at the till")).to_be_visible()

    page.get_by_label("Search courses, lessons, articles and files").fill("hydro")
    page.get_by_role("link", name="Hydrostatic transmission service").wait_for()
    assert "q=hydro" in page.url  # the live results keep the address shareable
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, f"search-partner-{tag}")


def test_bob_acknowledges_an_urgent_notice_and_answers_in_the_community_on_his_phone(
    personas: Personas, page_at: Any
) -> None:
    from tests.support.community import add_reply, make_category, make_thread
    from touchpoint.comms.tests.helpers import announce

    announce(personas.pat, "New warranty policy", priority="urgent", requires_ack=True)
    thread = make_thread(personas.hannah, make_category("Sales talk"), "Deck vibrates")
    add_reply(personas.mia, thread, "Check each blade on a flat surface.")
    page = page_at(PHONE)
    sign_in(page, personas.bob.email)

    page.get_by_role("button", name="I have read it").click()
    page.get_by_role("button", name="I have read it").wait_for(state="detached")
    expect(page.locator(".pinned-item [role=status]")).to_be_visible()  # said in place
    assert serious_accessibility_problems(page) == []

    page.goto("/community/")
    page.get_by_role("link", name="Sales talk").click()
    page.get_by_role("link", name="Deck vibrates").click()
    page.get_by_role("heading", name="Deck vibrates").wait_for()
    expect(page.get_by_text("Check each blade on a flat surface.")).to_be_visible()
    page.get_by_role("textbox", name="Your reply").fill("A bent blade did it for us too.")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("A bent blade did it for us too.").wait_for()
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, "community-thread-partner-phone")


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_long_unbroken_text_wraps_instead_of_widening_the_page(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    # What a new user pasted: a whole paragraph into search, and cities without spaces.
    city = "Llanfairpwllgwyngyll" * 6
    for partner in (personas.dealer_a, personas.rutland):
        partner.city = city
        partner.save(update_fields=["city"])
    page = page_at(viewport)
    sign_in(page, personas.dana.email)
    too_wide = []
    for name, address, shows in [
        ("search", "/search/?q=" + "warranty" * 375, "Search"),
        ("search-city", "/search/?q=" + city, "Partners and people"),
        ("company", f"/partners/{personas.dealer_a.pk}/", personas.dealer_a.name),
        ("location", f"/partners/{personas.rutland.pk}/", personas.rutland.name),
        ("partners", "/partners/?q=Alder", "Partners"),
        ("company-edit", f"/partners/{personas.dealer_a.pk}/edit/", personas.dealer_a.name),
    ]:
        page.goto(address)
        expect(page.get_by_role("heading", name=shows).first).to_be_visible()
        shot(page, f"long-text-{name}-{tag}")
        if not no_sideways_scroll(page):
            too_wide.append(f"{name}: {page.evaluate('document.documentElement.scrollWidth')}px")
    assert too_wide == []


ACCOUNT_PAGES = {
    "visitor": [
        "/accounts/inactive/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/1-not-a-real-key/",
        "/accounts/password/reset/key/done/",
        "/accounts/signup/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-real-key/",
    ],
    "member": [
        "/accounts/logout/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/reauthenticate/",
        "/accounts/2fa/",
    ],
    "mfa_member": [
        "/accounts/2fa/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/reauthenticate/",
    ],
}


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_every_account_page_is_the_portals_own_and_accessible(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    secret = generate_totp_secret()
    TOTP.activate(personas.hannah, secret)
    RecoveryCodes.activate(personas.hannah)
    problems: list[str] = []

    def look(page: Any, address: str) -> None:
        page.goto(address)
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("header .brand")).to_be_visible()
        name = address.strip("/").replace("/", "-") or "home"
        shot(page, f"account-{name}-{tag}")
        if not no_sideways_scroll(page):
            problems.append(f"{address}: sideways scroll")
        problems.extend(f"{address}: {p}" for p in serious_accessibility_problems(page))

    visitor = page_at(viewport)
    for address in ACCOUNT_PAGES["visitor"]:
        look(visitor, address)

    def confirm_it_is_me(page: Any) -> None:
        # Changing how one signs in asks for the password again, even right after signing in.
        page.goto("/accounts/reauthenticate/")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url("**/")

    member = page_at(viewport)
    sign_in(member, personas.bob.email)
    for address in ACCOUNT_PAGES["member"]:
        look(member, address)
    confirm_it_is_me(member)
    look(member, "/accounts/2fa/totp/activate/")

    mfa = page_at(viewport)
    mfa.goto("/accounts/login/")
    mfa.get_by_label("Email").fill(personas.hannah.email)
    mfa.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    mfa.get_by_role("button", name="Sign in").click()
    mfa.wait_for_url("**/accounts/2fa/authenticate/")
    look(mfa, "/accounts/2fa/authenticate/")
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    mfa.get_by_label("Code").fill(code)
    mfa.get_by_role("button", name="Sign in").click()
    mfa.wait_for_url("**/")
    confirm_it_is_me(mfa)
    for address in ACCOUNT_PAGES["mfa_member"]:
        look(mfa, address)
    assert problems == []


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_pat_finds_her_places_in_groups_of_what_she_does(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    page = page_at(viewport)
    sign_in(page, personas.pat.email)
    menu = page.get_by_role("navigation", name="Main")
    if tag == "phone":
        bar = page.get_by_role("navigation", name="Shortcuts")
        for place in ("Home", "Learning", "Library", "Search"):
            expect(bar.get_by_role("link", name=place, exact=True)).to_be_visible()
        expect(menu).to_be_hidden()
        bar.get_by_role("button", name="Menu").click()
        expect(bar.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    else:
        expect(page.get_by_role("navigation", name="Shortcuts")).to_be_hidden()
    for group in ("Communicate", "Educate", "Measure", "Align", "Administer"):
        expect(menu.get_by_text(group, exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Staff")).to_be_hidden()  # Administer starts closed
    menu.get_by_text("Administer", exact=True).click()
    shot(page, f"nav-admin-{tag}")
    menu.get_by_role("link", name="Staff").click()
    page.wait_for_url("**/staff/")
    # The page's own group is open and its entry marked, wherever Pat came from.
    if tag == "phone":
        page.get_by_role("button", name="Menu").click()
    expect(menu.get_by_role("link", name="Staff")).to_have_attribute("aria-current", "page")
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []


def test_bob_has_his_places_at_his_thumb_and_the_whole_portal_name_on_his_phone(
    personas: Personas, page_at: Any
) -> None:
    from touchpoint.kernel.models import PortalSettings

    PortalSettings.objects.update_or_create(pk=1, defaults={"name": "Ridgeline Partner Network"})
    page = page_at(PHONE)
    sign_in(page, personas.bob.email)
    brand = page.locator(".brand-name")
    expect(brand).to_have_text("Ridgeline Partner Network")
    assert brand.evaluate("e => e.scrollWidth <= e.clientWidth")  # wrapped, not cut
    bar = page.get_by_role("navigation", name="Shortcuts")
    expect(bar.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] == PHONE["height"]
    bar.get_by_role("link", name="Library").click()
    page.wait_for_url("**/library/")
    expect(bar.get_by_role("link", name="Library")).to_have_attribute("aria-current", "page")
    bar.get_by_role("button", name="Menu").click()
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Community")).to_be_visible()  # one list, no groups
    assert menu.locator("details").count() == 0
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, "nav-partner-phone")


def test_pat_tries_the_style_guides_dialog_and_toast_by_keyboard(
    personas: Personas, page_at: Any
) -> None:
    page = page_at(DESKTOP)
    sign_in(page, personas.pat.email)
    page.goto("/styleguide/")
    expect(page.get_by_role("heading", name="Style guide")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    opener = page.get_by_role("button", name="Send the example form")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Send the example form?")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()  # focus comes back to where Pat was
    opener.click()
    dialog.get_by_role("button", name="Send").click()
    toast = page.get_by_role("status").filter(has_text="The dialog's form was sent.")
    expect(toast).to_be_visible()
    toast.get_by_role("button", name="Dismiss").click()
    expect(toast).to_have_count(0)
    assert no_sideways_scroll(page)
    shot(page, "styleguide-desktop")


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_mia_triages_a_request_without_scrolling_past_its_timeline(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    from tests.support.alignment import make_request

    request = make_request(personas.alice, "Deck belt replacement")
    page = page_at(viewport)
    sign_in(page, personas.mia.email)
    page.goto(f"/requests/{request.pk}/")
    triage = page.get_by_role("region", name="Triage").bounding_box()
    timeline = page.locator("#timeline").bounding_box()
    request_card = page.get_by_role("region", name="The request").bounding_box()
    assert triage and timeline and request_card
    if tag == "phone":  # right after the request it triages, above the timeline
        assert request_card["y"] < triage["y"] < timeline["y"]
    else:  # the right-hand column, level with the request
        assert triage["x"] > timeline["x"] + timeline["width"] - 1
        assert abs(triage["y"] - request_card["y"]) < 1
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, f"request-triage-{tag}")


def test_bob_reads_a_long_unread_notification_title_from_the_left_on_his_phone(
    personas: Personas, page_at: Any
) -> None:
    from touchpoint.kernel.notifications import notify

    title = "Your dealership's service certification renews next month: book the refresher"
    notify([personas.bob], "team", title)
    page = page_at(PHONE)
    sign_in(page, personas.bob.email)
    page.goto("/notifications/")
    button = page.get_by_role("button", name=title)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["height"] > 30  # the title wraps on a phone...
    row = page.locator("main .list > li").first.locator("div").first.bounding_box()
    assert row is not None
    # ...and its lines start at the left, as text does, rather than centred: every line after
    # the first at the row's edge (the first starts after the unread dot).
    lines = button.evaluate(
        "b => { const r = document.createRange(); r.selectNodeContents(b);"
        " return [...r.getClientRects()].map(x => x.left); }"
    )
    assert len(lines) > 1 and all(abs(left - row["x"]) < 1 for left in lines[1:]), lines
    assert serious_accessibility_problems(page) == []
    shot(page, "notifications-partner-phone")


def test_dana_finds_her_time_zone_by_typing_on_her_phone(personas: Personas, page_at: Any) -> None:
    page = page_at(PHONE)
    sign_in(page, personas.dana.email)
    page.goto("/me/")
    zone = page.get_by_role("combobox", name="Time zone")
    expect(zone).to_be_visible()
    zone.fill("Europe / Mad")  # the browser suggests the matching zones as she types
    zone.fill("Europe / Madrid")
    assert serious_accessibility_problems(page) == []
    shot(page, "profile-time-zone-phone")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state()
    personas.dana.refresh_from_db()
    assert personas.dana.time_zone == "Europe/Madrid"
    expect(page.get_by_role("combobox", name="Time zone")).to_have_value("Europe / Madrid")


def test_mia_targets_countries_with_chips_by_keyboard(personas: Personas, page_at: Any) -> None:
    from touchpoint.orgs.models import Audience

    page = page_at(DESKTOP)
    sign_in(page, personas.mia.email)
    page.goto("/audiences/new/")
    page.get_by_label("Name").fill("Iberia")
    countries = page.get_by_role("combobox", name="Countries")
    for country in ("Spain", "Portugal", "France"):
        countries.fill(country)
        page.keyboard.press("Enter")
    chosen = page.locator(".chips").first
    expect(chosen.get_by_role("listitem")).to_have_count(3)
    chosen.get_by_role("button", name="Remove France").click()
    expect(chosen.get_by_role("listitem")).to_have_text(["Portugal", "Spain"])  # list order
    expect(countries).to_be_focused()
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, "audience-chips-desktop")
    page.get_by_role("button", name="Save audience").click()
    page.wait_for_url("**/audiences/*/")
    assert sorted(Audience.objects.get(name="Iberia").country_codes) == ["ES", "PT"]
