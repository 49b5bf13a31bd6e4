"""Pictures in lesson text: uploaded from the editor, checked by content, stored privately,
served after the course's access check, and kept by the sanitiser only when they are the
course's own."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.courses import make_course
from tests.support.library import png
from touchpoint.courses.models import CourseImage, Lesson
from touchpoint.kernel.models import AuditEntry


def test_mia_puts_a_picture_in_a_lesson_that_bob_sees(personas):
    p = personas
    course = make_course(p.mia, "X200 install", ["text"], publish=False)
    mia = p.client(p.mia)

    sent = mia.post(
        f"/learn/manage/courses/{course.pk}/images/",
        {"file": SimpleUploadedFile("deck.png", png(), "image/png")},
    )

    assert sent.status_code == 200
    url = sent.json()["url"]
    assert url == CourseImage.objects.get(course=course).get_absolute_url()
    assert AuditEntry.objects.filter(action="course.image_added", actor=p.mia).exists()
    lesson = Lesson.objects.get(version__course=course)
    body = (
        f'<p>The deck lever:</p><figure><img src="{url}" alt="Deck lever"></figure>'
        '<img src="https://tracker.example/pixel.gif"><img src="data:image/png;base64,AAAA">'
        '<p onclick="steal()">Pull it up.</p><script>steal()</script>'
    )
    saved = mia.post(
        f"/learn/manage/courses/{course.pk}/lessons/{lesson.pk}/",
        {"title": lesson.title, "kind": "text", "minutes": 5, "body": body, "url": "",
         "pool": "", "questions_to_draw": 10, "pass_mark": 80, "max_attempts": 3,
         "cooldown_minutes": 0, "time_limit_minutes": 0},
    )  # fmt: skip
    assert saved.status_code == 302, saved.content.decode()[:2000]
    lesson.refresh_from_db()
    assert f'<img src="{url}" alt="Deck lever">' in lesson.body
    assert "tracker.example" not in lesson.body and "data:" not in lesson.body
    assert "onclick" not in lesson.body and "<script" not in lesson.body

    mia.post(f"/learn/manage/courses/{course.pk}/publish/", {"change_note": "First"})
    bob = p.client(p.bob)
    bob.post(f"/learn/courses/{course.pk}/enrol/")
    published = Lesson.objects.get(version__course=course, version__status="published")
    page = bob.get(published.get_absolute_url()).content.decode()
    assert f'<img src="{url}" alt="Deck lever">' in page
    picture = bob.get(url)
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/png")


def test_it_refuses_a_picture_that_is_not_an_image(personas):
    p = personas
    course = make_course(p.mia, "X200 install", publish=False)

    refused = p.client(p.mia).post(
        f"/learn/manage/courses/{course.pk}/images/",
        {"file": SimpleUploadedFile("deck.png", b"<svg onload=alert(1)>", "image/png")},
    )

    assert refused.status_code == 415
    assert refused.json()["error"]
    assert not CourseImage.objects.exists()


def test_a_learner_cannot_upload_pictures(personas):
    p = personas
    course = make_course(p.mia, "X200 install")

    sent = p.client(p.bob).post(
        f"/learn/manage/courses/{course.pk}/images/",
        {"file": SimpleUploadedFile("deck.png", png(), "image/png")},
    )

    assert sent.status_code in (403, 404)
    assert not CourseImage.objects.exists()
