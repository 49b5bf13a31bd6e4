"""In a real browser: Mia writes a lesson with a picture in the rich-text editor (under the
site's CSP), and Bob finds his way through a course on his phone and at his desk."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import Personas
from tests import test_browser
from tests.support.courses import make_course
from tests.support.library import png
from tests.test_browser import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    no_sideways_scroll,
    serious_accessibility_problems,
    shot,
    sign_in,
)
from touchpoint.courses import actions
from touchpoint.courses.models import Lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The browser and its pages, shared with the other browser tests.
browser = test_browser.browser
page_at = test_browser.page_at


def test_mia_writes_a_lesson_with_a_picture_in_the_editor(personas: Personas, page_at: Any) -> None:
    course = make_course(personas.mia, "X200 deck care", ["text"], publish=False)
    lesson = Lesson.objects.get(version__course=course)
    page = page_at(DESKTOP)
    sign_in(page, personas.mia.email)
    page.goto(f"/learn/manage/courses/{course.pk}/lessons/{lesson.pk}/")

    editor = page.get_by_label("Text", exact=True)
    expect(editor).to_be_visible()
    assert editor.evaluate("node => node.tagName") == "TRIX-EDITOR"
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Lift the deck before you wash it. ")
    page.evaluate(
        """data => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const file = new File([bytes], "deck.png", {type: "image/png"});
            document.querySelector("trix-editor").editor.insertFile(file);
        }""",
        base64.b64encode(png()).decode(),
    )
    picture = editor.locator("img")
    expect(picture).to_have_attribute(
        "src", re.compile(rf"^/learn/courses/{course.pk}/images/\d+/$")
    )
    assert serious_accessibility_problems(page) == []
    # Playwright hides the caret for screenshots by writing style="" on the editor's
    # elements, which Trix would then copy (and the CSP refuse): keep the caret.
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "lesson-editor-author-desktop.png"), caret="initial")
    page.get_by_role("button", name="Save lesson").click()
    expect(page.get_by_text("is saved")).to_be_visible()

    lesson.refresh_from_db()
    assert "Lift the deck before you wash it." in lesson.body
    assert re.search(rf'<img src="/learn/courses/{course.pk}/images/\d+/"', lesson.body)


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_bob_sees_his_progress_and_the_next_lesson(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    course = make_course(personas.mia, "X200 zero-turn basics", ["text"] * 4)
    enrolment = actions.enrol(personas.bob, course)
    lessons = actions.lessons_of(enrolment)
    actions.complete_lesson(enrolment, lessons[0])
    page = page_at(viewport)
    sign_in(page, personas.bob.email)

    page.goto(course.get_absolute_url())
    # He has not opened a lesson since the first: he resumes at the first one not done.
    page.get_by_role("link", name=f"Resume: {lessons[1].title}").click()
    expect(page.get_by_text("1 of 4 lessons done")).to_be_visible()
    outline = page.get_by_role("navigation", name="Lessons in this course")
    if tag == "phone":  # the outline waits behind its summary, so the lesson comes first
        expect(outline.get_by_role("link", name=lessons[3].title)).to_be_hidden()
        outline.locator("summary").click()
    expect(outline.get_by_role("link", name=lessons[3].title)).to_be_visible()
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, f"lesson-player-partner-{tag}")

    page.get_by_role("link", name=re.compile(f"Next.*{lessons[2].title}")).click()
    expect(page.get_by_role("heading", name=lessons[2].title, level=1)).to_be_visible()


def test_dana_reads_every_column_of_the_matrix_at_her_desk(
    personas: Personas, page_at: Any
) -> None:
    from tests.support.courses import make_certification
    from touchpoint.credentials.models import Credential, CredentialStatus

    names = ["Extended Warranty Sales Specialist", "Genuine Parts Professional",
             "X200 Certified Service Technician", "Generator Service Technician",
             "Residential Sales Professional", "Commercial Fleet Advisor"]  # fmt: skip
    for name in names:
        Credential.objects.create(
            user=personas.bob, certification=make_certification(name),
            status=CredentialStatus.IN_PROGRESS,
        )  # fmt: skip
    page = page_at(DESKTOP)
    sign_in(page, personas.dana.email)
    page.goto("/learn/team/certifications/")

    region = page.get_by_role("region", name="Certifications held by each person")
    expect(region).to_be_visible()
    person = region.get_by_role("link", name=personas.bob.name)
    before = person.bounding_box()
    region.focus()
    region.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    last = region.get_by_role("columnheader", name=names[-1])
    expect(last).to_be_in_viewport()
    box, frame = last.bounding_box(), region.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1  # not cut off
    assert person.bounding_box()["x"] == before["x"]  # the person column stays put
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, "matrix-manager-desktop")


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_hannah_finds_a_workshop_in_the_sessions_calendar(
    personas: Personas, page_at: Any, viewport: dict[str, int], tag: str
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from touchpoint.sessions import actions as sessions
    from touchpoint.sessions.models import Session, SessionKind

    course = make_course(personas.mia, "X200 hands-on workshop", ["session"])
    starts = timezone.localtime().replace(day=15, hour=9, minute=0, second=0, microsecond=0)
    workshop = sessions.schedule_session(
        personas.mia,
        Session(course=course, kind=SessionKind.CLASSROOM, title="X200 workshop, Rutland",
                starts_at=starts, ends_at=starts + timedelta(hours=3), location="Rutland",
                seats=10, instructor=personas.mia),
    )  # fmt: skip
    page = page_at(viewport)
    sign_in(page, personas.hannah.email)
    page.goto("/learn/")
    page.get_by_role("link", name="Sessions calendar").click()

    # At a desk the month grid shows it; on a phone, the list of days that have sessions.
    where = page.locator(".month-grid" if tag == "desktop" else ".month-list")
    link = where.locator(f'a[href="/learn/sessions/{workshop.pk}/"]')
    expect(link).to_be_visible()
    expect(where.locator(f'a[href="/learn/sessions/{workshop.pk}/calendar.ics"]')).to_be_visible()
    assert no_sideways_scroll(page)
    assert serious_accessibility_problems(page) == []
    shot(page, f"sessions-calendar-partner-{tag}")
    link.click()
    expect(page.get_by_role("heading", name="X200 workshop, Rutland")).to_be_visible()
