"""Enrolment, progress, completion, versions, certifications and their renewal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.support.courses import complete_course, make_certification, make_course
from touchpoint.courses import actions
from touchpoint.courses.models import Enrolment, EnrolmentStatus, Lesson, Section, Source, Status
from touchpoint.credentials import actions as credential_actions
from touchpoint.credentials.models import Credential, CredentialState
from touchpoint.kernel.models import ActivityEvent
from touchpoint.paths import actions as path_actions


@pytest.fixture
def course(personas):
    return make_course(personas.mia, "X200 service basics", ["text", "video", "text"])


def test_bob_enrols_and_completes_a_course_once(personas, course):
    p = personas
    enrolment = actions.enrol(p.bob, course)
    assert actions.enrol(p.bob, course).pk == enrolment.pk  # enrolling twice is harmless
    lessons = actions.lessons_of(enrolment)
    assert not actions.complete_lesson(enrolment, lessons[0])
    assert not actions.complete_lesson(enrolment, lessons[0])  # a double click changes nothing
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.progress) == (EnrolmentStatus.IN_PROGRESS, 33)
    actions.complete_lesson(enrolment, lessons[1])
    assert actions.complete_lesson(enrolment, lessons[2])
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.progress) == (EnrolmentStatus.COMPLETED, 100)
    assert not actions.complete_lesson(enrolment, lessons[2])
    assert (
        ActivityEvent.objects.filter(
            actor=p.bob, verb="completed", object_type="courses.course"
        ).count()
        == 1
    )


def test_assigning_is_limited_to_the_assigners_people(personas, course):
    p = personas
    tomorrow = timezone.now() + timedelta(days=1)
    actions.assign(p.alice, [p.bob, p.hannah], course, tomorrow)
    assert Enrolment.objects.filter(course=course, source=Source.ASSIGNED).count() == 2
    with pytest.raises(ValidationError, match="people in your scope"):
        actions.assign(p.alice, [p.carol], course, tomorrow)
    with pytest.raises(ValidationError, match="in the past"):
        actions.assign(p.alice, [p.bob], course, timezone.now() - timedelta(days=2))
    # Everyone or no one: Carol's refusal did not leave Bob's second assignment behind.
    assert not Enrolment.objects.filter(user=p.carol).exists()
    assert not Enrolment.objects.filter(user=p.bob).exclude(due_at=tomorrow).exists()


def test_an_assignment_tightens_the_due_date_of_a_self_enrolment(personas, course):
    p = personas
    mine = actions.enrol(p.bob, course)
    soon = timezone.now() + timedelta(days=3)
    actions.assign(p.alice, [p.bob], course, soon)
    mine.refresh_from_db()
    assert mine.due_at == soon


def test_self_enrolment_respects_the_course_setting(personas):
    assigned_only = make_course(personas.mia, "Warranty law", self_enrol=False)
    with pytest.raises(ValidationError, match="assigned"):
        actions.enrol(personas.bob, assigned_only)


def test_a_new_version_does_not_disturb_learners_part_way(personas, course):
    p = personas
    part_way = actions.enrol(p.bob, course)
    first = actions.lessons_of(part_way)[0]
    actions.complete_lesson(part_way, first)
    not_started = actions.enrol(p.hannah, course)
    draft = actions.start_draft(p.mia, course)
    copy = Lesson.objects.get(version=draft, key=first.key)
    copy.title = "Rewritten"
    copy.save()
    Lesson.objects.create(
        version=draft,
        section=Section.objects.get(version=draft),
        title="New",
        kind="text",
        position=9,
    )
    actions.publish_draft(p.mia, course, "Added a lesson")
    part_way.refresh_from_db()
    not_started.refresh_from_db()
    assert part_way.version.number == 1 and part_way.progress == 33
    assert not_started.version.number == 2
    # Moved onto the new version, Bob's finished lesson still counts (same key).
    actions.move_to_version(p.mia, part_way, draft)
    part_way.refresh_from_db()
    assert part_way.progress == 25


def test_publishing_needs_a_draft_with_lessons(personas):
    empty = make_course(personas.mia, "Empty", lessons=[], publish=False)
    with pytest.raises(ValidationError, match="at least one lesson"):
        actions.publish_draft(personas.mia, empty)


def test_completing_the_courses_awards_the_certification_with_its_expiry(personas):
    p = personas
    a = make_course(p.mia, "Service 1")
    b = make_course(p.mia, "Service 2")
    cert = make_certification("X200 Technician", [a, b], validity_months=24)
    complete_course(p.hannah, a)
    credential = Credential.objects.get(user=p.hannah, certification=cert)
    assert credential.state() == CredentialState.IN_PROGRESS
    complete_course(p.hannah, b)
    credential.refresh_from_db()
    assert credential.state() == CredentialState.ACTIVE
    assert credential.expires_at.date() == (credential.issued_at + relativedelta(months=24)).date()
    assert credential.expiring_from == credential.expires_at - timedelta(days=60)
    later = credential.expiring_from + timedelta(days=1)
    assert credential.state(later) == CredentialState.EXPIRING
    assert credential.state(credential.expires_at + timedelta(seconds=1)) == CredentialState.EXPIRED


def test_recertification_opens_before_expiry_and_renews_from_the_old_expiry(personas, run_worker):
    from touchpoint.credentials.tasks import open_recertifications

    p = personas
    full = make_course(p.mia, "Full course")
    refresher = make_course(p.mia, "Refresher")
    cert = make_certification(
        "X200 Technician", [full], recert_courses=[refresher], validity_months=12
    )
    complete_course(p.hannah, full)
    credential = Credential.objects.get(user=p.hannah, certification=cert)
    old_expiry = credential.expires_at
    Credential.objects.filter(pk=credential.pk).update(
        expiring_from=timezone.now() - timedelta(minutes=1)
    )
    assert open_recertifications.call() == 1
    assert open_recertifications.call() == 0  # opened once
    recert = Enrolment.objects.get(user=p.hannah, course=refresher, is_current=True)
    assert recert.source == Source.RECERT and recert.due_at == old_expiry
    for lesson in actions.lessons_of(recert):
        actions.complete_lesson(recert, lesson)
    renewed = Credential.objects.get(user=p.hannah, certification=cert, is_current=True)
    assert renewed.pk != credential.pk and renewed.renewal_of_id == credential.pk
    assert renewed.expires_at.date() == (old_expiry + relativedelta(months=12)).date()


def test_it_takes_a_finished_course_again_when_recertification_opens(personas):
    from touchpoint.credentials.tasks import open_recertifications

    p = personas
    course = make_course(p.mia, "X200 service")
    cert = make_certification("X200 Technician", [course], validity_months=12)
    complete_course(p.hannah, course)
    finished = Enrolment.objects.get(user=p.hannah, course=course)
    credential = Credential.objects.get(user=p.hannah, certification=cert)
    Credential.objects.filter(pk=credential.pk).update(
        expiring_from=timezone.now() - timedelta(minutes=1)
    )
    assert open_recertifications.call() == 1
    finished.refresh_from_db()
    again = Enrolment.objects.get(user=p.hannah, course=course, is_current=True)
    assert not finished.is_current and finished.status == EnrolmentStatus.COMPLETED
    assert (again.source, again.status, again.progress) == (
        Source.RECERT, EnrolmentStatus.NOT_STARTED, 0,
    )  # fmt: skip
    assert again.due_at == credential.expires_at
    assert ActivityEvent.objects.filter(actor=p.hannah, verb="registered").count() == 2
    # Told once, by the certification, rather than once per course as well.
    titles = list(p.hannah.notifications.values_list("title", flat=True))
    assert sum("renew" in t for t in titles) == 1 and not any("New course" in t for t in titles)


def test_it_lets_a_recertification_course_under_way_carry_on_due_by_the_expiry(personas):
    from touchpoint.credentials.tasks import open_recertifications

    p = personas
    full, refresher = make_course(p.mia, "Full course"), make_course(p.mia, "Refresher")
    cert = make_certification(
        "X200 Technician", [full], recert_courses=[refresher], validity_months=12
    )
    complete_course(p.hannah, full)
    started = actions.enrol(p.hannah, refresher, source=Source.SELF)
    actions.complete_lesson(started, actions.lessons_of(started)[0])
    credential = Credential.objects.get(user=p.hannah, certification=cert)
    Credential.objects.filter(pk=credential.pk).update(
        expiring_from=timezone.now() - timedelta(minutes=1)
    )
    assert open_recertifications.call() == 1
    current = Enrolment.objects.get(user=p.hannah, course=refresher, is_current=True)
    assert current.pk == started.pk and current.progress == 50
    assert current.due_at == credential.expires_at
    assert Enrolment.objects.filter(user=p.hannah, course=refresher).count() == 1


def test_a_trainer_grants_with_a_reason_and_revokes(personas):
    p = personas
    cert = make_certification("Parts specialist", [make_course(p.mia, "Parts 101")])
    with pytest.raises(ValidationError):
        credential_actions.grant(p.mia, p.bob, cert, "  ")
    credential = credential_actions.grant(
        p.mia, p.bob, cert, "Certified by the previous vendor program"
    )
    assert credential.granted_by == p.mia and credential.state() == CredentialState.ACTIVE
    with pytest.raises(ValidationError, match="already holds"):
        credential_actions.grant(p.mia, p.bob, cert, "again")
    credential_actions.revoke(p.mia, credential, "Left the dealership")
    credential.refresh_from_db()
    assert credential.state() == CredentialState.REVOKED


def test_a_path_enrols_in_its_courses_and_completes_with_them(personas):
    from touchpoint.paths.models import LearningPath, PathStep

    p = personas
    a, b = make_course(p.mia, "Step A"), make_course(p.mia, "Step B")
    path = LearningPath.objects.create(title="New service tech", status=Status.PUBLISHED)
    PathStep.objects.create(path=path, course=a, position=1)
    PathStep.objects.create(path=path, course=b, position=2, requires_previous=True)
    enrolled = path_actions.enrol_in_path(p.hannah, path)
    assert set(Enrolment.objects.filter(user=p.hannah).values_list("course__title", flat=True)) == {
        "Step A",
        "Step B",
    }
    complete_course(p.hannah, a)
    complete_course(p.hannah, b)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None


def test_archived_courses_take_no_new_enrolments(personas, course):
    actions.set_course_status(personas.mia, course, Status.ARCHIVED)
    with pytest.raises(ValidationError, match="not open"):
        actions.enrol(personas.bob, course)
