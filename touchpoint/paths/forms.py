"""Forms for learning paths, their steps, and auto-enrolment rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from touchpoint.courses.models import Course, Status
from touchpoint.credentials.models import Certification
from touchpoint.kernel.forms import limit_choices, scope_choices
from touchpoint.orgs.access import audiences_targetable_by
from touchpoint.orgs.audience import named_audiences
from touchpoint.orgs.models import User
from touchpoint.paths.models import EnrolmentRule, LearningPath


class PathForm(forms.ModelForm):
    class Meta:
        model = LearningPath
        fields = ["title", "summary", "audience", "self_enrol", "status"]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self.fields["audience"], named_audiences(), empty_label=_("Every partner person")
        )
        scope_choices(self, actor, audience=audiences_targetable_by)


class PathStepForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False
    )
    certification = forms.ModelChoiceField(
        label=_("Or a certification"), queryset=Certification.objects.none(), required=False
    )
    requires_previous = forms.BooleanField(
        label=_("Only after the steps before it"), required=False
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["course"], Course.objects.exclude(status=Status.ARCHIVED))
        limit_choices(
            self.fields["certification"], Certification.objects.exclude(status=Status.ARCHIVED)
        )
        scope_choices(self, actor, course="visible", certification="visible")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("course")) == bool(data.get("certification")):
            raise forms.ValidationError(_("Choose a course or a certification (one of them)."))
        return data


class RuleForm(forms.ModelForm):
    class Meta:
        model = EnrolmentRule
        fields = ["name", "course", "path", "audience", "due_in_days", "is_active"]
        help_texts = {
            "audience": _("Build audiences under Audiences; everyone it reaches is enrolled.")
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["course"], Course.objects.filter(status=Status.PUBLISHED))
        limit_choices(self.fields["path"], LearningPath.objects.filter(status=Status.PUBLISHED))
        limit_choices(self.fields["audience"], named_audiences(), empty_label=None)
        scope_choices(
            self, actor, course="visible", path="visible", audience=audiences_targetable_by
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("course")) == bool(data.get("path")):
            raise forms.ValidationError(_("Enrol people in a course or in a path (one of them)."))
        return data
