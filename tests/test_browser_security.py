"""In Chromium: a PDF served with the files' sandbox policy (kernel.files.FILE_POLICY) still
shows in the page's frame, in a course lesson and in a library item, so no file response
needs to go without a sandbox; and the pages' Permissions-Policy is one Chromium reads
whole (no feature it does not know) and keeps the camera and location off."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from fpdf import FPDF
from playwright.sync_api import expect

from conftest import Personas
from tests.support.courses import make_course
from tests.support.library import make_asset, make_section
from tests.test_browser import browser, page_at, shot, sign_in  # noqa: F401  (fixtures)
from touchpoint.courses.models import Lesson
from touchpoint.library.models import AssetKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 860}
# Chromium's own PDF viewer: the frame it opens once it has accepted a PDF for showing.
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def warranty_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=24)
    pdf.cell(text="X200 warranty guide")
    return bytes(pdf.output())


def pdf_shown_in(page: Any, url: str, frame_selector: str) -> None:
    """Open the page and see the PDF in its frame: Chromium's viewer opens inside the file's
    frame and shows page 1 (when it refuses a PDF, there is no viewer, only an error page)."""
    page.goto(url)
    frame = page.locator(frame_selector).element_handle().content_frame()
    frame.wait_for_load_state("load")
    viewers = [child for child in frame.child_frames if child.url.startswith(PDF_VIEWER)]
    assert viewers, [child.url for child in frame.child_frames]
    expect(viewers[0].locator("#pageSelector")).to_have_value("1")


def test_bob_reads_a_pdf_lesson_served_in_a_sandbox(personas: Personas, page_at: Any) -> None:  # noqa: F811
    course = make_course(personas.mia, "X200 warranty", ["document"])
    lesson = Lesson.objects.get(version=course.published_version)
    lesson.file.save("guide.pdf", ContentFile(warranty_pdf()), save=False)
    lesson.file_type, lesson.file_name = "application/pdf", "guide.pdf"
    lesson.save()
    page = page_at(DESKTOP)
    sign_in(page, personas.bob.email)
    page.goto(f"/learn/courses/{course.pk}/")
    page.get_by_role("button", name="Enrol and start").click()
    page.wait_for_url(f"**/lessons/{lesson.key}/")

    pdf_shown_in(page, page.url, "iframe.lesson-pdf")
    served = page.request.get(f"/learn/courses/{course.pk}/lessons/{lesson.key}/file/")
    assert served.headers["content-security-policy"].startswith("sandbox;")
    shot(page, "pdf-lesson-sandboxed")


def test_bob_reads_a_pdf_item_served_in_a_sandbox(personas: Personas, page_at: Any) -> None:  # noqa: F811
    asset = make_asset(
        personas.mia,
        "X200 warranty guide",
        kind=AssetKind.FILE,
        section=make_section(personas.mia, "Sales"),
        content={"data": warranty_pdf()},
    )
    page = page_at(DESKTOP)
    sign_in(page, personas.bob.email)

    pdf_shown_in(page, asset.get_absolute_url(), "iframe.asset-pdf")
    served = page.request.get(f"/library/assets/{asset.pk}/file/")
    assert served.headers["content-security-policy"].startswith("sandbox;")
    shot(page, "pdf-item-sandboxed")


def test_chromium_reads_the_whole_permissions_policy(personas: Personas, page_at: Any) -> None:  # noqa: F811
    page = page_at(DESKTOP)
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text)
            if "Permissions-Policy" in message.text or "Permissions Policy" in message.text
            else None
        ),
    )
    sign_in(page, personas.bob.email)
    allowed = page.evaluate("document.featurePolicy.allowedFeatures()")
    assert complaints == []
    assert "fullscreen" in allowed and "picture-in-picture" in allowed
    assert not {"camera", "microphone", "geolocation", "payment", "usb"} & set(allowed)
