"""Instructor-led sessions of a course (classroom or webinar) and who registered."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Course
from touchpoint.kernel.access import AccessQuerySet
from touchpoint.kernel.validators import validate_plain_text
from touchpoint.orgs.models import User as Person

User = settings.AUTH_USER_MODEL


# --- instructor-led sessions ---------------------------------------------------------------------
class SessionKind(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    WEBINAR = "webinar", _("Webinar")


class SessionQuerySet(AccessQuerySet["Session"]):
    related = ("course", "instructor")

    def visible_to(self, user: Person) -> Self:
        """Sessions of the courses this person may see (the catalog's rules)."""
        return self.filter(course__in=Course.objects.visible_to(user).values("pk"))

    def manageable_by(self, user: Person) -> Self:
        """Sessions of the courses this person may author."""
        return self.filter(course__in=Course.objects.manageable_by(user).values("pk"))

    def with_seat_counts(self) -> Self:
        """Annotate `taken` (seats held) and `waiting` (waiting list length) in the same query."""
        return self.annotate(
            taken=Count("registrations", filter=Q(registrations__status__in=SEAT_HOLDERS)),
            waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
        )


class Session(models.Model):
    """A scheduled classroom or webinar occurrence of a course, with a seat limit."""

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="sessions")
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

    objects = SessionQuerySet.as_manager()

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
        return reverse("sessions:session_detail", args=[self.pk])


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


RS = RegistrationStatus
# Statuses that occupy a seat. Attendance is marked only once the session has started, so
# attended/absent people still count against the seats of that session.
SEAT_HOLDERS = (RS.REGISTERED, RS.ATTENDED, RS.ABSENT)
# Statuses a person can still cancel out of.
ACTIVE = (RS.REGISTERED, RS.WAITLISTED)


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
