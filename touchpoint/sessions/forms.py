"""Forms for instructor-led sessions: scheduling one, and marking attendance."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Course
from touchpoint.kernel.forms import limit_choices, scope_choices
from touchpoint.orgs.access import staff_directory
from touchpoint.orgs.models import User
from touchpoint.sessions import schedule
from touchpoint.sessions.models import RegistrationStatus, Session, SessionKind, SessionRegistration

# What <input type="datetime-local"> sends and expects back.
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class SessionForm(forms.ModelForm):
    """Times are typed in the trainer's own time zone (the active one) and stored aware."""

    class Meta:
        model = Session
        fields = [
            "kind", "title", "starts_at", "ends_at", "location", "join_url", "seats",
            "instructor", "notes",
        ]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect,
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
            "seats": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "location": _("Classroom sessions: the address or room."),
            "join_url": _("Webinars: shown only to people holding a seat."),
            "notes": _("What to bring or prepare; shown on the session page."),
        }

    def __init__(self, *args: Any, course: Course, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.course = course
        # The saved session, before this form changes it: edits are checked against it.
        self.original = copy.copy(self.instance) if self.instance.pk else None
        # Radio buttons need no "---------" choice; a new session starts as a classroom one.
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = SessionKind.choices
        kind.initial = kind.initial or SessionKind.CLASSROOM
        zone = timezone.get_current_timezone_name()
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _("In your time zone (%(zone)s).") % {"zone": zone}
        limit_choices(self.fields["instructor"], schedule.instructors())
        scope_choices(self, actor, instructor=staff_directory)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        candidate = Session(
            course=self.instance.course,
            **{name: data.get(name) for name in self._meta.fields or [] if name in data},
        )
        for field, message in schedule.schedule_errors(candidate, original=self.original).items():
            if field in self.fields and not self.has_error(field):
                self.add_error(field, message)
        return data


class AttendanceForm(forms.Form):
    """One attended/absent choice per person holding a seat."""

    CHOICES = [
        (RegistrationStatus.ATTENDED, _("Attended")),
        (RegistrationStatus.ABSENT, _("Absent")),
    ]

    def __init__(self, *args: Any, registrations: list[SessionRegistration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            person = registration.user
            self.fields[self.field_name(registration)] = forms.ChoiceField(
                label=f"{person} ({person.partner or _('vendor staff')})",
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=registration.status
                if registration.status in (RegistrationStatus.ATTENDED, RegistrationStatus.ABSENT)
                else None,
            )

    @staticmethod
    def field_name(registration: SessionRegistration) -> str:
        return f"r{registration.pk}"

    def marks(self) -> dict[int, str]:
        """Registration id -> the status chosen, for the people given a choice."""
        return {
            r.pk: self.cleaned_data[self.field_name(r)]
            for r in self.registrations
            if self.cleaned_data.get(self.field_name(r))
        }
