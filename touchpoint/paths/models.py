"""Learning paths (ordered courses and certifications) and the rules that enrol everyone an
audience reaches."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.access import can_author_courses
from touchpoint.courses.models import Source, Status
from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs.audience import for_user_q
from touchpoint.orgs.models import User as Person

User = settings.AUTH_USER_MODEL


# --- learning paths ----------------------------------------------------------------------------
class LearningPathQuerySet(AccessQuerySet["LearningPath"]):
    def visible_to(self, user: Person) -> Self:
        """Published paths meant for this person and any they are enrolled in; the people
        who build paths (course authors) see them all."""
        if not active(user):
            return self.none()
        if can_author_courses(user):
            return self.all()
        mine = PathEnrolment.objects.filter(user=user).values("path_id")
        return self.filter((Q(status=Status.PUBLISHED) & for_user_q(user)) | Q(pk__in=mine))

    def manageable_by(self, user: Person) -> Self:
        return self.all() if can_author_courses(user) else self.none()


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

    objects = LearningPathQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("paths:path_detail", args=[self.pk])


class PathStep(models.Model):
    """One step of a path: a course or a certification, optionally locked until the steps
    before it are done."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    course = models.ForeignKey(
        "courses.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="path_steps"
    )
    certification = models.ForeignKey(
        "credentials.Certification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="path_steps",
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


class EnrolmentRuleQuerySet(AccessQuerySet["EnrolmentRule"]):
    related = ("course", "path", "audience")

    def visible_to(self, user: Person) -> Self:
        """Rules are the authors' tool; nobody else sees them."""
        return self.manageable_by(user)

    def manageable_by(self, user: Person) -> Self:
        return self.all() if can_author_courses(user) else self.none()


class EnrolmentRule(models.Model):
    """Everyone an audience reaches is enrolled in a course or path, including people who
    come to match it later (new hires, a dealer moving tier, a changed job role)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    course = models.ForeignKey(
        "courses.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
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

    objects = EnrolmentRuleQuerySet.as_manager()

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
