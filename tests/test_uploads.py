"""Hostile uploads, field by field: every file field of the product gets the polyglots a
security tester sends (a PDF that is also HTML, named guide.html; an SVG with a script; a GIF
that is also a PDF with a script in it; an HTML page named guide.pdf) through its real form.

What a field accepts is stored under a generated name with the extension of the type read
from the content, that type is recorded and served as the Content-Type, with nosniff, inline
only for PDF, raster images, video and audio, and a sandbox policy on every response; the
file is never reachable at /media/. What it refuses leaves nothing behind. A new file field
fails `test_every_upload_field_has_a_case` until it has a case here."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import Personas
from tests.support.courses import make_course
from tests.support.library import make_section
from touchpoint.comms.forms import ATTACHMENT_TYPES
from touchpoint.comms.models import Announcement
from touchpoint.contextual.models import LauncherLink
from touchpoint.courses.forms import DOCUMENT_TYPES
from touchpoint.courses.models import Course, CourseImage, Lesson, Section
from touchpoint.kernel.models import PortalSettings
from touchpoint.kernel.uploads import IMAGE_FORMATS
from touchpoint.library.forms import FILE_TYPES
from touchpoint.library.models import Asset

SCRIPT = b"<script>alert(document.domain)</script>"
# Shown in the page: everything else must download.
SHOWN = re.compile(r"application/pdf$|image/(png|jpeg|gif|webp)$|video/|audio/")
IMAGE_TYPES = {f"image/{'jpeg' if ext == 'jpg' else ext}" for ext in IMAGE_FORMATS.values()}


def gif_pdf_polyglot() -> bytes:
    """A real GIF (GIF89a, so image libraries open it) carrying %PDF and a script in its
    comment block."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 83, 45)).save(
        out, format="GIF", comment=b"%PDF-1.4 1 0 obj<<>>endobj " + SCRIPT
    )
    data = out.getvalue()
    assert data.startswith(b"GIF89a") and b"%PDF" in data and SCRIPT in data
    return data


@dataclass
class Polyglot:
    name: str  # the uploader's file name
    claimed: str  # the browser's Content-Type
    data: bytes
    really: tuple[str, str] | None  # (type, extension) its first bytes make it; None: nothing


POLYGLOTS = {
    "html-in-pdf named guide.html": Polyglot(
        "guide.html",
        "text/html",
        b"%PDF-1.4\n<html><body>" + SCRIPT + b"</body></html>\n%%EOF\n",
        ("application/pdf", "pdf"),
    ),
    "svg with a script": Polyglot(
        "guide.svg",
        "image/svg+xml",
        b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>",
        None,
    ),
    "gif/pdf polyglot": Polyglot(
        "guide.pdf", "application/pdf", gif_pdf_polyglot(), ("image/gif", "gif")
    ),
    "html renamed .pdf": Polyglot(
        "guide.pdf", "application/pdf", b"<!doctype html><html>" + SCRIPT + b"</html>", None
    ),
}


@dataclass
class UploadField:
    """How a person uploads through the field's real form and opens the file again."""

    accepts: set[str]  # the types the form takes, read from its own constants
    uploader: Callable[[Personas], Any]
    post: Callable[[Personas, Client, SimpleUploadedFile], Any]
    stored: Callable[[], tuple[FieldFile, str | None]]  # the file and its recorded type
    url: Callable[[], str]  # where the portal serves it
    extra: dict[str, Any] = field(default_factory=dict)
    # What the upload answers: a form redirects or shows itself again; an endpoint called
    # by a script (the lesson editor's pictures) answers 200 or 415.
    accepted_status: int = 302
    refused_status: int = 200


# --- the fields -------------------------------------------------------------------------------
def post_lesson(p: Personas, client: Client, upload: SimpleUploadedFile) -> Any:
    course = make_course(p.mia, "Hostile documents", lessons=[], publish=False)
    section = Section.objects.get(version__course=course)
    return client.post(
        f"/learn/manage/courses/{course.pk}/sections/{section.pk}/lessons/new/",
        {
            "title": "Warranty guide", "kind": "document", "minutes": 5, "body": "", "url": "",
            "pool": "", "questions_to_draw": 10, "pass_mark": 80, "max_attempts": 3,
            "cooldown_minutes": 0, "time_limit_minutes": 0, "file": upload,
        },
    )  # fmt: skip


def lesson_file_url() -> str:
    lesson = Lesson.objects.get(title="Warranty guide")
    return reverse("courses:lesson_file", args=[lesson.version.course_id, lesson.key])


def post_item(p: Personas, client: Client, upload: SimpleUploadedFile) -> Any:
    section = make_section(p.mia, "Sales")
    return client.post(
        "/library/manage/new/?kind=file",
        {
            "title": "Warranty guide", "summary": "", "section": section.pk, "tags_text": "",
            "department": "", "owner": p.mia.pk, "audience": "", "language": "en",
            "publish_at": "", "review_by": "", "expires_at": "", "note": "First version",
            "kind": "file", "file": upload, "intent": "publish",
        },
    )  # fmt: skip


def item_version() -> Any:
    return Asset.objects.get(title="Warranty guide").current_version


def post_attachment(p: Personas, client: Client, upload: SimpleUploadedFile) -> Any:
    return client.post(
        reverse("comms:announcement_create"),
        {
            "title": "New warranty guide", "body": "Read the attached guide.", "priority": "normal",
            "audience": "", "asset": "", "course": "", "publish_at": "", "ends_at": "",
            "intent": "publish", "attachments": upload,
        },
    )  # fmt: skip


def attachment() -> Any:
    return Announcement.objects.get(title="New warranty guide").attachments.get()


def post_logo(p: Personas, client: Client, upload: SimpleUploadedFile) -> Any:
    return client.post(
        "/admin/settings/",
        {
            "name": "Ridgeline Partner Portal", "tagline": "", "primary_colour": "#14532D",
            "accent_colour": "#F59E0B", "support_email": "", "logo": upload,
        },
    )  # fmt: skip


def post_icon(p: Personas, client: Client, upload: SimpleUploadedFile) -> Any:
    return client.post(
        "/apps/manage/new/",
        {"name": "Warranty claims", "url": "https://claims.ridgeline.example/", "icon": "link",
         "icon_image": upload, "position": 0, "is_active": "on"},
    )  # fmt: skip


def post_cover(p: Personas, client: Client, upload: SimpleUploadedFile) -> Any:
    course = make_course(p.mia, "X200 install")
    return client.post(
        f"/learn/manage/courses/{course.pk}/",
        {"title": course.title, "summary": "", "description": "", "section": "",
         "department": "", "owner": p.mia.pk, "audience": "", "self_enrol": "on",
         "minutes": 10, "cover": upload},
    )  # fmt: skip


def covered_course() -> Course:
    return Course.objects.get(title="X200 install")


def post_picture(p: Personas, client: Client, upload: SimpleUploadedFile) -> Any:
    course = make_course(p.mia, "X200 install", publish=False)
    return client.post(reverse("courses:course_image_upload", args=[course.pk]), {"file": upload})


def launcher_link() -> LauncherLink:
    return LauncherLink.objects.get(name="Warranty claims")


CASES: dict[str, UploadField] = {
    "courses.CourseImage.file": UploadField(
        accepts=IMAGE_TYPES,
        uploader=lambda p: p.mia,
        post=post_picture,
        stored=lambda: (CourseImage.objects.get().file, None),
        url=lambda: CourseImage.objects.get().get_absolute_url(),
        accepted_status=200,
        refused_status=415,
    ),
    "courses.Course.cover": UploadField(
        accepts=IMAGE_TYPES,
        uploader=lambda p: p.mia,
        post=post_cover,
        stored=lambda: (covered_course().cover, None),
        url=lambda: reverse("courses:course_cover", args=[covered_course().pk]),
    ),
    "courses.Lesson.file": UploadField(
        accepts=set(DOCUMENT_TYPES),
        uploader=lambda p: p.mia,
        post=post_lesson,
        stored=lambda: (lambda lesson: (lesson.file, lesson.file_type))(
            Lesson.objects.get(title="Warranty guide")
        ),
        url=lesson_file_url,
    ),
    "library.AssetVersion.file": UploadField(
        accepts=set(FILE_TYPES),
        uploader=lambda p: p.mia,
        post=post_item,
        stored=lambda: (lambda v: (v.file, v.file_type))(item_version()),
        url=lambda: reverse("library:asset_file", args=[item_version().asset_id]),
    ),
    "comms.Attachment.file": UploadField(
        accepts=set(ATTACHMENT_TYPES),
        uploader=lambda p: p.pat,
        post=post_attachment,
        stored=lambda: (lambda a: (a.file, a.file_type))(attachment()),
        url=lambda: reverse(
            "comms:attachment", args=[attachment().announcement_id, attachment().pk]
        ),
    ),
    "kernel.PortalSettings.logo": UploadField(
        accepts=IMAGE_TYPES,
        uploader=lambda p: p.pat,
        post=post_logo,
        stored=lambda: (PortalSettings.load().logo, None),
        url=lambda: PortalSettings.load().logo_url,
    ),
    "contextual.LauncherLink.icon_image": UploadField(
        accepts=IMAGE_TYPES,
        uploader=lambda p: p.pat,
        post=post_icon,
        stored=lambda: (launcher_link().icon_image, None),
        url=lambda: reverse("contextual:app_icon", args=[launcher_link().pk]),
    ),
}


def upload_fields() -> set[str]:
    return {
        f"{model._meta.app_label}.{model.__name__}.{each.name}"
        for model in apps.get_models()
        if model.__module__.startswith("touchpoint.")
        for each in model._meta.get_fields()
        if isinstance(each, models.FileField)
    }


def test_every_upload_field_has_a_case() -> None:
    found = upload_fields()
    assert found, "the discovery found no file fields at all"
    assert not found - set(CASES), f"Add an upload case here for: {sorted(found - set(CASES))}"
    assert not set(CASES) - found, f"Cases for fields that are gone: {sorted(set(CASES) - found)}"


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.mark.parametrize("polyglot_name", sorted(POLYGLOTS))
@pytest.mark.parametrize("field_name", sorted(CASES))
def test_a_hostile_upload_is_stored_and_served_by_what_it_really_is(
    personas: Personas, settings: Any, field_name: str, polyglot_name: str
) -> None:
    case, polyglot = CASES[field_name], POLYGLOTS[polyglot_name]
    client = personas.client(case.uploader(personas))
    upload = SimpleUploadedFile(polyglot.name, polyglot.data, content_type=polyglot.claimed)
    response = case.post(personas, client, upload)

    if polyglot.really is None or polyglot.really[0] not in case.accepts:
        assert response.status_code == case.refused_status, f"{field_name} took {polyglot_name}"
        assert stored_files(Path(settings.MEDIA_ROOT)) == [], "a refused file was kept"
        return

    assert response.status_code == case.accepted_status, f"{field_name} refused {polyglot_name}"
    mime, extension = polyglot.really
    stored, recorded_type = case.stored()
    basename = stored.name.rsplit("/", 1)[-1]
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", basename), stored.name
    assert recorded_type in (None, mime)
    with stored.open("rb") as handle:
        assert handle.read() == polyglot.data

    served = client.get(case.url())
    assert served.status_code == 200
    assert served["Content-Type"] == mime
    assert served["X-Content-Type-Options"] == "nosniff"
    disposition = served["Content-Disposition"].split(";")[0]
    assert disposition == ("inline" if SHOWN.match(mime) else "attachment")
    policy = served["Content-Security-Policy"]
    assert policy.split(";")[0].strip() == "sandbox", policy
    assert "allow-scripts" not in policy and "allow-same-origin" not in policy

    for who in (client, Client()):
        assert who.get(f"/media/{stored.name}").status_code == 404
