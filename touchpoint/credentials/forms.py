"""Forms for certifications: building one, granting it to a person, revoking a credential."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Course, Status
from touchpoint.credentials.models import Certification
from touchpoint.kernel.forms import limit_choices, scope_choices
from touchpoint.orgs.access import audiences_targetable_by
from touchpoint.orgs.models import Audience, User

MULTI_SELECT_HELP = _("Hold Ctrl (Cmd on a Mac) to choose several.")
MAX_REMINDERS = 6
MAX_REMINDER_DAYS = 730


class CertificationForm(forms.ModelForm):
    courses = forms.ModelMultipleChoiceField(
        label=_("Courses to complete"), queryset=Course.objects.none(), required=False
    )
    recert_courses = forms.ModelMultipleChoiceField(
        label=_("Courses to recertify"), queryset=Course.objects.none(), required=False
    )

    class Meta:
        model = Certification
        fields = [
            "name", "description", "status", "audience", "courses", "recert_courses",
            "validity_months", "recert_window_days", "reminder_days",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "description": _("What holders know and can do. Shown on the page and in the badge."),
            "validity_months": _("Empty: never expires."),
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self.fields["audience"],
            Audience.objects.exclude(name="").order_by("name"),
            empty_label=_("Every partner person"),
        )
        self.fields["audience"].help_text = _("Saved audiences; build them under Audiences.")
        # Published courses, plus any already chosen that have since been unpublished, so
        # saving the form never drops a course silently.
        chosen = Q()
        if self.instance.pk:
            chosen = Q(certifications=self.instance) | Q(recertifications=self.instance)
        courses = (
            Course.objects.filter(
                Q(status=Status.PUBLISHED, published_version__isnull=False) | chosen
            )
            .distinct()
            .order_by("title")
        )
        for name in ("courses", "recert_courses"):
            limit_choices(self.fields[name], courses)
        scope_choices(
            self,
            actor,
            audience=audiences_targetable_by,
            courses="visible",
            recert_courses="visible",
        )
        self.fields["courses"].help_text = MULTI_SELECT_HELP
        self.fields["recert_courses"].help_text = _(
            "Empty: the same courses again. Hold Ctrl (Cmd on a Mac) to choose several."
        )

    def clean_reminder_days(self) -> str:
        """Accepts "60, 30, 7" and the like; stores it tidy, largest first."""
        raw = self.cleaned_data.get("reminder_days") or ""
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(
                _("Use whole numbers of days separated by commas, e.g. 60,30,7.")
            )
        days = sorted({int(part) for part in parts}, reverse=True)
        if any(day < 1 or day > MAX_REMINDER_DAYS for day in days):
            raise forms.ValidationError(
                _("Each reminder is between 1 and %(max)d days before expiry.")
                % {"max": MAX_REMINDER_DAYS}
            )
        if len(days) > MAX_REMINDERS:
            raise forms.ValidationError(_("At most %(n)d reminders.") % {"n": MAX_REMINDERS})
        return ",".join(str(day) for day in days)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        months = data.get("validity_months")
        window = data.get("recert_window_days")
        if months is not None and months < 1:
            self.add_error(
                "validity_months", _("Leave it empty for a certification that never expires.")
            )
        elif months and window is not None and window >= months * 28:
            # Otherwise a new credential would be "expiring soon" the day it is issued.
            self.add_error(
                "recert_window_days",
                _(
                    "Recertification must open after the certification is issued: use fewer days than it is valid for."
                ),
            )
        return data


class GrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Person's email"),
        help_text=_("A partner person you look after."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Why is it granted?"),
        max_length=1000,
        error_messages={"required": _("Say why the certification is granted.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept with the credential and in the audit log, e.g. certified by the former distributor."
        ),
    )

    def __init__(self, *args: Any, assignable: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignable = assignable

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        person: User | None = self.assignable.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(
                _("No partner person with this email is among the people you can grant to.")
            )
        self.cleaned_data["person"] = person
        return email


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked?"),
        max_length=1000,
        error_messages={"required": _("Say why the certification is revoked.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown with the credential to the holder and their managers, and kept in the audit log."
        ),
    )
