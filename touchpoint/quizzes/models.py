"""Question banks and quiz attempts."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import connection, models
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Course
from touchpoint.kernel.access import AccessQuerySet, active
from touchpoint.orgs.models import User as Person

User = settings.AUTH_USER_MODEL


# --- question bank ---------------------------------------------------------------------------
class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One correct answer")
    MULTIPLE = "multiple", _("Several correct answers")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT_TEXT = "short_text", _("Short text")


class QuestionQuerySet(AccessQuerySet["Question"]):
    related = ("course",)

    def visible_to(self, user: Person) -> Self:
        """Only the people who build a course see its bank; learners see what an attempt
        showed them, never the bank."""
        return self.manageable_by(user)

    def manageable_by(self, user: Person) -> Self:
        return self.filter(course__in=Course.objects.manageable_by(user).values("pk"))


class Question(models.Model):
    """A question in a course's bank; quiz lessons draw from it. Attempts keep a copy of
    what they showed, so editing a question never changes a past result."""

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="questions")
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

    objects = QuestionQuerySet.as_manager()

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


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Time ran out")


class QuizAttemptQuerySet(AccessQuerySet["QuizAttempt"]):
    related = ("enrolment__course", "enrolment__user")

    def visible_to(self, user: Person) -> Self:
        """A person's own attempts. Anyone else's, even their manager's or a trainer's view of
        it, is the same 404 as a missing one: attempts hold the answers."""
        if not active(user):
            return self.none()
        return self.filter(enrolment__user=user)

    def showing(self, question: Any) -> Self:
        """Attempts whose snapshot includes this question."""
        attempts = self.filter(enrolment__course_id=question.course_id)
        if connection.features.supports_json_field_contains:
            return attempts.filter(questions__contains=[{"id": question.pk}])
        # SQLite has no JSON containment lookup in Django; its json_each does the same job.
        table = self.model._meta.db_table
        shown = RawSQL(  # noqa: S611 - the table name is ours, the id goes in as a parameter
            f"EXISTS (SELECT 1 FROM json_each({table}.questions) "  # noqa: S608
            "WHERE json_extract(json_each.value, '$.id') = %s)",
            (question.pk,),
            output_field=BooleanField(),
        )
        return attempts.alias(shown=shown).filter(shown=True)


class QuizAttempt(models.Model):
    """One try at a quiz. `questions` is what was shown (with the correct answers, which
    never leave the server before submission); `answers` is what came back."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="attempts"
    )
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

    objects = QuizAttemptQuerySet.as_manager()

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
