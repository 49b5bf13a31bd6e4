"""Formal learning: courses with versioned content, question banks, enrolments and progress,
quiz attempts, learning paths, certifications and the credentials people hold, auto-enrolment
rules and instructor-led sessions."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.validators import validate_plain_text

User = settings.AUTH_USER_MODEL


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# --- courses and their content -------------------------------------------------------------
class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(status=Status.PUBLISHED, published_version__isnull=False)


class Course(models.Model):
    """A course in the catalog. Its content lives in versions: learners work through the
    version they enrolled in, while a trainer edits the next one as a draft."""

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
        return reverse("learning:course_detail", args=[self.pk])


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
    # Stored under a generated name; the original name is kept on the row for downloads.
    extension = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"learning/{instance.version.course_id}/{uuid.uuid4().hex}.{extension}"


class Lesson(models.Model):
    """One step of a course. `key` stays the same across versions, so progress recorded
    against a lesson survives a new version of the course."""

    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="lessons")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="lessons")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices)
    position = models.PositiveIntegerField(default=0)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=lesson_upload_to, blank=True, max_length=255)
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

    class Meta:
        ordering = ["section__position", "position", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="lesson_key_once")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:lesson", args=[self.version.course_id, self.key])


# --- question bank ---------------------------------------------------------------------------
class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One correct answer")
    MULTIPLE = "multiple", _("Several correct answers")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT_TEXT = "short_text", _("Short text")


class Question(models.Model):
    """A question in a course's bank; quiz lessons draw from it. Attempts keep a copy of
    what they showed, so editing a question never changes a past result."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    pool = models.CharField(_("pool"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation shown in the review"), blank=True)
    accepted_answers = models.TextField(
        _("accepted answers"),
        blank=True,
        help_text=_(
            "Short-text questions: one accepted answer per line (case and spaces ignored)."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")

    def __str__(self) -> str:
        return self.text


# --- learning paths ----------------------------------------------------------------------------
class LearningPath(models.Model):
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    self_enrol = models.BooleanField(_("people may enrol themselves"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:path_detail", args=[self.pk])


class PathStep(models.Model):
    """One step of a path: a course or a certification, optionally locked until the steps
    before it are done."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="path_steps"
    )
    certification = models.ForeignKey(
        "Certification", null=True, blank=True, on_delete=models.PROTECT, related_name="path_steps"
    )
    requires_previous = models.BooleanField(_("only after the steps before it"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("path step")
        verbose_name_plural = _("path steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, certification__isnull=True)
                | Q(course__isnull=True, certification__isnull=False),
                name="step_is_course_or_certification",
            )
        ]

    def __str__(self) -> str:
        return str(self.course or self.certification)


# --- enrolment and progress ----------------------------------------------------------------------
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
    rule = models.ForeignKey(
        "EnrolmentRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    path_enrolment = models.ForeignKey(
        "PathEnrolment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_enrolments",
    )
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


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Time ran out")


class QuizAttempt(models.Model):
    """One try at a quiz. `questions` is what was shown (with the correct answers, which
    never leave the server before submission); `answers` is what came back."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    lesson_key = models.UUIDField()
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    started_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    questions: Any = models.JSONField(default=list)
    answers: Any = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson_key", "number"], name="attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["enrolment", "lesson_key"],
                condition=Q(status="open"),
                name="one_open_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.enrolment_id}"


class PathEnrolment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="path_enrolments")
    path = models.ForeignKey(LearningPath, on_delete=models.PROTECT, related_name="enrolments")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    assigned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.ForeignKey(
        "EnrolmentRule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="path_enrolments",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("path enrolment")
        verbose_name_plural = _("path enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="one_path_enrolment")]

    def __str__(self) -> str:
        return f"{self.user} · {self.path}"


class EnrolmentRule(models.Model):
    """Everyone an audience reaches is enrolled in a course or path, including people who
    come to match it later (new hires, a dealer moving tier, a changed job role)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    path = models.ForeignKey(
        LearningPath, null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    audience = models.ForeignKey(
        "orgs.Audience", verbose_name=_("audience"), on_delete=models.PROTECT, related_name="+"
    )
    due_in_days = models.PositiveIntegerField(
        _("due in (days)"),
        null=True,
        blank=True,
        help_text=_("Counted from the day each person is enrolled."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_enrolled = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enrolment rule")
        verbose_name_plural = _("enrolment rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, path__isnull=True)
                | Q(course__isnull=True, path__isnull=False),
                name="rule_is_course_or_path",
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- certifications -----------------------------------------------------------------------------
class Certification(models.Model):
    """What can be earned: by completing its courses, or granted by a trainer; valid for a
    period; renewed by a (possibly shorter) recertification that opens before expiry."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(
        _("criteria"), blank=True, help_text=_("What holders know and can do; shown on the badge.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    audience = models.ForeignKey(
        "orgs.Audience",
        verbose_name=_("who should hold it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    courses = models.ManyToManyField(
        Course, verbose_name=_("courses to complete"), related_name="certifications", blank=True
    )
    recert_courses = models.ManyToManyField(
        Course,
        verbose_name=_("courses to recertify"),
        related_name="recertifications",
        blank=True,
        help_text=_("Empty: the same courses again."),
    )
    validity_months = models.PositiveIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Empty: never expires.")
    )
    recert_window_days = models.PositiveIntegerField(
        _("recertification opens (days before expiry)"), default=60
    )
    reminder_days = models.CharField(
        _("reminders (days before expiry)"),
        max_length=60,
        default="60,30,7",
        help_text=_("Comma-separated, e.g. 60,30,7. The holder and their partner admins are told."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:certification_detail", args=[self.pk])

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted(
            {int(d) for d in self.reminder_days.split(",") if d.strip().isdigit()}, reverse=True
        )


class CredentialStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class CredentialState(models.TextChoices):
    """What a credential is now, from its status and dates (expiry is never stored)."""

    IN_PROGRESS = "in_progress", _("In progress")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def new_verification_id() -> str:
    return secrets.token_urlsafe(18)


class Credential(models.Model):
    """One person's certification: earned (or on the way), with issue and expiry dates.
    A renewal is a new row; the one in force has `is_current`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="credentials")
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="credentials"
    )
    status = models.CharField(
        max_length=12, choices=CredentialStatus.choices, default=CredentialStatus.IN_PROGRESS
    )
    is_current = models.BooleanField(default=True)
    started_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # When it counts as "expiring soon" (and recertification opens): kept with the row so
    # the state is a plain comparison in SQL.
    expiring_from = models.DateTimeField(null=True, blank=True)
    renewal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    renewal_opened_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grant_reason = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)
    verification_id = models.CharField(
        max_length=32, unique=True, default=new_verification_id, editable=False
    )
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-issued_at", "-started_at"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification"],
                condition=Q(is_current=True),
                name="one_current_credential",
            )
        ]
        indexes = [
            models.Index(fields=["certification", "is_current", "expires_at"]),
            models.Index(
                fields=["expiring_from"],
                condition=Q(status="active", is_current=True),
                name="active_credential_expiry",
            ),
            # The "expiring in 90 days" list and the expiry reminders read by expiry date.
            models.Index(
                fields=["expires_at"],
                condition=Q(status="active", is_current=True),
                name="active_credential_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.certification}"

    def get_absolute_url(self) -> str:
        return reverse("learning:credential_detail", args=[self.pk])

    def state(self, now: Any = None) -> str:
        now = now or timezone.now()
        if self.status == CredentialStatus.REVOKED:
            return CredentialState.REVOKED
        if self.status == CredentialStatus.IN_PROGRESS:
            return CredentialState.IN_PROGRESS
        if self.expires_at and self.expires_at <= now:
            return CredentialState.EXPIRED
        if self.expiring_from and self.expiring_from <= now:
            return CredentialState.EXPIRING
        return CredentialState.ACTIVE

    @property
    def state_label(self) -> Any:
        return CredentialState(self.state()).label


# --- instructor-led sessions ---------------------------------------------------------------------
class SessionKind(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    WEBINAR = "webinar", _("Webinar")


class Session(models.Model):
    """A scheduled classroom or webinar occurrence of a course, with a seat limit."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    join_url = models.URLField(_("join link"), blank=True, max_length=500)
    seats = models.PositiveIntegerField(_("seats"), default=20)
    instructor = models.ForeignKey(
        User,
        verbose_name=_("instructor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes for participants"), blank=True)
    is_cancelled = models.BooleanField(default=False)
    # Bumped when the time or place changes, so calendars replace the event (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("learning:session_detail", args=[self.pk])


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


class SessionRegistration(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_registrations")
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("session registration")
        verbose_name_plural = _("session registrations")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="register_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.session}"
