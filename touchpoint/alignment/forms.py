"""Forms for L&D requests: the intake, triage, comments, deliverables and the list filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.alignment.access import LEARNING_TEAM, is_learning_team
from touchpoint.alignment.actions import COMMENT_MAX, clean_text, validate_portal_path
from touchpoint.alignment.models import (
    Deliverable,
    DeliverableKind,
    LearningRequest,
    Priority,
    RelationshipType,
    Status,
)
from touchpoint.contextual.models import ContextMapping
from touchpoint.courses.models import Course
from touchpoint.courses.models import Status as CourseStatus
from touchpoint.kernel.forms import scope_choices
from touchpoint.library.models import Asset, AssetState
from touchpoint.orgs.models import Department, JobRole, Partner, User

TEXT_MAX = 5000
PICKS_PER_KIND = 8


def owner_choices() -> QuerySet[User]:
    """Who may own a request: active staff of the learning team."""
    return (
        User.objects.filter(partner__isnull=True, is_active=True, staffrole__role__in=LEARNING_TEAM)
        .distinct()
        .order_by("name", "email")
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RequestForm(forms.ModelForm):
    """The intake. Staff also say which department needs it; a partner person's request is
    their own company's, so they are not asked."""

    department = forms.ModelChoiceField(
        label=_("For the department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("The vendor department that needs this and will use it."),
    )

    class Meta:
        model = LearningRequest
        fields = [
            "title", "need", "audience", "job_role", "business_outcome", "kpi_metric",
            "kpi_baseline", "kpi_target", "kpi_unit", "kpi_by", "deadline",
        ]  # fmt: skip
        widgets = {
            "need": forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
            "business_outcome": forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
            "kpi_by": DateInput(),
            "deadline": DateInput(),
            "kpi_baseline": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "kpi_target": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        job_role = cast(forms.ModelChoiceField, self.fields["job_role"])
        job_role.queryset = JobRole.objects.all()
        job_role.empty_label = _("Any job role")
        self.fields["title"].help_text = _("A short name, e.g. “X200 service course”.")
        if user.is_vendor:
            department = cast(forms.ModelChoiceField, self.fields["department"])
            department.queryset = Department.objects.order_by("name")
            department.required = True
            mine = user.staffrole_set.filter(department__isnull=False).values_list(
                "department", flat=True
            )
            first = next(iter(mine), None)
            if first is not None:
                self.fields["department"].initial = first
            # The department comes first: it is who is asking.
            self.order_fields(["department", *self.Meta.fields])
        else:
            del self.fields["department"]
        scope_choices(self, user, job_role="visible", department="visible")

    def _text(self, name: str) -> str:
        value = clean_text(self.cleaned_data.get(name) or "")
        if len(value) > TEXT_MAX:
            raise ValidationError(
                _("Keep this under %(n)d characters.") % {"n": TEXT_MAX}, code="too_long"
            )
        return value

    def clean_need(self) -> str:
        return self._text("need")

    def clean_business_outcome(self) -> str:
        return self._text("business_outcome")

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise ValidationError(_("The date has passed; choose today or later."), code="past")
        return deadline

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        metric = (data.get("kpi_metric") or "").strip()
        rest = [data.get(k) for k in ("kpi_baseline", "kpi_target", "kpi_by")]
        unit = (data.get("kpi_unit") or "").strip()
        if not metric and (any(v is not None for v in rest) or unit):
            self.add_error(
                "kpi_metric", _("Name the KPI these figures are for, e.g. first-time-fix rate.")
            )
        if metric and data.get("kpi_target") is None:
            self.add_error("kpi_target", _("Give the target the KPI should reach."))
        kpi_by = data.get("kpi_by")
        if kpi_by and kpi_by < timezone.localdate():
            self.add_error("kpi_by", _("The date has passed; choose today or later."))
        return data


class TriageForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Relationship type"),
        choices=[("", _("Not classified yet")), *RelationshipType.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when declining; the requester sees it."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owner_choices()
        scope_choices(
            self,
            actor,
            owner=lambda people, user: people if is_learning_team(user) else people.none(),
        )

    @classmethod
    def for_request(cls, request: LearningRequest, actor: User, data: Any = None) -> TriageForm:
        return cls(
            data,
            actor=actor,
            initial={
                "relationship": request.relationship,
                "owner": request.owner_id,
                "status": request.status,
                "priority": request.priority,
                "decline_reason": request.decline_reason,
            },
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.DECLINED and not clean_text(
            data.get("decline_reason") or ""
        ):
            self.add_error(
                "decline_reason", _("Say why the request is declined; the requester sees it.")
            )
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
        help_text=_("Plain text. The requester and the learning team see it."),
    )


class LinkForm(forms.Form):
    """Any other page of the portal, e.g. a forum answer, by its address."""

    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.CharField(
        label=_("Portal address"),
        max_length=500,
        help_text=_("Copy the address of the page and keep the part from the first /, e.g. "
                    "/community/posts/42/."),
    )  # fmt: skip

    def clean_url(self) -> str:
        return validate_portal_path(self.cleaned_data["url"])

    def clean_title(self) -> str:
        title = clean_text(self.cleaned_data["title"])
        if "<" in title or ">" in title:
            raise ValidationError(_("Names cannot contain < or >. Please type plain text."))
        return title

    def deliverable(self) -> Deliverable:
        return Deliverable(
            kind=DeliverableKind.LINK,
            title=self.cleaned_data["title"],
            url=self.cleaned_data["url"],
        )


# --- the picker for courses, library items and context mappings -------------------------------
@dataclass(frozen=True)
class Candidate:
    value: str
    title: str
    kind_label: str
    note: str = ""


def find_candidates(query: str) -> list[Candidate]:
    """Courses, library items and context mappings whose title (or context) contains what
    was typed, at most eight of each; archived ones are left out."""
    query = " ".join(query.split())[:100]
    if len(query) < 2:
        return []
    found: list[Candidate] = []
    courses = (
        Course.objects.exclude(status=CourseStatus.ARCHIVED)
        .filter(title__icontains=query)
        .order_by("title")[:PICKS_PER_KIND]
    )
    for course in courses:
        note = "" if course.status == CourseStatus.PUBLISHED else str(course.get_status_display())
        found.append(
            Candidate(f"course:{course.pk}", course.title, str(DeliverableKind.COURSE.label), note)
        )
    assets = (
        Asset.objects.exclude(state=AssetState.ARCHIVED)
        .filter(title__icontains=query)
        .order_by("title")[:PICKS_PER_KIND]
    )
    for asset in assets:
        note = "" if asset.state == AssetState.PUBLISHED else str(asset.get_state_display())
        found.append(
            Candidate(f"asset:{asset.pk}", asset.title, str(DeliverableKind.ASSET.label), note)
        )
    term = query.lower().replace(" ", "-")
    mappings = ContextMapping.objects.filter(
        Q(app__contains=term)
        | Q(screen__contains=term)
        | Q(product__contains=term)
        | Q(topic__contains=term)
        | Q(note__icontains=query)
    )[:PICKS_PER_KIND]
    for mapping in mappings:
        found.append(
            Candidate(f"mapping:{mapping.pk}", mapping.label, str(DeliverableKind.MAPPING.label))
        )
    return found


def deliverable_from_value(value: str) -> Deliverable | None:
    """The (unsaved) deliverable a picker value names, or None when it names nothing."""
    kind, _sep, rest = value.partition(":")
    if not rest.isdigit():
        return None
    pk = int(rest)
    if kind == DeliverableKind.COURSE:
        course = Course.objects.exclude(status=CourseStatus.ARCHIVED).filter(pk=pk).first()
        return Deliverable(kind=kind, course=course) if course else None
    if kind == DeliverableKind.ASSET:
        asset = Asset.objects.exclude(state=AssetState.ARCHIVED).filter(pk=pk).first()
        return Deliverable(kind=kind, asset=asset) if asset else None
    if kind == DeliverableKind.MAPPING:
        mapping = ContextMapping.objects.filter(pk=pk).first()
        return Deliverable(kind=kind, mapping=mapping) if mapping else None
    return None


# --- the list's filters --------------------------------------------------------------------------
def _partners_asking(partners: QuerySet[Partner], user: User) -> QuerySet[Partner]:
    """The partners behind the requests this person may see (to filter those by)."""
    asked = LearningRequest.objects.visible_to(user).filter(partner__isnull=False)
    return partners.filter(pk__in=asked.values("partner_id"))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False, max_length=100)
    relationship = forms.ChoiceField(
        label=_("Relationship type"),
        required=False,
        choices=[("", _("Any type")), ("none", _("Not classified yet")), *RelationshipType.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open", _("Open (not closed)")), *Status.choices],
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Any department"),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("Any partner"),
    )

    def __init__(
        self,
        *args: Any,
        actor: User,
        owners: QuerySet[User] | None = None,
        vendor: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [
            ("", _("Anyone")),
            ("none", _("Nobody yet")),
            *[(str(u.pk), str(u)) for u in (owners if owners is not None else [])],
        ]
        # Only partners that have asked for something: a short list even in a big channel.
        self.fields["partner"].queryset = Partner.objects.order_by("name")  # type: ignore[attr-defined]
        if vendor:
            self.fields["department"].queryset = Department.objects.order_by("name")  # type: ignore[attr-defined]
        else:
            # Partner people's requests are all their company's: no department, no owner.
            del self.fields["department"]
            del self.fields["owner"]
        scope_choices(self, actor, department="visible", partner=_partners_asking)

    def apply(self, requests: QuerySet[LearningRequest]) -> QuerySet[LearningRequest]:
        """`requests` narrowed by every filter except type and status (the counts use it)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("q"):
            requests = requests.filter(title__icontains=data["q"].strip())
        owner = data.get("owner", "")
        if owner == "none":
            requests = requests.filter(owner__isnull=True)
        elif owner and owner.isdigit():
            requests = requests.filter(owner_id=int(owner))
        if data.get("department"):
            requests = requests.filter(department=data["department"])
        if data.get("partner"):
            requests = requests.filter(partner=data["partner"])
        return requests

    def apply_type_and_status(
        self, requests: QuerySet[LearningRequest]
    ) -> QuerySet[LearningRequest]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        relationship = data.get("relationship", "")
        if relationship == "none":
            requests = requests.filter(relationship="")
        elif relationship:
            requests = requests.filter(relationship=relationship)
        status = data.get("status", "")
        if status == "open":
            requests = requests.exclude(status__in=[Status.DELIVERED, Status.DECLINED])
        elif status:
            requests = requests.filter(status=status)
        return requests
