"""Pages for partners, people, staff, channel set-up, imports, applications, invitations and
program terms. Views read the request, call an access helper and an action, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from touchpoint.kernel import audit
from touchpoint.kernel.access import require
from touchpoint.kernel.activity import record_view
from touchpoint.kernel.forms import add_errors
from touchpoint.kernel.htmx import render_page
from touchpoint.kernel.models import ActivityEvent
from touchpoint.kernel.paging import page_of
from touchpoint.kernel.portal import get_portal
from touchpoint.kernel.requestcontext import client_ip
from touchpoint.orgs import actions, importing
from touchpoint.orgs.access import (
    can_browse_partners,
    can_build_audiences,
    can_look_up_partners,
    can_review_applications,
    is_partner_person,
    is_portal_admin,
    signed_in,
)
from touchpoint.orgs.audience import criteria_user_q, users_reached
from touchpoint.orgs.forms import (
    AcceptInvitationForm,
    ApplicationForm,
    ApproveApplicationForm,
    AudienceForm,
    CompanyDetailsForm,
    DepartmentForm,
    GroupForm,
    GroupMembersForm,
    InvitePersonForm,
    InviteStaffForm,
    JobRoleForm,
    LocationForm,
    PartnerFilterForm,
    PartnerForm,
    PeopleFilterForm,
    PersonForm,
    RegionForm,
    RejectApplicationForm,
    StaffRolesForm,
    TermsForm,
    TierForm,
)
from touchpoint.orgs.invitations import invitation_from_token
from touchpoint.orgs.models import (
    STATUS_Q,
    ApplicationStatus,
    Audience,
    ChannelAssignment,
    Department,
    ImportBatch,
    ImportKind,
    JobRole,
    Partner,
    PartnerApplication,
    PartnerKind,
    PeopleGroup,
    ProgramTerms,
    Region,
    StaffRole,
    StaffRoleKind,
    TermsAcceptance,
    Tier,
    User,
)

R = StaffRoleKind


# --- partners -----------------------------------------------------------------------------------
@require(can_browse_partners)
def partner_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = PartnerFilterForm(request.GET or None, actor=user)
    partners = Partner.objects.visible_to(user).select_related("tier", "region", "parent")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            partners = partners.filter(
                Q(name__icontains=q) | Q(external_id__iexact=q) | Q(city__icontains=q)
            )
        if data["kind"]:
            partners = partners.filter(kind=data["kind"])
        if data["tier"]:
            partners = partners.filter(
                Q(tier=data["tier"]) | Q(kind=PartnerKind.LOCATION, parent__tier=data["tier"])
            )
        if data["region"]:
            partners = partners.filter(region=data["region"])
    partners = partners.annotate(
        people_count=Count("people", filter=Q(people__is_active=True))
    ).order_by("name")
    context = {"form": form, "page": page_of(request, partners), "can_create": user.is_portal_admin}
    return render_page(request, "orgs/partner_list.html", "orgs/_partner_rows.html", context)


@require(is_portal_admin)
def partner_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = PartnerForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            partner = actions.create_partner(user, form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is added. Invite its first partner admin next.") % {"name": partner},
            )
            return redirect("orgs:partner_invite", pk=partner.pk)
    return render(request, "orgs/partner_form.html", {"form": form, "partner": None})


@require(is_partner_person)
def my_company(request: HttpRequest) -> HttpResponse:
    return redirect("orgs:partner_detail", pk=signed_in(request).partner_id)


@login_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    partner = Partner.objects.get_for(user, pk=pk)
    can_manage = Partner.objects.manageable_by(user).filter(pk=partner.pk).exists()
    can_see_people = user.is_vendor or user.is_partner_manager
    tree = Partner.objects.with_descendants_of([partner.pk])
    people = (
        User.objects.filter(partner__in=tree)
        .select_related("partner", "job_role")
        .order_by("-is_active", "name")
        if can_see_people
        else User.objects.none()
    )
    locations = partner.children.annotate(
        people_count=Count("people", filter=Q(people__is_active=True))
    ).order_by("name")
    responsible = Q(channel_assignments__partner__in=[partner.pk, *partner.ancestor_ids()])
    if partner.region_id:
        responsible |= Q(channel_assignments__region=partner.region_id)
    managers = User.objects.filter(responsible, is_active=True).distinct()
    role_counts = (
        people.filter(is_active=True)
        .values("job_role__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        if can_see_people
        else []
    )
    record_view(request, partner)
    return render(
        request,
        "orgs/partner_detail.html",
        {
            "partner": partner,
            "parent_visible": partner.parent_id is not None
            and Partner.objects.visible_to(user).filter(pk=partner.parent_id).exists(),
            "can_manage": can_manage,
            "can_see_people": can_see_people,
            "people": people[:10],
            "people_total": people.count() if can_see_people else 0,
            "locations": locations,
            "managers": managers,
            "role_counts": role_counts,
            "job_role_names": {r.code: str(r) for r in JobRole.objects.all()},
        },
    )


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    partner = Partner.objects.get_for(user, manage=True, pk=pk)
    before = audit.snapshot(partner, actions.PARTNER_FIELDS)
    # Partner admins keep their company's contact details current; the vendor sets type,
    # tier, region and the hierarchy.
    form = (
        PartnerForm(request.POST or None, instance=partner, actor=user)
        if user.is_vendor
        else CompanyDetailsForm(request.POST or None, instance=partner)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_partner(user, form.save(commit=False), before)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": partner})
            return redirect(partner)
    return render(request, "orgs/partner_form.html", {"form": form, "partner": partner})


@login_required
def location_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    parent = Partner.objects.get_for(user, manage=True, pk=pk)
    if parent.is_location:
        raise Http404
    form = LocationForm(
        request.POST or None, initial={"country": parent.country, "city": parent.city}
    )
    if request.method == "POST" and form.is_valid():
        location = form.save(commit=False)
        location.kind = PartnerKind.LOCATION
        location.parent = parent
        location.region = parent.region  # the vendor can move it to another region later
        try:
            actions.create_partner(user, location)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Location %(name)s is added.") % {"name": location})
            return redirect(parent)
    return render(request, "orgs/location_form.html", {"form": form, "parent": parent})


@login_required
def partner_invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    company = Partner.objects.get_for(user, manage=True, pk=pk)
    form = InvitePersonForm(
        request.POST or None, company=company, initial={"language": user.language}, actor=user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.invite_person(
                user,
                email=data["email"],
                name=data["name"],
                partner=data["location"],
                partner_role=data["partner_role"],
                job_role=data["job_role"],
                title=data["title"],
                language=data["language"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
            if "another" in request.POST:
                return redirect("orgs:partner_invite", pk=company.pk)
            return redirect(company)
    return render(request, "orgs/invite_form.html", {"form": form, "company": company})


# --- people --------------------------------------------------------------------------------------
@require(can_look_up_partners)
def people_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = PeopleFilterForm(request.GET or None, actor=user)
    people = (
        User.objects.visible_to(user)
        .filter(partner__isnull=False)
        .select_related("partner", "job_role")
    )
    partner_filter = None
    if request.GET.get("partner"):
        if not request.GET["partner"].isdigit():
            raise Http404  # a mangled link, not a partner
        partner_filter = Partner.objects.get_for(user, pk=request.GET["partner"])
        people = people.filter(partner__in=Partner.objects.with_descendants_of([partner_filter.pk]))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            people = people.filter(Q(name__icontains=data["q"]) | Q(email__icontains=data["q"]))
        if data["job_role"]:
            people = people.filter(job_role=data["job_role"])
        if data["status"] in STATUS_Q:
            people = people.filter(STATUS_Q[data["status"]])
    people = people.order_by("partner__name", "name")
    context = {
        "form": form,
        "page": page_of(request, people),
        "partner_filter": partner_filter,
        "can_invite_to": user.partner if user.is_partner_admin else None,
    }
    return render_page(request, "orgs/people_list.html", "orgs/_people_rows.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    person = User.objects.get_for(user, pk=pk)
    can_manage = User.objects.manageable_by(user).filter(pk=person.pk).exists()
    activity = ActivityEvent.objects.filter(actor=person)[:10]
    return render(
        request,
        "orgs/person_detail.html",
        {
            "person": person,
            "can_manage": can_manage,
            "activity": activity,
            "invitation": person.invitations.first(),
            "staff_roles": StaffRole.objects.filter(user=person).select_related("department"),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    person = User.objects.get_for(user, manage=True, pk=pk)
    if person.is_vendor:
        return redirect("orgs:staff_edit", pk=person.pk)
    before = audit.snapshot(person, actions.PERSON_FIELDS)
    form = PersonForm(request.POST or None, instance=person, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(user, form.save(commit=False), before)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": person})
            return redirect(person)
    return render(request, "orgs/person_form.html", {"form": form, "person": person})


def _person_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    user = signed_in(request)
    person = User.objects.get_for(user, manage=True, pk=pk)
    try:
        action(user, person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"name": person})
    return redirect(person)


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        actions.deactivate_person,
        _("%(name)s is deactivated and can no longer sign in."),
    )


@login_required
@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(request, pk, actions.reactivate_person, _("%(name)s is active again."))


@login_required
@require_POST
def person_resend_invite(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request, pk, actions.resend_invitation, _("A new invitation is on its way to %(name)s.")
    )


# --- staff --------------------------------------------------------------------------------------------
@require(is_portal_admin)
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = (
        User.objects.filter(partner__isnull=True)
        .prefetch_related(
            "staffrole_set__department",
            "channel_assignments__partner",
            "channel_assignments__region",
        )
        .order_by("-is_active", "name")
    )
    return render(request, "orgs/staff_list.html", {"page": page_of(request, staff, 50)})


@require(is_portal_admin)
def staff_invite(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = InviteStaffForm(request.POST or None, initial={"language": user.language}, actor=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.invite_staff(
                user,
                email=data["email"],
                name=data["name"],
                roles=form.role_map(),
                language=data["language"],
            )
            if data["regions"] or data["partners"]:
                actions.set_staff_roles(
                    user,
                    person,
                    roles=form.role_map(),
                    partners=data["partners"],
                    regions=data["regions"],
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
            return redirect("orgs:staff_list")
    return render(request, "orgs/staff_form.html", {"form": form, "person": None})


@require(is_portal_admin)
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    person = User.objects.filter(partner__isnull=True).get_for(user, pk=pk)
    roles = StaffRole.objects.filter(user=person)
    assignments = ChannelAssignment.objects.filter(manager=person)
    initial = {
        "roles": [r.role for r in roles],
        "department": next((r.department_id for r in roles if r.department_id), None),
        "regions": [a.region_id for a in assignments if a.region_id],
        "partners": [a.partner_id for a in assignments if a.partner_id],
    }
    form = StaffRolesForm(request.POST or None, initial=initial, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_staff_roles(
                user, person, roles=form.role_map(),
                partners=form.cleaned_data["partners"], regions=form.cleaned_data["regions"],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Roles of %(name)s are saved.") % {"name": person})
            return redirect("orgs:staff_list")
    return render(request, "orgs/staff_form.html", {"form": form, "person": person})


# --- channel set-up: tiers, regions, job roles, departments ----------------------------------------------
REFERENCE = {
    "tiers": (Tier, TierForm, _("Tier")),
    "regions": (Region, RegionForm, _("Region")),
    "job-roles": (JobRole, JobRoleForm, _("Job role")),
    "departments": (Department, DepartmentForm, _("Department")),
}


@require(is_portal_admin)
def channel_setup(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "orgs/channel_setup.html",
        {
            "tiers": Tier.objects.annotate(n=Count("partners")),
            "regions": Region.objects.annotate(n=Count("partners")),
            "job_roles": JobRole.objects.annotate(n=Count("people")),
            "departments": Department.objects.annotate(n=Count("staffrole")),
        },
    )


@require(is_portal_admin)
def reference_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    if kind not in REFERENCE:
        raise Http404
    model, form_class, label = REFERENCE[kind]
    rows: Any = model._default_manager
    obj = rows.get_for(signed_in(request), manage=True, pk=pk) if pk else None
    if obj is not None and getattr(obj, "is_builtin", False):
        messages.info(
            request, _("Built-in job roles are translated for everyone and cannot be renamed.")
        )
        return redirect("orgs:channel_setup")
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_reference(signed_in(request), form.save(commit=False))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:channel_setup")
    return render(request, "orgs/reference_form.html", {"form": form, "obj": obj, "label": label})


# --- groups --------------------------------------------------------------------------------------------
@require(is_portal_admin)
def group_list(request: HttpRequest) -> HttpResponse:
    groups = PeopleGroup.objects.annotate(n=Count("members"))
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = actions.save_reference(signed_in(request), form.save(commit=False))
        return redirect("orgs:group_detail", pk=group.pk)
    return render(request, "orgs/group_list.html", {"groups": groups, "form": form})


@require(is_portal_admin)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    group = PeopleGroup.objects.get_for(signed_in(request), manage=True, pk=pk)
    form = GroupMembersForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            members = group.members.exclude(pk=request.POST.get("remove"))
            actions.set_group_members(user, group, list(members))
            messages.success(request, _("Removed from the group."))
            return redirect("orgs:group_detail", pk=group.pk)
        if form.is_valid():
            actions.set_group_members(
                user, group, [*group.members.all(), *form.cleaned_data["emails"]]
            )
            messages.success(request, _("The group is saved."))
            return redirect("orgs:group_detail", pk=group.pk)
    members = group.members.select_related("partner").order_by("name")
    return render(
        request,
        "orgs/group_detail.html",
        {"group": group, "form": form, "page": page_of(request, members, 50)},
    )


# --- CSV import ------------------------------------------------------------------------------------------
@require(is_portal_admin)
def import_start(request: HttpRequest) -> HttpResponse:
    error = None
    kind = request.POST.get("kind", ImportKind.PARTNERS)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if kind not in ImportKind.values:
            error = _("Choose what the file holds.")
        elif upload is None:
            error = _("Choose a CSV file to upload.")
        else:
            try:
                batch, _checked = importing.create_batch(
                    signed_in(request),
                    kind,
                    upload,
                    send_invitations=request.POST.get("send_invitations") == "on",
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect(batch)
    recent = ImportBatch.objects.select_related("created_by")[:10]
    return render(
        request,
        "orgs/import_start.html",
        {
            "error": error,
            "kind": kind,
            "recent": recent,
            "partner_columns": importing.PARTNER_COLUMNS,
            "people_columns": importing.PEOPLE_COLUMNS,
            "partner_required": importing.PARTNER_REQUIRED,
            "people_required": importing.PEOPLE_REQUIRED,
        },
        status=400 if error else 200,
    )


@require(is_portal_admin)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = ImportBatch.objects.get_for(signed_in(request), pk=pk)
    if request.method == "POST":
        try:
            importing.confirm_batch(signed_in(request), batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(batch)
    rows = None
    if batch.status == "preview":
        checked = importing.check(batch)
        # Rows with errors first, so they are seen without scrolling through a long file.
        rows = sorted(checked.rows, key=lambda r: (not r.errors, r.line))[:200]
    return render_page(
        request,
        "orgs/import_detail.html",
        "orgs/_import_status.html",
        {"batch": batch, "rows": rows},
    )


# --- applications -------------------------------------------------------------------------------------------
def apply(request: HttpRequest) -> HttpResponse:
    """The public "become a partner" form."""
    terms = ProgramTerms.current()
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        from touchpoint.kernel.ratelimit import over_limit

        if over_limit(request, "apply"):
            form.add_error(
                None, _("Too many applications from your network; please try again in an hour.")
            )
        elif terms is None:
            form.add_error(
                None, _("Applications are closed until the program terms are published.")
            )
        elif form.is_valid():
            if form.cleaned_data.get("website_url"):
                return redirect("orgs:apply_done")  # a bot filled in the hidden field
            application = form.save(commit=False)
            application.terms = terms
            application.language = request.LANGUAGE_CODE
            try:
                actions.submit_application(application, ip=client_ip(request))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect("orgs:apply_done")
    return render(request, "orgs/apply.html", {"form": form, "terms": terms})


def apply_done(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/apply_done.html")


@require(can_review_applications)
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ApplicationStatus.PENDING)
    applications = PartnerApplication.objects.visible_to(signed_in(request)).select_related(
        "region", "decided_by"
    )
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "orgs/application_list.html",
        {
            "page": page_of(request, applications),
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


@require(can_review_applications)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = PartnerApplication.objects.get_for(user, pk=pk)
    approve = ApproveApplicationForm(
        request.POST if request.POST.get("decision") == "approve" else None,
        initial={"region": application.region_id, "tier": Tier.objects.order_by("rank").first()},
        prefix="approve",
        actor=user,
    )
    reject = RejectApplicationForm(
        request.POST if request.POST.get("decision") == "reject" else None, prefix="reject"
    )
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve" and approve.is_valid():
                data = approve.cleaned_data
                partner = actions.approve_application(
                    user,
                    application,
                    tier=data["tier"],
                    region=data["region"],
                    parent=data["parent"],
                    note=data["note"],
                )
                messages.success(
                    request,
                    _("%(name)s is approved; %(email)s is invited as its partner admin.")
                    % {"name": partner, "email": application.contact_email},
                )
                return redirect(partner)
            if request.POST.get("decision") == "reject" and reject.is_valid():
                actions.reject_application(user, application, note=reject.cleaned_data["note"])
                messages.success(
                    request, _("The application is rejected and the applicant is told why.")
                )
                return redirect("orgs:application_list")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(application)
    acceptance = TermsAcceptance.objects.filter(
        terms=application.terms, email=application.contact_email
    ).first()
    return render(
        request,
        "orgs/application_detail.html",
        {
            "application": application,
            "approve": approve,
            "reject": reject,
            "acceptance": acceptance,
        },
    )


# --- invitations ------------------------------------------------------------------------------------------------
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "orgs/invitation_invalid.html", {"reason": "invalid"}, status=404)
    if invitation.accepted_at is not None:
        return render(request, "orgs/invitation_invalid.html", {"reason": "used"}, status=410)
    if not invitation.is_usable or not invitation.user.is_active:
        return render(
            request,
            "orgs/invitation_invalid.html",
            {"reason": "expired", "invitation": invitation},
            status=410,
        )
    person = invitation.user
    form = AcceptInvitationForm(
        request.POST or None,
        user=person,
        initial={"name": person.name, "language": person.language, "time_zone": person.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.accept_invitation(
                invitation.pk, name=data["name"], password=data["password"],
                language=data["language"], time_zone=data["time_zone"],
            )  # fmt: skip
        except ValidationError:
            return render(request, "orgs/invitation_invalid.html", {"reason": "used"}, status=410)
        login(request, person, backend="touchpoint.orgs.backends.AuthenticationBackend")
        messages.success(
            request, _("Welcome to %(portal)s!") % {"portal": get_portal(request).name}
        )
        return redirect("home")
    return render(
        request,
        "orgs/invitation_accept.html",
        {"form": form, "invitation": invitation, "person": person},
    )


# --- program terms ------------------------------------------------------------------------------------------------
def terms(request: HttpRequest) -> HttpResponse:
    current = ProgramTerms.current()
    accepted = None
    if current and request.user.is_authenticated:
        accepted = TermsAcceptance.objects.filter(terms=current, user=request.user).first()
    return render(request, "orgs/terms.html", {"terms": current, "accepted": accepted})


@login_required
@require_POST
def terms_accept(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    current = ProgramTerms.current()
    if current is None or request.POST.get("version") != current.version:
        messages.error(
            request,
            _("The terms changed while you were reading; please review the current version."),
        )
        return redirect("orgs:terms")
    actions.accept_terms(user, current, client_ip(request))
    messages.success(request, _("Thank you: you accepted version %(v)s.") % {"v": current.version})
    return redirect("home")


@require(is_portal_admin)
def terms_manage(request: HttpRequest) -> HttpResponse:
    form = TermsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.publish_terms(signed_in(request), form.save(commit=False))
        messages.success(
            request, _("The new terms are published; partner admins are asked to accept them.")
        )
        return redirect("orgs:terms_manage")
    versions = ProgramTerms.objects.annotate(n=Count("acceptances"))
    return render(request, "orgs/terms_manage.html", {"form": form, "versions": versions})


# --- audiences -----------------------------------------------------------------------------------
@require(can_build_audiences)
def audience_list(request: HttpRequest) -> HttpResponse:
    audiences = Audience.objects.exclude(name="").prefetch_related(
        "tiers", "regions", "job_roles", "groups", "partners"
    )
    return render(request, "orgs/audience_list.html", {"page": page_of(request, audiences)})


@require(can_build_audiences)
def audience_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in(request)
    audience = Audience.objects.get_for(user, manage=True, pk=pk) if pk else None
    form = AudienceForm(request.POST or None, instance=audience, actor=user)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_audience(
            user, audience, name=form.cleaned_data["name"], criteria=form.criteria()
        )
        messages.success(request, _("The audience is saved."))
        return redirect(saved.get_absolute_url())
    return render(request, "orgs/audience_form.html", {"form": form, "audience": audience})


@require(can_build_audiences)
@require_POST
def audience_preview(request: HttpRequest) -> HttpResponse:
    """Live reach count while an audience is being edited (htmx); nothing is saved."""
    form = AudienceForm(request.POST, actor=signed_in(request))
    reach = (
        _reach(User.objects.filter(criteria_user_q(form.criteria()))) if form.is_valid() else None
    )
    return render(request, "orgs/_audience_reach.html", {"reach": reach})


def _reach(people: QuerySet[User]) -> dict[str, int]:
    return people.aggregate(people=Count("pk"), partners=Count("partner", distinct=True))


@require(can_build_audiences)
def audience_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audience = Audience.objects.get_for(signed_in(request), pk=pk)
    people = (
        users_reached(audience)
        .select_related("partner", "job_role")
        .order_by("partner__name", "name")
    )
    return render(
        request,
        "orgs/audience_detail.html",
        {"audience": audience, "reach": _reach(people), "page": page_of(request, people)},
    )
