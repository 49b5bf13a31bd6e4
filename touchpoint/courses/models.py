"""Courses with versioned content (sections and lessons), enrolments and each learner's
progress through them."""

from __future__ import annotations

import re
import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.access import can_author_courses, can_author_every_course
from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.translations import Translatable, TranslatableQuerySet
from touchpoint.kernel.uploads import ContentNamedFileField, ContentNamedImageField
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import StaffRoleKind
from touchpoint.orgs.models import User as Person

User = settings.AUTH_USER_MODEL


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# --- courses and their content -------------------------------------------------------------
class CourseQuerySet(TranslatableQuerySet["Course"]):
    related = ("published_version",)

    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED, published_version__isnull=False)

    def visible_to(self, user: Person) -> Self:
        """The catalog: published courses meant for this person, plus any course they are
        enrolled in (an audience that changes later does not take away someone's course).
        Authors see every course they may edit, published or not."""
        if not active(user):
            return self.none()
        if can_author_every_course(user):
            return self.all()
        mine = Enrolment.objects.filter(user=user, is_current=True).values("course_id")
        visible = (
            Q(status=Status.PUBLISHED, published_version__isnull=False) & for_user_q(user)
        ) | Q(pk__in=mine, published_version__isnull=False)
        if can_author_courses(user):
            visible |= self._authored_by(user)
        return self.filter(visible)

    def manageable_by(self, user: Person) -> Self:
        """Courses this person may edit: trainers and portal admins all; a content owner those
        of their department and those they own."""
        if not can_author_courses(user):
            return self.none()
        if can_author_every_course(user):
            return self.all()
        return self.filter(self._authored_by(user))

    @staticmethod
    def _authored_by(user: Person) -> Q:
        """A content owner's courses: their departments' and their own."""
        role = StaffRoleKind.CONTENT_OWNER
        departments = user.staffrole_set.filter(role=role).values("department")
        return Q(department__in=departments) | Q(owner=user)


def course_cover_upload_to(instance: Course, filename: str) -> str:
    # Named from the content (ContentNamedImageField); served by courses:course_cover only.
    return f"courses/covers/{filename}"


class Course(Translatable, models.Model):
    """A course in the catalog. Its content lives in versions: learners work through the
    version they enrolled in, while a trainer edits the next one as a draft."""

    translated_fields = ("title", "summary", "description")

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_courses",
    )
    section = models.ForeignKey(
        "library.Section",
        verbose_name=_("portal section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who sees it in the catalog. Empty: every partner person."),
    )
    self_enrol = models.BooleanField(
        _("people may enrol themselves"), default=True, help_text=_("Otherwise it is assigned.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    minutes = models.PositiveIntegerField(_("estimated minutes"), default=0)
    cover = ContentNamedImageField(
        _("cover picture"),
        upload_to=course_cover_upload_to,
        blank=True,
        max_length=255,
        help_text=_("Shown on the course's card in the catalog: a PNG, JPEG or WebP, wide (3:2)."),
    )
    published_version = models.ForeignKey(
        "CourseVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course_detail", args=[self.pk])


def course_image_upload_to(instance: CourseImage, filename: str) -> str:
    return f"courses/{instance.course_id}/images/{filename}"


class CourseImage(models.Model):
    """A picture shown inside a course's lessons, uploaded from the lesson editor. Kept with
    the course rather than a version, so a new version's copied text still shows it; served
    only to people who may see the course (courses:course_image)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="images")
    file = ContentNamedImageField(_("picture"), upload_to=course_image_upload_to, max_length=255)
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("course picture")
        verbose_name_plural = _("course pictures")

    def __str__(self) -> str:
        return f"{self.course_id}:{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("courses:course_image", args=[self.course_id, self.pk])


# Where lesson text may point an <img>: the course pictures above, served after the access
# check. Anything else (another site, a data: URL) is removed when the text is saved.
LESSON_IMAGE_SRC = re.compile(r"^/learn/courses/\d+/images/\d+/$")


class CourseVersion(models.Model):
    """One edition of a course's content. At most one draft and one published version."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course", "-number"]
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="version_number_once"),
            models.UniqueConstraint(
                fields=["course"], condition=Q(status="draft"), name="one_draft_per_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class LessonKind(models.TextChoices):
    TEXT = "text", _("Text")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("External link")
    QUIZ = "quiz", _("Quiz")
    SESSION = "session", _("Instructor-led session")


def lesson_upload_to(instance: Lesson, filename: str) -> str:
    # `filename` is generated from the content (ContentNamedFileField); the uploader's name
    # is kept on the row for the download header only.
    return f"courses/{instance.version.course_id}/{filename}"


class Lesson(Translatable, models.Model):
    """One step of a course. `key` stays the same across versions, so progress recorded
    against a lesson survives a new version of the course."""

    translated_fields = ("title", "body")
    translated_html = ("body",)

    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="lessons")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="lessons")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices)
    position = models.PositiveIntegerField(default=0)
    body = models.TextField(_("text"), blank=True)
    file = ContentNamedFileField(_("file"), upload_to=lesson_upload_to, blank=True, max_length=255)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    url = models.URLField(_("address"), blank=True, max_length=500)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    # Quiz settings (kind == quiz).
    pool = models.CharField(
        _("question pool"),
        max_length=60,
        blank=True,
        help_text=_("Draw from questions in this pool of the course's bank; empty: all."),
    )
    questions_to_draw = models.PositiveIntegerField(_("questions per attempt"), default=10)
    pass_mark = models.PositiveIntegerField(_("pass mark (%)"), default=80)
    max_attempts = models.PositiveIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 for no limit.")
    )
    cooldown_minutes = models.PositiveIntegerField(_("wait between attempts (minutes)"), default=0)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0 for no limit.")
    )
    show_review = models.BooleanField(_("show answers after submitting"), default=True)

    objects = TranslatableQuerySet["Lesson"].as_manager()

    class Meta:
        ordering = ["section__position", "position", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="lesson_key_once")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:lesson", args=[self.version.course_id, self.key])


# --- enrolment and progress ----------------------------------------------------------------------
class EnrolmentQuerySet(AccessQuerySet["Enrolment"]):
    related = ("course", "version")

    def visible_to(self, user: Person) -> Self:
        """A person's own enrolments, and those of the people whose progress they may see."""
        if not active(user):
            return self.none()
        return self.filter(Q(user=user) | Q(user__in=Person.objects.visible_to(user)))

    def current_of(self, user: Person, course: Course) -> Enrolment | None:
        """The person's current enrolment in the course, if any, with its version."""
        current = self.filter(user=user, course=course, is_current=True)
        return current.select_related("version").first()


class Source(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNED = "assigned", _("Assigned")
    RULE = "rule", _("By rule")
    PATH = "path", _("Part of a path")
    RECERT = "recert", _("Recertification")


class EnrolmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Enrolment(models.Model):
    """A person's place in a course. A person has one current enrolment per course; taking
    the course again (to recertify) starts a new one and keeps the old one as history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="enrolments")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    assigned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What enrolled them, by source: the rule (RULE) or the path enrolment (PATH). A plain
    # number because rules and paths live in the paths app, a layer above courses.
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.NOT_STARTED
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_lesson_key = models.UUIDField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent of lessons done
    is_current = models.BooleanField(default=True)
    # Which due-date reminder went out last ("soon", "overdue"), so each goes once.
    reminder_stage = models.CharField(max_length=10, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(is_current=True),
                name="one_current_enrolment",
            )
        ]
        indexes = [
            models.Index(fields=["user", "is_current", "status"]),
            models.Index(fields=["course", "status"]),
            models.Index(
                fields=["due_at"],
                condition=Q(completed_at__isnull=True),
                name="open_due_enrolments",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and not self.completed_at and self.due_at < timezone.now())


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson_key = models.UUIDField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # Seconds into a video, to resume where the person stopped.
    position = models.PositiveIntegerField(default=0)
    best_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson_key"], name="lesson_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.lesson_key}"
