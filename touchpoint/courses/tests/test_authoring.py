"""Mia builds, publishes and revises a course; managers assign it; learners take it."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.support.courses import make_course
from touchpoint.courses import actions
from touchpoint.courses.models import Course, Enrolment, Lesson, LessonProgress, Section, Status
from touchpoint.kernel.models import AuditEntry

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def lesson_form(**data):  # type: ignore[no-untyped-def]
    return {
        "title": "Warranty basics", "kind": "text", "minutes": 5, "body": "<p>Hello</p>", "url": "",
        "pool": "", "questions_to_draw": 10, "pass_mark": 80, "max_attempts": 3,
        "cooldown_minutes": 0, "time_limit_minutes": 0, **data,
    }  # fmt: skip


def test_mia_creates_a_course_adds_lessons_previews_and_publishes(personas):
    p = personas
    mia = p.client(p.mia)
    response = mia.post(
        "/learn/manage/courses/new/",
        {
            "title": "X200 extended warranty",
            "summary": "Sell it right",
            "description": "<p onclick='x()'>Why</p><script>x</script>",
            "self_enrol": "on",
            "minutes": 0,
        },
    )
    course = Course.objects.get(title="X200 extended warranty")
    assert response["Location"] == f"/learn/manage/courses/{course.pk}/content/"
    assert course.description == "<p>Why</p>" and course.status == Status.DRAFT
    mia.post(f"/learn/manage/courses/{course.pk}/sections/new/", {"title": "The plan"})
    section = Section.objects.get(version__course=course)
    mia.post(f"/learn/manage/courses/{course.pk}/sections/{section.pk}/lessons/new/", lesson_form())
    mia.post(
        f"/learn/manage/courses/{course.pk}/sections/{section.pk}/lessons/new/",
        lesson_form(
            title="Demo video",
            kind="video",
            body="",
            file=SimpleUploadedFile("demo.mp4", MP4, "video/mp4"),
        ),
    )
    video = Lesson.objects.get(title="Demo video")
    assert video.file_type == "video/mp4" and video.file_name == "demo.mp4"
    assert "demo" not in video.file.name  # stored under a generated name
    preview = mia.get(f"/learn/courses/{course.pk}/lessons/{video.key}/?preview=1&draft=1")
    assert preview.status_code == 200 and b"Preview: this is what learners see" in preview.content
    mia.post(f"/learn/manage/courses/{course.pk}/publish/", {"change_note": "First edition"})
    course.refresh_from_db()
    assert course.status == Status.PUBLISHED and course.published_version.number == 1
    assert course.minutes == 10  # added up from the lessons
    assert AuditEntry.objects.filter(action="course.published").exists()
    assert "X200 extended warranty" in p.client(p.bob).get("/learn/").content.decode()


def test_uploads_are_checked_by_content(personas):
    p = personas
    course = make_course(p.mia, "Docs", publish=False)
    section = Section.objects.get(version__course=course)
    url = f"/learn/manage/courses/{course.pk}/sections/{section.pk}/lessons/new/"
    mia = p.client(p.mia)
    fake = mia.post(
        url,
        lesson_form(
            kind="video",
            body="",
            file=SimpleUploadedFile("evil.mp4", b"<html><script>", "video/mp4"),
        ),
    )
    assert "This file type is not accepted here" in fake.content.decode()
    html = mia.post(
        url,
        lesson_form(
            kind="document",
            body="",
            file=SimpleUploadedFile("x.pdf", b"<svg onload=alert(1)>", "application/pdf"),
        ),
    )
    assert "This file type is not accepted here" in html.content.decode()
    ok = mia.post(
        url,
        lesson_form(
            title="Price list",
            kind="document",
            body="",
            file=SimpleUploadedFile("price list.pdf", pdf(), "application/pdf"),
        ),
    )
    assert ok.status_code == 302
    assert Lesson.objects.get(title="Price list").file_type == "application/pdf"
    no_url = mia.post(url, lesson_form(kind="link", body=""))
    assert "needs the address" in no_url.content.decode()


def test_the_lesson_file_is_served_with_safe_headers_and_seekable(personas):
    p = personas
    course = make_course(p.mia, "Video course", ["video"])
    lesson = Lesson.objects.get(version=course.published_version)
    lesson.file.save("v.mp4", ContentFile(MP4))
    lesson.file_type, lesson.file_name = "video/mp4", "v.mp4"
    lesson.save()
    bob = p.client(p.bob)
    url = f"/learn/courses/{course.pk}/lessons/{lesson.key}/file/"
    assert bob.get(url).status_code == 404  # not enrolled yet
    bob.post(f"/learn/courses/{course.pk}/enrol/")
    whole = bob.get(url)
    assert whole.status_code == 200 and whole["X-Content-Type-Options"] == "nosniff"
    assert whole["Content-Disposition"].startswith("inline")
    part = bob.get(url, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206 and b"".join(part.streaming_content) == b"ftypmp42"
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4)}"


def test_editing_a_published_course_happens_in_a_draft(personas):
    p = personas
    course = make_course(p.mia, "Live course", ["text", "text"])
    first = Lesson.objects.filter(version=course.published_version).first()
    mia = p.client(p.mia)
    # No draft yet: the editing URLs of a published lesson do not exist.
    assert mia.get(f"/learn/manage/courses/{course.pk}/lessons/{first.pk}/").status_code == 404
    mia.post(f"/learn/manage/courses/{course.pk}/draft/")
    draft_lesson = Lesson.objects.get(
        version__course=course, version__status="draft", key=first.key
    )
    mia.post(
        f"/learn/manage/courses/{course.pk}/lessons/{draft_lesson.pk}/",
        lesson_form(title="Rewritten"),
    )
    assert Lesson.objects.get(pk=first.pk).title != "Rewritten"  # learners still see the original
    mia.post(
        f"/learn/manage/courses/{course.pk}/lessons/{draft_lesson.pk}/move/", {"direction": "down"}
    )
    draft_lesson.refresh_from_db()
    assert draft_lesson.position == 2


def test_lessons_are_reordered_by_dragging(personas):
    p = personas
    course = make_course(p.mia, "Order", ["text", "text", "text"], publish=False)
    section = Section.objects.get(version__course=course)
    ids = list(Lesson.objects.filter(section=section).values_list("pk", flat=True))
    response = p.client(p.mia).post(
        f"/learn/manage/courses/{course.pk}/order/",
        {"section": section.pk, "lesson": [ids[2], ids[0], ids[1]]},
    )
    assert response.json() == {"ok": True}
    assert list(Lesson.objects.filter(section=section).values_list("pk", flat=True)) == [
        ids[2],
        ids[0],
        ids[1],
    ]
    other = make_course(p.mia, "Other", publish=False)
    foreign = Lesson.objects.filter(version__course=other).first()
    refused = p.client(p.mia).post(
        f"/learn/manage/courses/{course.pk}/order/", {"section": section.pk, "lesson": [foreign.pk]}
    )
    assert refused.status_code == 400


def test_only_authors_reach_the_authoring_screens(personas):
    p = personas
    course = make_course(p.mia, "Private")
    for who in (p.bob, p.alice, p.dana):
        assert p.client(who).get("/learn/manage/").status_code == 403
        assert p.client(who).get(f"/learn/manage/courses/{course.pk}/content/").status_code in (
            403,
            404,
        )


def test_courses_with_learners_are_archived_not_deleted(personas):
    p = personas
    course = make_course(p.mia, "Old model")
    p.client(p.bob).post(f"/learn/courses/{course.pk}/enrol/")
    p.client(p.mia).post(f"/learn/manage/courses/{course.pk}/status/", {"status": "archived"})
    course.refresh_from_db()
    assert course.status == Status.ARCHIVED and Enrolment.objects.filter(course=course).exists()
    assert "Old model" not in p.client(p.carol).get("/learn/").content.decode()
    # Bob keeps his enrolled course.
    assert p.client(p.bob).get(course.get_absolute_url()).status_code == 200


def test_alice_assigns_a_course_to_her_people_with_a_due_date(personas):
    p = personas
    course = make_course(p.mia, "Parts ordering")
    alice = p.client(p.alice)
    page = alice.get(f"/learn/courses/{course.pk}/assign/").content.decode()
    assert "Bob Tran" in page and "Carol" not in page
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = alice.post(
        f"/learn/courses/{course.pk}/assign/",
        {"people": [p.bob.pk], "emails": p.hannah.email, "due": due},
    )
    assert response.status_code == 302
    assigned = Enrolment.objects.filter(course=course, source="assigned")
    assert {e.user for e in assigned} == {p.bob, p.hannah}
    assert all(e.due_at.date().isoformat() == due for e in assigned)
    outsider = alice.post(
        f"/learn/courses/{course.pk}/assign/", {"emails": p.carol.email, "due": due}
    )
    assert "Not among the people you can assign" in outsider.content.decode()
    past = alice.post(
        f"/learn/courses/{course.pk}/assign/", {"people": [p.bob.pk], "due": "2020-01-01"}
    )
    assert "in the past" in past.content.decode()
    assert p.client(p.bob).get(f"/learn/courses/{course.pk}/assign/").status_code == 404


def test_bob_takes_a_course_and_resumes_where_he_left_off(personas, django_assert_max_num_queries):
    p = personas
    course = make_course(p.mia, "Sales pitch", ["text", "text", "text"])
    bob = p.client(p.bob)
    response = bob.post(f"/learn/courses/{course.pk}/enrol/")
    lessons = list(Lesson.objects.filter(version=course.published_version))
    assert response["Location"] == f"/learn/courses/{course.pk}/lessons/{lessons[0].key}/"
    done = bob.post(f"/learn/courses/{course.pk}/lessons/{lessons[0].key}/done/")
    assert done["Location"] == f"/learn/courses/{course.pk}/lessons/{lessons[1].key}/"
    bob.get(done["Location"])
    home = bob.get("/").content.decode()
    assert (
        "Sales pitch" in home and f"/lessons/{lessons[1].key}/" in home
    )  # continue where he left off
    with django_assert_max_num_queries(15):  # 13 measured on the demo data
        assert bob.get(course.get_absolute_url()).status_code == 200
    for lesson in lessons[1:]:
        bob.post(f"/learn/courses/{course.pk}/lessons/{lesson.key}/done/")
    enrolment = Enrolment.objects.get(user=p.bob, course=course)
    assert enrolment.status == "completed"
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 3


def test_the_video_position_is_remembered(personas):
    p = personas
    course = make_course(p.mia, "Videos", ["video"])
    lesson = Lesson.objects.get(version=course.published_version)
    lesson.file.save("v.mp4", ContentFile(MP4))
    bob = p.client(p.bob)
    bob.post(f"/learn/courses/{course.pk}/enrol/")
    url = f"/learn/courses/{course.pk}/lessons/{lesson.key}/position/"
    assert bob.post(url, {"seconds": "95"}).status_code == 204
    assert bob.post(url, {"seconds": "-3"}).status_code == 400
    assert (
        'data-position="95"'
        in bob.get(f"/learn/courses/{course.pk}/lessons/{lesson.key}/").content.decode()
    )


def test_a_course_meant_for_other_people_stays_out_of_the_catalog(personas):
    from touchpoint.orgs.models import Audience

    p = personas
    emea = Audience.objects.create(name="EMEA")
    emea.regions.add(p.regions["emea"])
    course = make_course(p.mia, "EMEA only", audience=emea)
    assert "EMEA only" not in p.client(p.bob).get("/learn/").content.decode()
    assert p.client(p.bob).get(course.get_absolute_url()).status_code == 404
    assert "EMEA only" in p.client(p.ingrid).get("/learn/").content.decode()


def test_the_learner_home_stays_within_its_query_budget(personas, django_assert_max_num_queries):
    p = personas
    for n in range(4):
        course = make_course(p.mia, f"Course {n}")
        p.client(p.bob).post(f"/learn/courses/{course.pk}/enrol/")
    bob = p.client(p.bob)
    with django_assert_max_num_queries(12):
        assert bob.get("/").status_code == 200
    with django_assert_max_num_queries(12):
        assert bob.get("/learn/").status_code == 200


def test_plain_text_keeps_its_paragraphs_and_html_is_cleaned(personas):
    from touchpoint.courses.forms import LessonForm

    plain = LessonForm(
        data=lesson_form(body="Check the blade.\n\nThen the belt &amp; brakes.\nDone.")
    )
    assert plain.is_valid(), plain.errors
    assert (
        plain.cleaned_data["body"]
        == "<p>Check the blade.</p>\n\n<p>Then the belt &amp;amp; brakes.<br>Done.</p>"
    )
    html = LessonForm(
        data=lesson_form(body="<p>Hi</p><script>alert(1)</script><img src=x onerror=y>")
    )
    assert html.is_valid()
    assert html.cleaned_data["body"] == "<p>Hi</p>"


def audit_trail(actor) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return list(
        AuditEntry.objects.filter(actor=actor).order_by("pk").values_list("action", "target_label")
    )


def test_it_audits_every_change_mia_makes_to_a_drafts_sections_and_lessons(personas):
    p = personas
    course = make_course(p.mia, "Warranty desk", ["text", "text"], publish=False)
    first_section = Section.objects.get(version__course=course)
    first, second = Lesson.objects.filter(section=first_section)
    mia = p.client(p.mia)
    base = f"/learn/manage/courses/{course.pk}"

    mia.post(f"{base}/sections/new/", {"title": "Claims"})
    claims = Section.objects.get(version__course=course, title="Claims")
    mia.post(f"{base}/sections/{claims.pk}/", {"title": "Claims and returns"})
    mia.post(f"{base}/sections/{claims.pk}/move/", {"direction": "up"})
    mia.post(f"{base}/sections/{claims.pk}/lessons/new/", lesson_form(title="Filing a claim"))
    filing = Lesson.objects.get(title="Filing a claim")
    mia.post(
        f"{base}/lessons/{filing.pk}/",
        lesson_form(title="Filing a claim online", body="<p>Use the portal.</p>"),
    )
    mia.post(f"{base}/lessons/{second.pk}/move/", {"direction": "up"})
    # Drag and drop: the claim lesson joins the first section, at its top.
    order = mia.post(
        f"{base}/order/", {"section": first_section.pk, "lesson": [filing.pk, second.pk, first.pk]}
    )
    assert order.json() == {"ok": True}
    mia.post(f"{base}/lessons/{first.pk}/delete/")
    mia.post(f"{base}/sections/{claims.pk}/delete/")
    mia.post(f"{base}/publish/", {"change_note": "First edition"})

    assert audit_trail(p.mia) == [
        ("course.created", "Warranty desk"),
        ("course.section_added", "Claims"),
        ("course.section_updated", "Claims and returns"),
        ("course.section_moved", "Claims and returns"),
        ("course.lesson_added", "Filing a claim"),
        ("course.lesson_updated", "Filing a claim online"),
        ("course.lesson_moved", second.title),
        ("course.lessons_reordered", "Getting started"),
        ("course.lesson_deleted", first.title),
        ("course.section_deleted", "Claims and returns"),
        ("course.published", "Warranty desk"),
    ]
    entries = {e.action: e for e in AuditEntry.objects.filter(actor=p.mia)}
    renamed = entries["course.section_updated"]
    assert (renamed.before, renamed.after) == (
        {"title": "Claims"},
        {"title": "Claims and returns"},
    )
    assert entries["course.section_moved"].after == {"position": 1}
    edited = entries["course.lesson_updated"]
    assert edited.before["title"] == "Filing a claim"
    assert edited.after["title"] == "Filing a claim online" and edited.after["text"] == "changed"
    assert entries["course.lessons_reordered"].after == {
        "lessons": [
            "Getting started: Filing a claim online",
            f"Getting started: {second.title}",
            f"Getting started: {first.title}",
        ]
    }
    assert entries["course.lesson_deleted"].before["title"] == first.title
    assert entries["course.section_deleted"].before["lessons"] == []
    course.refresh_from_db()
    assert list(
        Lesson.objects.filter(version=course.published_version).values_list("title", flat=True)
    ) == ["Filing a claim online", second.title]


def test_it_writes_no_audit_entry_when_nothing_changed(personas):
    p = personas
    course = make_course(p.mia, "Quiet", ["text"], publish=False)
    section = Section.objects.get(version__course=course)
    (lesson,) = Lesson.objects.filter(section=section)
    mia = p.client(p.mia)
    base = f"/learn/manage/courses/{course.pk}"
    before = AuditEntry.objects.count()
    mia.post(f"{base}/sections/{section.pk}/", {"title": section.title})
    mia.post(f"{base}/sections/{section.pk}/move/", {"direction": "up"})  # already first
    mia.post(f"{base}/lessons/{lesson.pk}/move/", {"direction": "down"})  # already last
    mia.post(f"{base}/order/", {"section": section.pk, "lesson": [lesson.pk]})
    assert AuditEntry.objects.count() == before


def test_it_moves_learners_part_way_onto_the_published_version_with_an_audit_entry(personas):
    p = personas
    course = make_course(p.mia, "Revised", ["text", "text"])
    enrolment = actions.enrol(p.bob, course)
    first = actions.lessons_of(enrolment)[0]
    actions.complete_lesson(enrolment, first)
    actions.start_draft(p.mia, course)
    actions.publish_draft(p.mia, course, "Second edition")
    course.refresh_from_db()
    response = p.client(p.mia).post(f"/learn/manage/courses/{course.pk}/learners/")
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.version == course.published_version
    assert AuditEntry.objects.filter(action="enrolment.moved", actor=p.mia).count() == 1


def test_it_offers_editing_only_to_the_authors_of_the_course(personas):
    from tests.support import factories as f

    p = personas
    course = make_course(p.mia, "Sales course")
    other_department = f.StaffFactory(roles=["content_owner"])
    edit = f"/learn/manage/courses/{course.pk}/content/"
    assert edit in p.client(p.mia).get(course.get_absolute_url()).content.decode()
    page = p.client(other_department).get(course.get_absolute_url()).content.decode()
    assert edit not in page
    assert f"/learn/courses/{course.pk}/lessons/" in page  # any author may preview the lessons
    assert p.client(other_department).get(edit).status_code == 404


def test_it_links_the_authors_dashboard_to_certifications_only_for_their_managers(personas):
    from tests.support import factories as f

    p = personas
    certifications = "/learn/manage/certifications/"
    assert certifications in p.client(p.mia).get("/learn/manage/").content.decode()
    content_owner = f.StaffFactory(roles=["content_owner"])
    assert certifications not in p.client(content_owner).get("/learn/manage/").content.decode()
    assert p.client(content_owner).get(certifications).status_code == 403


def test_it_previews_a_draft_only_for_the_authors_of_the_course(personas):
    p = personas
    course = make_course(p.mia, "X200 pitch", ["text"], department="Sales")
    published = Lesson.objects.get(version=course.published_version)
    draft = actions.start_draft(p.mia, course)
    changed = Lesson.objects.get(version=draft, key=published.key)
    changed.title = "Meet the X200 (2027 edition)"
    actions.update_lesson(p.mia, changed)
    added = actions.add_lesson(
        p.mia, Section.objects.get(version=draft), Lesson(title="New demo", kind="text")
    )
    lesson_url = f"/learn/courses/{course.pk}/lessons/{{}}/?preview=1&draft=1"
    mia, sol = p.client(p.mia), p.client(p.sol)  # Sol: content owner of another department
    assert "2027 edition" in mia.get(lesson_url.format(published.key)).content.decode()
    assert mia.get(lesson_url.format(added.key)).status_code == 200
    # Sol may preview what is published, not the work in progress.
    page = sol.get(lesson_url.format(published.key))
    assert page.status_code == 200 and "2027 edition" not in page.content.decode()
    assert sol.get(lesson_url.format(added.key)).status_code == 404
