"""Forms for partners, people, staff, invitations, applications, channel set-up and audiences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from touchpoint.kernel.forms import (
    CTRL_CLICK_HINT,
    QUERY_MAX_LENGTH,
    ChipsSelectMultiple,
    SearchableSelect,
    limit_choices,
    scope_choices,
)
from touchpoint.orgs.access import (
    partners_targetable_by,
    regions_placeable_by,
)
from touchpoint.orgs.audience import Criteria
from touchpoint.orgs.models import (
    Audience,
    Department,
    JobRole,
    Partner,
    PartnerApplication,
    PartnerKind,
    PartnerRole,
    PeopleGroup,
    ProgramTerms,
    Region,
    StaffRoleKind,
    Tier,
    User,
    time_zone_choices,
)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "name", "kind", "parent", "tier", "region", "country", "city",
            "external_id", "website", "phone", "email_domain", "is_active",
        ]  # fmt: skip

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Partner.objects.exclude(kind=PartnerKind.LOCATION).filter(depth__lt=2)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk).exclude(parent=self.instance.pk)
        limit_choices(self.fields["parent"], parents.order_by("name"))
        self.fields["parent"].help_text = _("Distributor for a dealer; dealer for a location.")
        scope_choices(self, actor, parent="manageable", tier="visible", region=regions_placeable_by)


class CompanyDetailsForm(forms.ModelForm):
    """What a partner admin keeps current about their company or one of its locations."""

    class Meta:
        model = Partner
        fields = ["name", "city", "country", "website", "phone"]


class LocationForm(forms.ModelForm):
    """A new branch: it takes its company's type, tier and region."""

    class Meta:
        model = Partner
        fields = ["name", "city", "country", "phone"]
        labels = {"name": _("Location name")}


class InvitePersonForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    name = forms.CharField(label=_("Full name"), max_length=150)
    location = forms.ModelChoiceField(
        label=_("Company or location"), queryset=Partner.objects.none(), empty_label=None
    )
    partner_role = forms.ChoiceField(
        label=_("Access"),
        choices=PartnerRole.choices,
        initial=PartnerRole.MEMBER,
        help_text=_(
            "Admins manage the company and its people; managers see their team's progress."
        ),
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.all(), required=False
    )
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language for their emails"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, company: Partner, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self.fields["location"],
            Partner.objects.with_descendants_of([company.pk]).order_by("depth", "name"),
            empty_label=None,
        )
        self.fields["location"].initial = company.pk
        scope_choices(self, actor, location="manageable", job_role="visible")

    def clean_name(self) -> str:
        from touchpoint.kernel.validators import validate_plain_text

        name: str = self.cleaned_data["name"]
        validate_plain_text(name)
        return name


class PersonForm(forms.ModelForm):
    """Change a person's place and roles within the companies the editor manages."""

    class Meta:
        model = User
        fields = ["name", "title", "partner", "partner_role", "job_role"]
        labels = {"partner": _("Company or location"), "partner_role": _("Access")}

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Partner admins move people within their own company tree; staff within their scope.
        limit_choices(
            self.fields["partner"], Partner.objects.order_by("depth", "name"), empty_label=None
        )
        self.fields["partner"].required = True
        self.fields["partner_role"].required = True
        scope_choices(self, actor, partner="manageable", job_role="visible")


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=StaffRoleKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Needed for content owners: the department whose content they keep current."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions managed"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For channel managers: every partner in these regions."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners managed"),
        queryset=Partner.objects.exclude(kind=PartnerKind.LOCATION),
        required=False,
        help_text=_(
            "For channel managers: these partners and everything under them. "
            "Hold Ctrl (or ⌘ on a Mac) to pick several."
        ),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Giving someone a department, a region or a partner to look after is managing it.
        scope_choices(
            self, actor, department="manageable", regions="manageable", partners="manageable"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if StaffRoleKind.CONTENT_OWNER in data.get("roles", []) and not data.get("department"):
            self.add_error("department", _("A content owner needs a department."))
        return data

    def role_map(self) -> dict[str, Department | None]:
        department = self.cleaned_data.get("department")
        return {
            role: department if role == StaffRoleKind.CONTENT_OWNER else None
            for role in self.cleaned_data["roles"]
        }


class InviteStaffForm(StaffRolesForm):
    email = forms.EmailField(label=_("Email"))
    name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(label=_("Language for their emails"), choices=settings.LANGUAGES)

    field_order = ["email", "name", "language", "roles", "department", "regions", "partners"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("roles"):
            self.add_error("roles", _("Choose at least one role."))
        return data


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password, not all numbers."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, widget=SearchableSelect
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        from touchpoint.kernel.validators import validate_plain_text

        name: str = self.cleaned_data["name"]
        validate_plain_text(name)
        return name

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class ApplicationForm(forms.ModelForm):
    accept_terms = forms.BooleanField(
        label=_("I have read and accept the partner program terms."),
        required=True,
        error_messages={"required": _("Please accept the program terms to apply.")},
    )
    # A field people never see or reach by keyboard; form-filling bots fill it in.
    website_url = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = PartnerApplication
        fields = [
            "company_name", "kind", "country", "city", "website",
            "contact_name", "contact_email", "contact_phone", "message",
        ]  # fmt: skip
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class ApproveApplicationForm(forms.Form):
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=Tier.objects.all(), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Distributor"),
        queryset=Partner.objects.filter(kind=PartnerKind.DISTRIBUTOR, is_active=True),
        required=False,
        help_text=_("Leave empty for a partner that buys directly."),
    )
    note = forms.CharField(
        label=_("Note to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The new partner must land in the approver's own scope: under a distributor they
        # manage, in a region assigned to them.
        scope_choices(self, actor, tier="visible", region=regions_placeable_by, parent="manageable")


class RejectApplicationForm(forms.Form):
    note = forms.CharField(
        label=_("Why (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class TermsForm(forms.ModelForm):
    class Meta:
        model = ProgramTerms
        fields = ["version", "title", "body", "published_at"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class TierForm(forms.ModelForm):
    class Meta:
        model = Tier
        fields = ["name", "rank"]


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "countries"]


class JobRoleForm(forms.ModelForm):
    class Meta:
        model = JobRole
        fields = ["name", "code"]
        help_texts = {"code": _("Short identifier used in imports, e.g. warranty-admin.")}


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name"]


class GroupForm(forms.ModelForm):
    class Meta:
        model = PeopleGroup
        fields = ["name", "description"]


class GroupMembersForm(forms.Form):
    emails = forms.CharField(
        label=_("Add people by email"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more addresses, separated by commas or new lines."),
    )

    def clean_emails(self) -> list[User]:
        raw = self.cleaned_data["emails"].replace(",", "\n").split()
        wanted = {e.strip().lower() for e in raw if e.strip()}
        found = list(User.objects.filter(email__in=wanted))
        missing = wanted - {u.email for u in found}
        if missing:
            raise forms.ValidationError(
                _("No account for: %(emails)s") % {"emails": ", ".join(sorted(missing))}
            )
        return found


class PartnerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, number or city"), required=False, max_length=QUERY_MAX_LENGTH
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *PartnerKind.choices]
    )
    tier = forms.ModelChoiceField(
        label=_("Tier"), queryset=Tier.objects.all(), required=False, empty_label=_("Any tier")
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Any region"),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_choices(self, actor, tier="visible", region="visible")


class PeopleFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Any status")),
        ("active", _("Active")),
        ("invited", _("Invited")),
        ("deactivated", _("Deactivated")),
    ]
    q = forms.CharField(label=_("Name or email"), required=False, max_length=QUERY_MAX_LENGTH)
    job_role = forms.ModelChoiceField(
        label=_("Job role"),
        queryset=JobRole.objects.all(),
        required=False,
        empty_label=_("Any job role"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope_choices(self, actor, job_role="visible")


class AudienceForm(forms.ModelForm):
    """Targeting criteria; other modules embed it (with a prefix) to target their items."""

    partner_kind_list = forms.MultipleChoiceField(
        label=_("Partner types"),
        required=False,
        choices=[c for c in PartnerKind.choices if c[0] != PartnerKind.LOCATION],
        widget=forms.CheckboxSelectMultiple,
    )
    country_list = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        choices=lambda: list(countries),
        help_text=CTRL_CLICK_HINT,
        widget=ChipsSelectMultiple,
    )

    class Meta:
        model = Audience
        fields = ["name", "tiers", "regions", "partners", "job_roles", "groups"]
        widgets = {
            "tiers": forms.CheckboxSelectMultiple,
            "regions": forms.CheckboxSelectMultiple,
            "job_roles": forms.CheckboxSelectMultiple,
            "groups": forms.CheckboxSelectMultiple,
            "partners": ChipsSelectMultiple,
        }
        help_texts = {
            "partners": format_lazy(
                "{} {}",
                _("Includes their locations, and a distributor's dealers."),
                CTRL_CLICK_HINT,
            ),
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Locations come with their partner, so only companies are offered.
        limit_choices(
            self.fields["partners"], Partner.objects.active().exclude(kind=PartnerKind.LOCATION)
        )
        scope_choices(
            self,
            actor,
            tiers="visible",
            regions="visible",
            partners=partners_targetable_by,
            job_roles="visible",
            groups="visible",
        )
        if self.instance.pk:
            self.fields["partner_kind_list"].initial = self.instance.kind_codes
            self.fields["country_list"].initial = self.instance.country_codes
        order = [
            "name",
            "partner_kind_list",
            "tiers",
            "regions",
            "country_list",
            "partners",
            "job_roles",
            "groups",
        ]
        self.order_fields(order)

    def criteria(self) -> Criteria:
        """The targeting values as typed, for a reach preview before anything is saved."""
        data = self.cleaned_data
        return Criteria(
            kinds=data.get("partner_kind_list") or [],
            countries=data.get("country_list") or [],
            **{
                dim: [obj.pk for obj in data.get(dim) or []]
                for dim in ("tiers", "regions", "partners", "job_roles", "groups")
            },
        )

    def save(self, commit: bool = True) -> Audience:
        audience: Audience = super().save(commit=False)
        audience.kind_codes = self.cleaned_data.get("partner_kind_list") or []
        audience.country_codes = self.cleaned_data.get("country_list") or []
        if commit:
            audience.save()
            self.save_m2m()
        return audience
