"""The lesson player: progress in words, previous and next, estimated time, resume."""

from __future__ import annotations

import re

from tests.support.courses import make_course
from touchpoint.courses.models import Lesson


def _lessons(course):
    return list(Lesson.objects.filter(version=course.published_version))


def test_bob_sees_how_far_he_is_and_where_to_go_next(personas):
    p = personas
    course = make_course(p.mia, "X200 install", ["text"] * 5)
    lessons = _lessons(course)
    bob = p.client(p.bob)
    bob.post(f"/learn/courses/{course.pk}/enrol/")
    for lesson in lessons[:2]:
        bob.post(f"/learn/courses/{course.pk}/lessons/{lesson.key}/done/")

    page = bob.get(f"/learn/courses/{course.pk}/lessons/{lessons[2].key}/").content.decode()

    assert "2 of 5 lessons done" in page
    assert "40% complete" in page
    assert '<progress value="2" max="5"' in page
    assert re.search(rf'href="[^"]*{lessons[1].key}/"[^>]*rel="prev"', page)
    assert re.search(rf'href="[^"]*{lessons[3].key}/"[^>]*rel="next"', page)
    # Each make_course lesson takes 5 minutes: three are left.
    assert "15 min left" in page
    assert page.count("tick-done") == 2


def test_it_estimates_a_text_lesson_without_minutes_from_its_length(personas):
    p = personas
    course = make_course(p.mia, "Warranty basics", ["text"])
    lesson = _lessons(course)[0]
    # About 200 words a minute: 600 words take three.
    Lesson.objects.filter(pk=lesson.pk).update(minutes=0, body="<p>" + "word " * 600 + "</p>")
    bob = p.client(p.bob)
    bob.post(f"/learn/courses/{course.pk}/enrol/")

    page = bob.get(f"/learn/courses/{course.pk}/lessons/{lesson.key}/").content.decode()

    assert "3 min" in page
    assert "0 of 1 lessons done" in page or "0 of 1 lesson done" in page


def test_the_course_page_offers_to_resume_the_lesson_bob_left(personas):
    p = personas
    course = make_course(p.mia, "Sales pitch", ["text"] * 3)
    lessons = _lessons(course)
    bob = p.client(p.bob)
    bob.post(f"/learn/courses/{course.pk}/enrol/")
    bob.post(f"/learn/courses/{course.pk}/lessons/{lessons[0].key}/done/")
    bob.get(f"/learn/courses/{course.pk}/lessons/{lessons[1].key}/")

    page = bob.get(course.get_absolute_url()).content.decode()

    assert f"Resume: {lessons[1].title}" in page
    assert f'href="/learn/courses/{course.pk}/lessons/{lessons[1].key}/"' in page
    assert "1 of 3 lessons done" in page
    assert "50 / 100" not in page and "33 / 100" not in page
