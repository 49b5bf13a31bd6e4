"""Writes for courses: building and publishing them, enrolling and assigning, recording
progress and completion. What completion means elsewhere (a certification, a path step) is
up to the apps registered in `courses.hooks`.

Completion is idempotent and race-safe: the enrolment row is locked while it changes, and a
unique constraint holds one current enrolment per person and course, so a double click or
two tabs cannot record anything twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from touchpoint.courses import hooks
from touchpoint.courses.access import people_assignable_by
from touchpoint.courses.models import (
    Course,
    CourseVersion,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    Section,
    Source,
    Status,
)
from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.notifications import notify
from touchpoint.orgs.models import User
from touchpoint.search import index

COURSE_FIELDS = (
    "title",
    "summary",
    "section",
    "department",
    "owner",
    "audience",
    "self_enrol",
    "status",
    "minutes",
)


# --- building courses ------------------------------------------------------------------------
@transaction.atomic
def create_course(actor: User, course: Course) -> Course:
    course.owner = course.owner or actor
    course.status = Status.DRAFT
    course.full_clean(exclude=["published_version"])
    course.save()
    CourseVersion.objects.create(course=course, number=1, created_by=actor)
    audit.record(actor, "course.created", course, after=audit.snapshot(course, COURSE_FIELDS))
    return course


@transaction.atomic
def update_course(actor: User, course: Course, before: dict[str, Any]) -> Course:
    course.full_clean(exclude=["published_version"])
    course.save()
    index.update(course)
    after = audit.snapshot(course, COURSE_FIELDS)
    if after != before:
        audit.record(actor, "course.updated", course, before=before, after=after)
    return course


def draft_of(course: Course) -> CourseVersion | None:
    return course.versions.filter(status=Status.DRAFT).first()


@transaction.atomic
def start_draft(actor: User, course: Course) -> CourseVersion:
    """The course's draft, copied from the published version when there is none yet.
    Lessons keep their keys, so progress carries across versions."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    draft = draft_of(course)
    if draft:
        return draft
    source = course.published_version
    number = (course.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = CourseVersion.objects.create(course=course, number=number, created_by=actor)
    if source is not None:
        for section in source.sections.prefetch_related("lessons"):
            lessons = list(section.lessons.all())
            section.pk = None
            section.version = draft
            section.save()
            for lesson in lessons:
                lesson.pk = None
                lesson.version = draft
                lesson.section = section
                lesson.save()
    audit.record(actor, "course.draft_started", course, after={"version": number})
    return draft


@transaction.atomic
def publish_draft(actor: User, course: Course, change_note: str = "") -> CourseVersion:
    """Make the draft the version new learners get. People who have not started move to
    it; people part-way keep the version they began (a trainer can move them)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    draft = draft_of(course)
    if draft is None:
        raise ValidationError(_("There is no draft to publish."))
    if not Lesson.objects.filter(version=draft).exists():
        raise ValidationError(_("Add at least one lesson before publishing."))
    previous = course.published_version
    if previous is not None:
        previous.status = Status.ARCHIVED
        previous.save(update_fields=["status"])
    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.change_note = change_note or draft.change_note
    draft.save()
    course.published_version = draft
    course.status = Status.PUBLISHED
    course.minutes = course.minutes or sum(
        Lesson.objects.filter(version=draft).values_list("minutes", flat=True)
    )
    course.save()
    moved = (
        Enrolment.objects.filter(course=course, is_current=True, status=EnrolmentStatus.NOT_STARTED)
        .exclude(version=draft)
        .update(version=draft)
    )
    index.update(course)
    audit.record(
        actor,
        "course.published",
        course,
        after={"version": draft.number, "note": draft.change_note, "moved": moved},
    )
    return draft


@transaction.atomic
def set_course_status(actor: User, course: Course, status: str) -> Course:
    """Unpublish (back to draft: hidden from the catalog, enrolled people keep going) or
    archive. Courses with learners are never deleted."""
    if status == Status.PUBLISHED and course.published_version is None:
        raise ValidationError(_("Publish a version first."))
    before = course.status
    course.status = status
    course.save(update_fields=["status", "updated_at"])
    index.update(course)
    audit.record(
        actor, f"course.{status}", course, before={"status": before}, after={"status": status}
    )
    return course


@transaction.atomic
def move_to_version(actor: User, enrolment: Enrolment, version: CourseVersion) -> Enrolment:
    """Move a learner part-way through onto another version; their completed lessons count
    wherever the same lesson exists in it."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return enrolment
    enrolment.version = version
    enrolment.save(update_fields=["version"])
    _recalculate(enrolment)
    audit.record(actor, "enrolment.moved", enrolment, after={"version": version.number})
    return enrolment


def next_position(items: Any) -> int:
    return (items.aggregate(n=Max("position"))["n"] or 0) + 1


def reorder(item: Section | Lesson, direction: int) -> None:
    """Swap an item with its neighbour (direction -1 up, +1 down), within its container."""
    siblings: list[Any] = (
        list(Section.objects.filter(version=item.version).order_by("position", "pk"))
        if isinstance(item, Section)
        else list(Lesson.objects.filter(section=item.section).order_by("position", "pk"))
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index + direction
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    set_order(siblings)


def set_order(items: list[Any]) -> None:
    for position, obj in enumerate(items, start=1):
        if obj.position != position:
            obj.position = position
            obj.save(update_fields=["position"])


# --- enrolment ---------------------------------------------------------------------------------
def check_due(due_at: datetime | None) -> None:
    if due_at is not None and due_at < timezone.now() - timedelta(minutes=1):
        raise ValidationError({"due_at": _("The due date is in the past.")})


@transaction.atomic
def enrol(
    person: User,
    course: Course,
    *,
    actor: User | None = None,
    source: str = Source.SELF,
    due_at: datetime | None = None,
    source_id: int | None = None,
) -> Enrolment:
    """Enrol a person (or return their current enrolment). Assigning needs the person to be
    in the actor's scope; self-enrolment needs the course to allow it."""
    if course.published_version is None or course.status == Status.ARCHIVED:
        raise ValidationError(_("This course is not open for enrolment."))
    if source == Source.ASSIGNED:
        if actor is None or not people_assignable_by(actor).filter(pk=person.pk).exists():
            raise ValidationError(_("You can only assign courses to people in your scope."))
        check_due(due_at)
    elif source == Source.SELF and not course.self_enrol:
        raise ValidationError(_("This course is assigned by your manager or the vendor."))
    existing = (
        Enrolment.objects.select_for_update()
        .filter(user=person, course=course, is_current=True)
        .first()
    )
    if existing is not None:
        # An assignment with a due date tightens an open-ended or later one.
        tightens = due_at is not None and (existing.due_at is None or due_at < existing.due_at)
        if tightens and source != Source.SELF and existing.completed_at is None:
            existing.due_at = due_at
            existing.reminder_stage = ""
            existing.save(update_fields=["due_at", "reminder_stage"])
        return existing
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=person,
                course=course,
                version=course.published_version,
                source=source,
                assigned_by=actor if source == Source.ASSIGNED else None,
                source_id=source_id,
                due_at=due_at,
            )
    except IntegrityError:  # a concurrent request enrolled them first
        return Enrolment.objects.get(user=person, course=course, is_current=True)
    record_event(person, "registered", course, extra={"source": source})
    if source == Source.ASSIGNED and actor is not None:
        audit.record(actor, "enrolment.assigned", enrolment, partner=person.partner,
                     after={"course": course.title, "due": due_at.isoformat() if due_at else None})  # fmt: skip
    if source != Source.SELF:
        notify(
            [person],
            "training",
            gettext_lazy("New course for you: %(course)s"),
            body=gettext_lazy("Due %(due)s.") if due_at else "",
            params={"course": course.title, "due": due_at.date().isoformat() if due_at else ""},
            url=course.get_absolute_url(),
        )
    return enrolment


def assign(
    actor: User, people: Iterable[User], course: Course, due_at: datetime | None
) -> list[Enrolment]:
    """Assign a course to several people at once; everyone or no one (one transaction)."""
    check_due(due_at)
    with transaction.atomic():
        return [
            enrol(p, course, actor=actor, source=Source.ASSIGNED, due_at=due_at) for p in people
        ]


# --- progress ------------------------------------------------------------------------------------
def lessons_of(enrolment: Enrolment) -> list[Lesson]:
    return list(Lesson.objects.filter(version=enrolment.version).select_related("section"))


def _recalculate(enrolment: Enrolment) -> bool:
    """Refresh the enrolment's percentage; returns True when every lesson is done."""
    keys = set(Lesson.objects.filter(version=enrolment.version).values_list("key", flat=True))
    done = set(
        LessonProgress.objects.filter(
            enrolment=enrolment, lesson_key__in=keys, completed_at__isnull=False
        ).values_list("lesson_key", flat=True)
    )
    enrolment.progress = round(100 * len(done) / len(keys)) if keys else 0
    enrolment.save(update_fields=["progress"])
    return bool(keys) and done == keys


@transaction.atomic
def record_visit(enrolment: Enrolment, lesson: Lesson) -> None:
    """A learner opened a lesson: remember it for "continue where I left off"."""
    now = timezone.now()
    changes = {"last_lesson_key": lesson.key, "last_activity_at": now}
    if enrolment.started_at is None:
        changes.update(started_at=now, status=EnrolmentStatus.IN_PROGRESS)
        for started in hooks.course_started:
            started(enrolment.user, enrolment.course)
    Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
    for field, value in changes.items():
        setattr(enrolment, field, value)
    record_event(enrolment.user, "launched", lesson, name=lesson.title,
                 extra={"course": enrolment.course_id})  # fmt: skip


@transaction.atomic
def complete_lesson(enrolment: Enrolment, lesson: Lesson, *, score: int | None = None) -> bool:
    """Record a finished lesson (idempotent); completes the course when it was the last.
    Returns True when this call completed the course."""
    enrolment = (
        Enrolment.objects.select_for_update().select_related("course", "user").get(pk=enrolment.pk)
    )
    progress, created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson_key=lesson.key
    )
    changed = created or progress.completed_at is None
    if score is not None and (progress.best_score is None or score > progress.best_score):
        progress.best_score = score
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
    progress.save()
    if changed:
        record_event(enrolment.user, "completed", lesson, name=lesson.title,
                     extra={"course": enrolment.course_id, "score": score})  # fmt: skip
    if enrolment.started_at is None:
        enrolment.started_at = timezone.now()
        enrolment.status = EnrolmentStatus.IN_PROGRESS
        enrolment.save(update_fields=["started_at", "status"])
        for started in hooks.course_started:
            started(enrolment.user, enrolment.course)
    all_done = _recalculate(enrolment)
    if all_done and enrolment.status != EnrolmentStatus.COMPLETED:
        _complete_enrolment(enrolment)
        return True
    return False


def _complete_enrolment(enrolment: Enrolment) -> None:
    now = timezone.now()
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = now
    enrolment.progress = 100
    enrolment.save(update_fields=["status", "completed_at", "progress"])
    record_event(enrolment.user, "completed", enrolment.course)
    for completed in hooks.course_completed:
        completed(enrolment)
