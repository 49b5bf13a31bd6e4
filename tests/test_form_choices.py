"""What a form offers to pick is limited by the same access rules as the records it offers,
and a forged POST of a record outside them is refused with a form error.

Each form field that picks records (a ModelChoiceField or ModelMultipleChoiceField, the
foreign keys of a ModelForm included) has a row below: the persona filling the form in, a
record they may pick, and one they may not. Where everything of a kind is open to whoever
may use the form (the tiers, say), the record refused is one that does not exist. The audit
test at the end walks every form in the product, so a new field without a row fails.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.db import models

import touchpoint
from conftest import Personas
from tests.support import factories as f
from tests.support.community import make_category
from tests.support.courses import make_certification, make_course
from tests.support.library import make_asset, make_product, make_section
from touchpoint.alignment.forms import FilterForm, RequestForm, TriageForm
from touchpoint.comms.forms import AnnouncementForm, CampaignForm
from touchpoint.community.forms import CategoryForm, MoveForm
from touchpoint.contextual.forms import IntegrationForm, LauncherLinkForm
from touchpoint.courses.forms import AssignForm, CourseForm, PeoplePickerFilter
from touchpoint.credentials.forms import CertificationForm
from touchpoint.credentials.views.tracking import MatrixFilterForm, TeamFilterForm
from touchpoint.library.forms import AssetForm
from touchpoint.library.forms import SectionForm as LibrarySectionForm
from touchpoint.orgs.forms import (
    ApproveApplicationForm,
    AudienceForm,
    InvitePersonForm,
    InviteStaffForm,
    PartnerFilterForm,
    PartnerForm,
    PeopleFilterForm,
    PersonForm,
    StaffRolesForm,
)
from touchpoint.orgs.models import Audience, Department, StaffRole, StaffRoleKind
from touchpoint.paths.forms import PathForm, PathStepForm, RuleForm
from touchpoint.paths.models import LearningPath
from touchpoint.sessions.forms import SessionForm

World = SimpleNamespace


@pytest.fixture
def world(personas: Personas) -> World:
    p = personas
    sales, service = (Department.objects.get_or_create(name=n)[0] for n in ("Sales", "Service"))
    aftermarket = Department.objects.get(name="Aftermarket")
    # Mia owns the Sales department's content (as in the demo story).
    StaffRole.objects.filter(user=p.mia, role=StaffRoleKind.CONTENT_OWNER).update(department=sales)
    lee = f.StaffFactory(name="Lee Park", roles=[StaffRoleKind.MODERATOR])
    alder_creek = Audience.objects.create(name="Alder Creek people")
    alder_creek.partners.add(p.dealer_a)
    fjord = Audience.objects.create(name="Fjord Maskin people")
    fjord.partners.add(p.dealer_c)
    techs = Audience.objects.create(name="Service techs")
    techs.job_roles.add(p.roles["service"])
    open_course = make_course(p.pat, "X200 service basics")
    techs_course = make_course(p.pat, "Hydrostatic drive repair", audience=techs)
    certification = make_certification("X200 Certified Technician", [open_course])
    path = LearningPath.objects.create(title="New service technician", status="published")
    sales_talk = make_category("Sales talk", moderators=[p.mia])
    dealer_lounge = make_category("Dealer lounge", moderators=[p.mia])
    service_bay = make_category("Service bay", moderators=[lee])
    return World(
        p=p,
        sales=sales,
        service=service,
        aftermarket=aftermarket,
        sales_section=make_section(p.pat, "Sales"),
        service_section=make_section(p.pat, "Service"),
        aftermarket_section=make_section(p.pat, "Aftermarket"),
        alder_creek=alder_creek,
        fjord=fjord,
        open_course=open_course,
        techs_course=techs_course,
        certification=certification,
        path=path,
        asset=make_asset(p.pat, section=make_section(p.pat, "Sales")),
        product=make_product(),
        sales_talk=sales_talk,
        dealer_lounge=dealer_lounge,
        service_bay=service_bay,
        lee=lee,
    )


Build = Callable[[World, Any], forms.BaseForm]
Pick = Callable[[World], models.Model | None]
NOTHING: Pick = lambda w: None  # noqa: E731  (everything of its kind is open: a missing id)


@dataclass(frozen=True)
class Case:
    form: type[forms.BaseForm]
    field: str
    persona: str
    build: Build
    offered: Pick
    refused: Pick = NOTHING

    def __str__(self) -> str:
        return f"{self.form.__name__}.{self.field}-{self.persona}"


def _approve(w: World, data: Any) -> forms.BaseForm:
    return ApproveApplicationForm(data, actor=w.p.evan)


def _partner(w: World, data: Any) -> forms.BaseForm:
    return PartnerForm(data, instance=w.p.dealer_c, actor=w.p.evan)


def _invite(w: World, data: Any) -> forms.BaseForm:
    return InvitePersonForm(data, company=w.p.dealer_a, actor=w.p.alice)


def _person(w: World, data: Any) -> forms.BaseForm:
    return PersonForm(data, instance=w.p.bob, actor=w.p.alice)


def _audience(w: World, data: Any) -> forms.BaseForm:
    return AudienceForm(data, actor=w.p.mia)


def _asset(w: World, data: Any) -> forms.BaseForm:
    return AssetForm(data, user=w.p.mia, initial={"kind": "article"})


def _course(w: World, data: Any) -> forms.BaseForm:
    return CourseForm(data, actor=w.p.sol)


def _announcement(w: World, data: Any) -> forms.BaseForm:
    return AnnouncementForm(data, user=w.p.dana)


def _tracking(form: type[TeamFilterForm]) -> Build:
    def build(w: World, data: Any) -> forms.BaseForm:
        extra = {"certifications": []} if form is MatrixFilterForm else {}
        return form(data, partners=[], actor=w.p.dana, **extra)  # type: ignore[call-arg]

    return build


def _staff_roles(form: type[StaffRolesForm]) -> Build:
    return lambda w, data: form(data, actor=w.p.pat)


CASES = [
    # Evan (EMEA) approves an application: his distributors and regions only.
    Case(ApproveApplicationForm, "parent", "evan", _approve, lambda w: w.p.meridian, lambda w: w.p.summit),
    Case(ApproveApplicationForm, "region", "evan", _approve, lambda w: w.p.regions["emea"], lambda w: w.p.regions["nae"]),
    Case(ApproveApplicationForm, "tier", "evan", _approve, lambda w: w.p.tiers["Gold"]),
    Case(PartnerForm, "parent", "evan", _partner, lambda w: w.p.meridian, lambda w: w.p.summit),
    Case(PartnerForm, "region", "evan", _partner, lambda w: w.p.regions["emea"], lambda w: w.p.regions["nae"]),
    Case(PartnerForm, "tier", "evan", _partner, lambda w: w.p.tiers["Gold"]),
    # Alice (Alder Creek's admin) places people in her own company only.
    Case(InvitePersonForm, "location", "alice", _invite, lambda w: w.p.rutland, lambda w: w.p.dealer_b),
    Case(InvitePersonForm, "job_role", "alice", _invite, lambda w: w.p.roles["service"]),
    Case(PersonForm, "partner", "alice", _person, lambda w: w.p.rutland, lambda w: w.p.dealer_b),
    Case(PersonForm, "job_role", "alice", _person, lambda w: w.p.roles["service"]),
    *[
        Case(form, field, "pat", _staff_roles(form), offered)
        for form in (StaffRolesForm, InviteStaffForm)
        for field, offered in [
            ("department", lambda w: w.service),
            ("regions", lambda w: w.p.regions["emea"]),
            ("partners", lambda w: w.p.meridian),
        ]
    ],
    Case(PartnerFilterForm, "tier", "dana", lambda w, d: PartnerFilterForm(d, actor=w.p.dana), lambda w: w.p.tiers["Gold"]),
    Case(PartnerFilterForm, "region", "dana", lambda w, d: PartnerFilterForm(d, actor=w.p.dana), lambda w: w.p.regions["nae"]),
    Case(PeopleFilterForm, "job_role", "dana", lambda w, d: PeopleFilterForm(d, actor=w.p.dana), lambda w: w.p.roles["sales"]),
    Case(AudienceForm, "tiers", "mia", _audience, lambda w: w.p.tiers["Gold"]),
    Case(AudienceForm, "regions", "mia", _audience, lambda w: w.p.regions["emea"]),
    Case(AudienceForm, "partners", "mia", _audience, lambda w: w.p.dealer_c, lambda w: w.p.rutland),
    Case(AudienceForm, "job_roles", "mia", _audience, lambda w: w.p.roles["parts"]),
    Case(AudienceForm, "groups", "mia", _audience, lambda w: f.PeopleGroupFactory()),
    # Mia (Sales content owner) files library items under Sales only.
    Case(AssetForm, "section", "mia", _asset, lambda w: w.sales_section, lambda w: w.service_section),
    Case(AssetForm, "department", "mia", _asset, lambda w: w.sales, lambda w: w.service),
    Case(AssetForm, "owner", "mia", _asset, lambda w: w.p.dana, lambda w: w.p.bob),
    Case(AssetForm, "audience", "mia", _asset, lambda w: w.fjord),
    Case(AssetForm, "products", "mia", _asset, lambda w: w.product),
    Case(LibrarySectionForm, "department", "pat", lambda w, d: LibrarySectionForm(d, actor=w.p.pat), lambda w: w.service),
    Case(LibrarySectionForm, "owner", "pat", lambda w, d: LibrarySectionForm(d, actor=w.p.pat), lambda w: w.p.mia, lambda w: w.p.alice),
    # Sol (Aftermarket content owner, no trainer) gives courses to Aftermarket only.
    Case(CourseForm, "department", "sol", _course, lambda w: w.aftermarket, lambda w: w.service),
    Case(CourseForm, "section", "sol", _course, lambda w: w.aftermarket_section, lambda w: w.service_section),
    Case(CourseForm, "owner", "sol", _course, lambda w: w.p.mia, lambda w: w.p.carol),
    Case(CourseForm, "audience", "sol", _course, lambda w: w.alder_creek),
    Case(AssignForm, "people", "alice", lambda w, d: AssignForm(d, actor=w.p.alice), lambda w: w.p.hannah, lambda w: w.p.carol),
    Case(PeoplePickerFilter, "partner", "alice", lambda w, d: PeoplePickerFilter(d, actor=w.p.alice), lambda w: w.p.rutland, lambda w: w.p.dealer_b),
    Case(PeoplePickerFilter, "job_role", "alice", lambda w, d: PeoplePickerFilter(d, actor=w.p.alice), lambda w: w.p.roles["sales"]),
    Case(SessionForm, "instructor", "mia", lambda w, d: SessionForm(d, course=w.open_course, actor=w.p.mia), lambda w: w.p.mia, lambda w: w.p.alice),
    Case(CertificationForm, "audience", "mia", lambda w, d: CertificationForm(d, actor=w.p.mia), lambda w: w.fjord),
    Case(CertificationForm, "courses", "mia", lambda w, d: CertificationForm(d, actor=w.p.mia), lambda w: w.techs_course),
    Case(CertificationForm, "recert_courses", "mia", lambda w, d: CertificationForm(d, actor=w.p.mia), lambda w: w.open_course),
    *[
        Case(form, "job_role", "dana", _tracking(form), lambda w: w.p.roles["service"])
        for form in (TeamFilterForm, MatrixFilterForm)
    ],
    # Sol builds paths and rules from what he may open: not a course meant for technicians.
    Case(PathForm, "audience", "sol", lambda w, d: PathForm(d, actor=w.p.sol), lambda w: w.alder_creek),
    Case(PathStepForm, "course", "sol", lambda w, d: PathStepForm(d, actor=w.p.sol), lambda w: w.open_course, lambda w: w.techs_course),
    Case(PathStepForm, "certification", "sol", lambda w, d: PathStepForm(d, actor=w.p.sol), lambda w: w.certification),
    Case(RuleForm, "course", "sol", lambda w, d: RuleForm(d, actor=w.p.sol), lambda w: w.open_course, lambda w: w.techs_course),
    Case(RuleForm, "path", "sol", lambda w, d: RuleForm(d, actor=w.p.sol), lambda w: w.path),
    Case(RuleForm, "audience", "sol", lambda w, d: RuleForm(d, actor=w.p.sol), lambda w: w.alder_creek),
    Case(IntegrationForm, "audience", "pat", lambda w, d: IntegrationForm(d, actor=w.p.pat), lambda w: w.fjord),
    Case(LauncherLinkForm, "audience", "pat", lambda w, d: LauncherLinkForm(d, actor=w.p.pat), lambda w: w.fjord),
    # Dana (North America East) announces to her partners, about what she may open.
    Case(AnnouncementForm, "audience", "dana", _announcement, lambda w: w.alder_creek, lambda w: w.fjord),
    Case(AnnouncementForm, "course", "dana", _announcement, lambda w: w.open_course, lambda w: w.techs_course),
    Case(AnnouncementForm, "asset", "dana", _announcement, lambda w: w.asset),
    Case(CampaignForm, "audience", "pat", lambda w, d: CampaignForm(d, actor=w.p.pat), lambda w: w.fjord),
    Case(CategoryForm, "audience", "lee", lambda w, d: CategoryForm(d, actor=w.lee), lambda w: w.fjord),
    Case(CategoryForm, "moderators", "lee", lambda w, d: CategoryForm(d, actor=w.lee), lambda w: w.p.mia, lambda w: w.p.bob),
    # Mia moderates two categories: a thread moves between those only.
    Case(MoveForm, "category", "mia", lambda w, d: MoveForm(d, categories=w.sales_talk.__class__.objects.all(), actor=w.p.mia), lambda w: w.dealer_lounge, lambda w: w.service_bay),
    Case(RequestForm, "department", "mia", lambda w, d: RequestForm(d, user=w.p.mia), lambda w: w.service),
    Case(RequestForm, "job_role", "mia", lambda w, d: RequestForm(d, user=w.p.mia), lambda w: w.p.roles["service"]),
    Case(TriageForm, "owner", "mia", lambda w, d: TriageForm(d, actor=w.p.mia), lambda w: w.p.mia, lambda w: w.p.dana),
    Case(FilterForm, "department", "mia", lambda w, d: FilterForm(d, actor=w.p.mia), lambda w: w.service),
    Case(FilterForm, "partner", "alice", lambda w, d: FilterForm(d, actor=w.p.alice, vendor=False), lambda w: _asking(w, w.p.alice), lambda w: _asking(w, w.p.carol)),
]  # fmt: skip


def _asking(w: World, person: Any) -> models.Model:
    """The person's company, once it has asked for something (the filter lists only those)."""
    from tests.support.alignment import make_request

    make_request(person)
    return person.partner


def _choices(form: forms.BaseForm, field: str) -> models.QuerySet[Any]:
    chosen = form.fields[field]
    assert isinstance(chosen, forms.ModelChoiceField)
    assert chosen.queryset is not None
    return chosen.queryset


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_form_offers_only_what_its_user_may_pick(world: World, case: Case) -> None:
    offered, refused = case.offered(world), case.refused(world)
    choices = _choices(case.build(world, None), case.field)
    assert offered in choices
    if refused is not None:
        assert refused not in choices


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_forged_post_of_a_record_out_of_reach_is_a_form_error(world: World, case: Case) -> None:
    case.offered(world)
    refused = case.refused(world)
    model = _choices(case.build(world, None), case.field).model
    pk = (
        refused.pk
        if refused is not None
        else model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )
    if refused is None:
        pk += 1000  # no such record
    multiple = isinstance(
        case.build(world, None).fields[case.field], forms.ModelMultipleChoiceField
    )
    form = case.build(world, {case.field: [pk] if multiple else pk})
    assert not form.is_valid()
    codes = [e.code for e in form.errors.as_data()[case.field]]
    assert codes and set(codes) <= {"invalid_choice", "invalid_pk_value"}, codes


def _forms_in_the_product() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module_info in pkgutil.walk_packages(touchpoint.__path__, "touchpoint."):
        name = module_info.name
        if any(part in name for part in (".tests", ".migrations", ".management", ".demo")):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found[f"{name}.{cls.__qualname__}"] = cls
    return list(found.values())


def test_every_field_that_picks_records_in_every_form_has_its_case() -> None:
    covered = {(case.form, case.field) for case in CASES}
    missing = sorted(
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _forms_in_the_product()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ModelChoiceField) and (form, name) not in covered
    )
    assert missing == []
