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
    CourseImage,
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
from touchpoint.kernel.translations import copy_translations
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
    "cover",
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
        copied: list[tuple[Lesson, Lesson]] = []
        for section in source.sections.prefetch_related("lessons"):
            lessons = list(section.lessons.all())
            section.pk = None
            section.version = draft
            section.save()
            for lesson in lessons:
                original = Lesson(pk=lesson.pk)
                lesson.pk = None
                lesson.version = draft
                lesson.section = section
                lesson.save()
                copied.append((original, lesson))
        # The lessons' versions in other languages come along with their words.
        copy_translations(copied)
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
    item.position = next(s.position for s in siblings if s.pk == item.pk)


def set_order(items: list[Any]) -> None:
    for position, obj in enumerate(items, start=1):
        if obj.position != position:
            obj.position = position
            obj.save(update_fields=["position"])


# --- a draft's sections and lessons -------------------------------------------------------------
SECTION_FIELDS = ("title",)
# A lesson's text can run to pages: the audit log says that it changed, not what it says.
LESSON_FIELDS = (
    "title", "kind", "minutes", "url", "file_name", "pool", "questions_to_draw", "pass_mark",
    "max_attempts", "cooldown_minutes", "time_limit_minutes", "show_review",
)  # fmt: skip


def _in_draft(version: CourseVersion) -> None:
    """Learners follow published versions: only a draft's content changes. The course row is
    locked first, as publishing locks it, so a draft cannot be published under an edit."""
    Course.objects.select_for_update().only("pk").get(pk=version.course_id)
    if not CourseVersion.objects.filter(pk=version.pk, status=Status.DRAFT).exists():
        # The pages only offer a draft's content; this is a draft published meanwhile.
        raise ValueError(f"{version} is not a draft: its content no longer changes")


def _where(item: Section | Lesson) -> dict[str, Any]:
    return {"course": item.version.course.title, "version": item.version.number}


def _lesson_snapshot(lesson: Lesson) -> dict[str, Any]:
    return {"section": lesson.section.title, **audit.snapshot(lesson, LESSON_FIELDS)}


@transaction.atomic
def add_section(actor: User, draft: CourseVersion, section: Section) -> Section:
    _in_draft(draft)
    section.version = draft
    section.position = next_position(Section.objects.filter(version=draft))
    section.full_clean()
    section.save()
    audit.record(actor, "course.section_added", section,
                 after={**_where(section), **audit.snapshot(section, SECTION_FIELDS)})  # fmt: skip
    return section


@transaction.atomic
def update_section(actor: User, section: Section) -> Section:
    _in_draft(section.version)
    before = audit.snapshot(Section.objects.get(pk=section.pk), SECTION_FIELDS)
    section.full_clean()
    section.save()
    after = audit.snapshot(section, SECTION_FIELDS)
    if after != before:
        audit.record(actor, "course.section_updated", section, before=before, after=after)
    return section


def _move(actor: User, item: Section | Lesson, direction: int, action: str) -> None:
    _in_draft(item.version)
    before = item.position
    reorder(item, direction)
    if item.position != before:
        audit.record(actor, action, item, before={"position": before},
                     after={"position": item.position})  # fmt: skip


@transaction.atomic
def move_section(actor: User, section: Section, direction: int) -> Section:
    """Move a section up (-1) or down (+1) in its draft."""
    _move(actor, section, direction, "course.section_moved")
    return section


@transaction.atomic
def delete_section(actor: User, section: Section) -> None:
    """Remove a section and its lessons from the draft; the published version keeps its own
    copy, and progress recorded against the lessons' keys is kept."""
    _in_draft(section.version)
    lessons = list(section.lessons.values_list("title", flat=True))
    audit.record(actor, "course.section_deleted", section,
                 before={**_where(section), "title": section.title, "lessons": lessons})  # fmt: skip
    section.delete()


@transaction.atomic
def add_course_image(actor: User, course: Course, picture: Any) -> CourseImage:
    """Keep a picture for the course's lesson text (checked by the caller's form)."""
    image = CourseImage(course=course, uploaded_by=actor)
    image.file.save("picture", picture, save=False)
    image.save()
    audit.record(actor, "course.image_added", course, after={"image": image.file.name})
    return image


@transaction.atomic
def add_lesson(actor: User, section: Section, lesson: Lesson) -> Lesson:
    _in_draft(section.version)
    lesson.version = section.version
    lesson.section = section
    lesson.position = next_position(Lesson.objects.filter(section=section))
    lesson.save()
    audit.record(actor, "course.lesson_added", lesson,
                 after={**_where(lesson), **_lesson_snapshot(lesson)})  # fmt: skip
    return lesson


@transaction.atomic
def update_lesson(actor: User, lesson: Lesson) -> Lesson:
    _in_draft(lesson.version)
    stored = Lesson.objects.select_related("section").get(pk=lesson.pk)
    before = _lesson_snapshot(stored)
    lesson.save()
    after = _lesson_snapshot(lesson)
    if stored.body != lesson.body:
        after["text"] = "changed"
    if stored.file != lesson.file:
        after["file"] = "replaced"
    if after != before:
        audit.record(actor, "course.lesson_updated", lesson, before=before, after=after)
    return lesson


@transaction.atomic
def move_lesson(actor: User, lesson: Lesson, direction: int) -> Lesson:
    """Move a lesson up (-1) or down (+1) within its section."""
    _move(actor, lesson, direction, "course.lesson_moved")
    return lesson


@transaction.atomic
def delete_lesson(actor: User, lesson: Lesson) -> None:
    """Remove a lesson from the draft (only the draft's copy); progress recorded against its
    key is kept."""
    _in_draft(lesson.version)
    audit.record(actor, "course.lesson_deleted", lesson,
                 before={**_where(lesson), **_lesson_snapshot(lesson)})  # fmt: skip
    lesson.delete()


@transaction.atomic
def order_lessons(actor: User, section: Section, lesson_ids: list[int]) -> list[Lesson]:
    """Drag and drop: these lessons of the draft, in this order, make up the section (a
    lesson may come from another section of the same draft)."""
    draft = section.version
    _in_draft(draft)
    found = {
        lesson.pk: lesson
        for lesson in Lesson.objects.filter(version=draft, pk__in=lesson_ids).select_related(
            "section"
        )
    }
    if len(found) != len(lesson_ids):
        raise ValidationError(_("Those lessons are not all in this draft."))
    lessons = [found[pk] for pk in lesson_ids]
    earlier = sorted(lessons, key=lambda item: (item.section.position, item.position, item.pk))
    before = [f"{lesson.section.title}: {lesson.title}" for lesson in earlier]
    for lesson in lessons:
        lesson.section = section
    set_order(lessons)
    Lesson.objects.bulk_update(lessons, ["section"])
    after = [f"{section.title}: {lesson.title}" for lesson in lessons]
    if after != before:
        audit.record(actor, "course.lessons_reordered", section, before={"lessons": before},
                     after={"lessons": after})  # fmt: skip
    return lessons


@transaction.atomic
def move_learners_to_published(actor: User, course: Course) -> int:
    """Move everyone part-way through an older version onto the published one; returns how
    many moved."""
    version = course.published_version
    if version is None:
        return 0
    behind = Enrolment.objects.filter(
        course=course, is_current=True, status=EnrolmentStatus.IN_PROGRESS
    ).exclude(version=version)
    moved = 0
    for enrolment in behind:
        move_to_version(actor, enrolment, version)
        moved += 1
    return moved


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
    retake: bool = False,
) -> Enrolment:
    """Enrol a person (or return their current enrolment). Assigning needs the person to be
    in the actor's scope; self-enrolment needs the course to allow it.

    `retake` takes the course again (recertification): a finished current enrolment is kept
    as history and a new one starts; one still under way carries on, due no later than
    `due_at`."""
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
    if existing is not None and retake and existing.status == EnrolmentStatus.COMPLETED:
        existing.is_current = False
        existing.save(update_fields=["is_current"])
        existing = None
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
    # Recertification is announced by the certification ("Time to renew") and the digest.
    if source not in (Source.SELF, Source.RECERT):
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
def record_position(enrolment: Enrolment, lesson: Lesson, seconds: int) -> None:
    """Where a learner paused a video, so the player resumes there (at most a day in)."""
    LessonProgress.objects.update_or_create(
        enrolment=enrolment, lesson_key=lesson.key, defaults={"position": min(seconds, 86_400)}
    )


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
