"""The catalog: cover pictures on the cards, checked by content and served after the
course's access check."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.courses import make_course
from tests.support.library import png
from touchpoint.courses.models import Course


def course_settings(course: Course, **changes):
    return {
        "title": course.title, "summary": course.summary, "description": "",
        "section": "", "department": "", "owner": course.owner_id, "audience": "",
        "self_enrol": "on", "minutes": 10, **changes,
    }  # fmt: skip


def test_mia_gives_a_course_a_cover_that_bob_sees_on_its_card(personas):
    p = personas
    course = make_course(p.mia, "X200 install")
    mia = p.client(p.mia)

    saved = mia.post(
        f"/learn/manage/courses/{course.pk}/",
        course_settings(course, cover=SimpleUploadedFile("my cover.png", png(), "image/png")),
    )

    assert saved.status_code == 302
    course.refresh_from_db()
    assert course.cover and "my cover" not in course.cover.name
    card = p.client(p.bob).get("/learn/").content.decode()
    assert f'src="/learn/courses/{course.pk}/cover/?v=' in card
    picture = p.client(p.bob).get(f"/learn/courses/{course.pk}/cover/")
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/png")


def test_it_refuses_a_cover_that_is_not_an_image(personas):
    p = personas
    course = make_course(p.mia, "X200 install")

    refused = p.client(p.mia).post(
        f"/learn/manage/courses/{course.pk}/",
        course_settings(course, cover=SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>")),
    )

    assert refused.status_code == 200
    course.refresh_from_db()
    assert not course.cover


def test_a_course_without_a_cover_has_no_picture_to_open(personas):
    p = personas
    course = make_course(p.mia, "X200 install")

    assert p.client(p.bob).get(f"/learn/courses/{course.pk}/cover/").status_code == 404
