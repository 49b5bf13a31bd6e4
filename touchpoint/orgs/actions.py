"""Writes about organisations and people. Each action validates, runs in one transaction,
leaves an audit entry, and queues email only once the transaction has committed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from touchpoint.kernel import audit
from touchpoint.kernel.activity import record_event
from touchpoint.kernel.notifications import APPROVALS, TEAM, notify
from touchpoint.orgs import headcounts
from touchpoint.orgs.audience import Criteria
from touchpoint.orgs.hooks import people_changed
from touchpoint.orgs.models import (
    MAX_HIERARCHY_DEPTH,
    ApplicationStatus,
    Audience,
    ChannelAssignment,
    Department,
    Invitation,
    JobRole,
    Partner,
    PartnerApplication,
    PartnerRole,
    PeopleGroup,
    ProgramTerms,
    Region,
    StaffRole,
    StaffRoleKind,
    TermsAcceptance,
    Tier,
    User,
)

PARTNER_FIELDS = (
    "name", "kind", "tier", "region", "country", "city", "parent", "external_id",
    "website", "phone", "email_domain", "is_active",
)  # fmt: skip
PERSON_FIELDS = ("name", "email", "partner", "partner_role", "job_role", "title", "is_active")


# --- partners --------------------------------------------------------------------------------
def _prepare_partner(partner: Partner) -> None:
    if partner.is_location:
        partner.tier = None  # a location always takes its parent's tier
    partner.depth = partner.parent.depth + 1 if partner.parent else 0
    partner.full_clean()


@transaction.atomic
def create_partner(actor: Any, partner: Partner) -> Partner:
    _prepare_partner(partner)
    partner.save()
    headcounts.refresh([partner.pk])
    audit.record(actor, "partner.created", partner, after=audit.snapshot(partner, PARTNER_FIELDS))
    return partner


@transaction.atomic
def update_partner(actor: Any, partner: Partner, before: dict[str, Any]) -> Partner:
    """Save changes already applied to `partner` (e.g. by a ModelForm); `before` is the
    snapshot taken before they were applied."""
    _prepare_partner(partner)
    children = Partner.objects.filter(parent=partner)
    if partner.is_location and children.exists():
        raise ValidationError(
            {"kind": _("This partner has partners under it, so it cannot be a location.")}
        )
    if (
        partner.depth
        + (2 if children.filter(children__isnull=False).exists() else 1 if children.exists() else 0)
        >= MAX_HIERARCHY_DEPTH
    ):
        raise ValidationError(
            {"parent": _("Hierarchies are at most three levels: distributor, dealer, location.")}
        )
    partner.save()
    # A move up or down the tree shifts everything under the partner with it.
    children.update(depth=partner.depth + 1)
    Partner.objects.filter(parent__parent=partner).update(depth=partner.depth + 2)
    after = audit.snapshot(partner, PARTNER_FIELDS)
    if after != before:
        audit.record(actor, "partner.updated", partner, before=before, after=after)
        targeting = ("kind", "tier", "region", "country", "parent", "is_active")
        if any(before.get(f) != after.get(f) for f in targeting):
            # Its people (and its locations') may now match other rules.
            people_changed(
                User.objects.filter(
                    partner__in=Partner.objects.with_descendants_of([partner.pk])
                ).values_list("pk", flat=True)
            )
    return partner


# --- people and invitations ----------------------------------------------------------------------
def _check_new_email(email: str) -> str:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s already has an account.") % {"email": email}})
    return email


def _issue_invitation(person: User, invited_by: Any) -> Invitation:
    now = timezone.now()
    Invitation.objects.filter(
        user=person, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        user=person, invited_by=invited_by if invited_by else None
    )
    from touchpoint.orgs.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def invite_person(
    actor: Any,
    *,
    email: str,
    name: str,
    partner: Partner,
    partner_role: str = PartnerRole.MEMBER,
    job_role: JobRole | None = None,
    title: str = "",
    language: str = "en",
    send_email: bool = True,
) -> User:
    """Create a partner person's account (no password yet) and email them an invitation."""
    person = User(
        email=_check_new_email(email),
        name=name.strip(),
        partner=partner,
        partner_role=partner_role,
        job_role=job_role,
        title=title,
        language=language,
    )
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)
    audit.record(actor, "person.invited", person, after=audit.snapshot(person, PERSON_FIELDS))
    headcounts.refresh([partner.pk])
    people_changed([person.pk])  # auto-enrolment rules that reach them
    if send_email:
        _issue_invitation(person, actor)
    return person


@transaction.atomic
def invite_staff(
    actor: Any,
    *,
    email: str,
    name: str,
    roles: dict[str, Department | None],
    partners: Iterable[Partner] = (),
    regions: Iterable[Region] = (),
    language: str = "en",
) -> User:
    """Create a vendor-staff account with roles (a channel manager with the partners and
    regions they look after) and email an invitation."""
    person = User(email=_check_new_email(email), name=name.strip(), language=language)
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)
    _replace_staff_roles(person, roles)
    _replace_assignments(person, roles, partners, regions)
    audit.record(
        actor,
        "staff.invited",
        person,
        after={"email": person.email, "name": person.name, "roles": sorted(roles)},
    )
    _issue_invitation(person, actor)
    return person


@transaction.atomic
def resend_invitation(actor: Any, person: User) -> Invitation:
    if person.activated_at is not None:
        raise ValidationError(_("%(name)s has already joined.") % {"name": person})
    if not person.is_active:
        raise ValidationError(
            _("Reactivate %(name)s before inviting them again.") % {"name": person}
        )
    invitation = _issue_invitation(person, actor)
    audit.record(actor, "person.invitation_resent", person)
    return invitation


@transaction.atomic
def accept_invitation(
    invitation_id: int, *, name: str, password: str, language: str, time_zone: str
) -> User:
    """Set the invited person's password and profile; the invitation is then spent.

    The row lock makes a double submit (two tabs, a double click) accept exactly once."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable or not invitation.user.is_active:
        raise ValidationError(_("This invitation link has already been used or has expired."))
    person = invitation.user
    person.name = name.strip()
    person.language = language
    person.time_zone = time_zone
    person.set_password(password)
    person.activated_at = timezone.now()
    person.full_clean(exclude=["password"])
    person.save()
    invitation.accepted_at = person.activated_at
    invitation.save(update_fields=["accepted_at"])
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    audit.record(person, "person.joined", person)
    headcounts.refresh([person.partner_id])
    record_event(person, "registered", person.partner or person, name=str(person.partner or ""))
    if invitation.invited_by and invitation.invited_by_id != person.pk:
        notify(
            [invitation.invited_by],
            TEAM.code,
            gettext_lazy("%(name)s accepted your invitation"),
            params={"name": person.name or person.email},
            url=person.get_absolute_url(),
        )
    return person


def _ensure_other_admin(person: User) -> None:
    """A company keeps at least one active partner admin."""
    if not person.is_partner_admin or not person.is_active or person.partner_id is None:
        return
    others = User.objects.filter(
        partner_id=person.partner_id, partner_role=PartnerRole.ADMIN, is_active=True
    ).exclude(pk=person.pk)
    if not others.exists():
        raise ValidationError(
            _("%(name)s is the only partner admin of %(partner)s; make someone else admin first.")
            % {"name": person, "partner": person.partner}
        )


@transaction.atomic
def update_person(actor: Any, person: User, before: dict[str, Any]) -> User:
    """Save role and profile changes already applied to `person` (e.g. by a form)."""
    original = User.objects.select_for_update().get(pk=person.pk)
    if original.is_partner_admin and person.partner_role != PartnerRole.ADMIN:
        _ensure_other_admin(original)
    person.full_clean(exclude=["password"])
    person.save()
    headcounts.refresh([original.partner_id, person.partner_id])
    if (original.partner_id, original.job_role_id) != (person.partner_id, person.job_role_id):
        people_changed([person.pk])
    after = audit.snapshot(person, PERSON_FIELDS)
    if after != before:
        audit.record(actor, "person.updated", person, before=before, after=after)
    return person


@transaction.atomic
def deactivate_person(actor: Any, person: User) -> User:
    """Switch the account off: no sign-in, no API tokens, no open invitation. Nothing is
    deleted, so history and reports keep their people."""
    from touchpoint.kernel.models import ApiToken

    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        return person
    _ensure_other_admin(person)
    now = timezone.now()
    person.is_active = False
    person.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=person, revoked_at__isnull=True).update(revoked_at=now)
    Invitation.objects.filter(
        user=person, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    audit.record(
        actor, "person.deactivated", person, before={"is_active": True}, after={"is_active": False}
    )
    headcounts.refresh([person.partner_id])
    return person


@transaction.atomic
def reactivate_person(actor: Any, person: User) -> User:
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_active:
        return person
    if person.partner and not person.partner.is_active:
        raise ValidationError(_("%(partner)s is inactive.") % {"partner": person.partner})
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit.record(
        actor, "person.reactivated", person, before={"is_active": False}, after={"is_active": True}
    )
    headcounts.refresh([person.partner_id])
    people_changed([person.pk])
    return person


# --- staff roles and channel assignments ---------------------------------------------------------
def _replace_staff_roles(person: User, roles: dict[str, Department | None]) -> None:
    unknown = set(roles) - set(StaffRoleKind.values)
    if unknown:
        raise ValidationError(_("Unknown roles: %(r)s") % {"r": ", ".join(sorted(unknown))})
    if StaffRoleKind.CONTENT_OWNER in roles and roles[StaffRoleKind.CONTENT_OWNER] is None:
        raise ValidationError({"department": _("A content owner needs a department.")})
    StaffRole.objects.filter(user=person).exclude(role__in=list(roles)).delete()
    for role, department in roles.items():
        StaffRole.objects.update_or_create(
            user=person,
            role=role,
            defaults={"department": department if role == StaffRoleKind.CONTENT_OWNER else None},
        )
    person.__dict__.pop("roles_held", None)


def _replace_assignments(
    person: User,
    roles: dict[str, Department | None],
    partners: Iterable[Partner],
    regions: Iterable[Region],
) -> None:
    """Only a channel manager looks after partners and regions."""
    partners, regions = list(partners), list(regions)
    if StaffRoleKind.CHANNEL_MANAGER not in roles:
        partners, regions = [], []
    ChannelAssignment.objects.filter(manager=person).delete()
    ChannelAssignment.objects.bulk_create(
        [ChannelAssignment(manager=person, partner=p) for p in partners]
        + [ChannelAssignment(manager=person, region=r) for r in regions]
    )


@transaction.atomic
def set_staff_roles(
    actor: Any,
    person: User,
    *,
    roles: dict[str, Department | None],
    partners: Iterable[Partner] = (),
    regions: Iterable[Region] = (),
) -> User:
    if not person.is_vendor:
        raise ValidationError(_("Only vendor staff hold staff roles."))
    if person.pk == actor.pk and StaffRoleKind.PORTAL_ADMIN not in roles and actor.is_portal_admin:
        raise ValidationError(_("You cannot remove your own portal admin role."))
    if StaffRoleKind.PORTAL_ADMIN not in roles and person.has_staff_role(
        StaffRoleKind.PORTAL_ADMIN
    ):
        remaining = StaffRole.objects.filter(
            role=StaffRoleKind.PORTAL_ADMIN, user__is_active=True
        ).exclude(user=person)
        if not remaining.exists():
            raise ValidationError(_("The portal needs at least one portal admin."))
    before = _staff_snapshot(person)
    _replace_staff_roles(person, roles)
    _replace_assignments(person, roles, partners, regions)
    after = _staff_snapshot(person)
    if after != before:
        audit.record(actor, "staff.roles_changed", person, before=before, after=after)
        from touchpoint.kernel.notifications import ACCOUNT

        notify(
            [person],
            ACCOUNT.code,
            gettext_lazy("Your roles in the portal changed"),
            body=gettext_lazy("Your roles are now: %(roles)s"),
            params={"roles": ", ".join(after["roles"]) or "—"},
            url="/",
        )
    return person


def _staff_snapshot(person: User) -> dict[str, Any]:
    roles = StaffRole.objects.filter(user=person).select_related("department")
    assignments = ChannelAssignment.objects.filter(manager=person).select_related(
        "partner", "region"
    )
    return {
        "roles": sorted(
            f"{r.get_role_display()}" + (f" ({r.department})" if r.department else "")
            for r in roles
        ),
        "assignments": sorted(str(a.partner or a.region) for a in assignments),
    }


# --- channel reference data ---------------------------------------------------------------------
@transaction.atomic
def save_reference(actor: Any, obj: Tier | Region | JobRole | Department | PeopleGroup) -> Any:
    """Create or rename a tier, region, job role, department or group, with an audit entry."""
    creating = obj.pk is None
    label = obj._meta.model_name
    before = {} if creating else {"name": str(type(obj).objects.get(pk=obj.pk))}
    obj.full_clean()
    obj.save()
    audit.record(
        actor,
        f"{label}.{'created' if creating else 'updated'}",
        obj,
        before=before,
        after={"name": str(obj)},
    )
    return obj


@transaction.atomic
def set_group_members(actor: Any, group: PeopleGroup, members: Iterable[User]) -> PeopleGroup:
    before = sorted(group.members.values_list("email", flat=True))
    group.members.set(members)
    after = sorted(group.members.values_list("email", flat=True))
    if before != after:
        audit.record(
            actor,
            "peoplegroup.members_changed",
            group,
            before={"members": before},
            after={"members": after},
        )
    return group


# --- program terms ---------------------------------------------------------------------------------
@transaction.atomic
def publish_terms(actor: Any, terms: ProgramTerms) -> ProgramTerms:
    from touchpoint.kernel.html import sanitise

    terms.body = sanitise(terms.body)
    terms.created_by = actor
    terms.full_clean()
    terms.save()
    audit.record(
        actor, "terms.published", terms, after={"version": terms.version, "title": terms.title}
    )
    from touchpoint.kernel.notifications import PROGRAM

    if terms.published_at <= timezone.now():
        admins = User.objects.filter(
            partner_role=PartnerRole.ADMIN, is_active=True, partner__is_active=True
        )
        notify(
            admins,
            PROGRAM.code,
            gettext_lazy("New program terms to accept: %(title)s (%(version)s)"),
            params={"title": terms.title, "version": terms.version},
            url="/terms/",
        )
    return terms


@transaction.atomic
def accept_terms(user: User, terms: ProgramTerms, ip: str | None) -> TermsAcceptance:
    acceptance, created = TermsAcceptance.objects.get_or_create(
        terms=terms,
        user=user,
        defaults={"email": user.email, "partner": user.partner, "ip": ip},
    )
    if created:
        audit.record(user, "terms.accepted", terms, partner=user.partner)
        record_event(user, "accepted", terms)
    return acceptance


# --- partner applications ----------------------------------------------------------------------------
def region_for_country(country_code: str) -> Region | None:
    for region in Region.objects.all():
        if country_code.upper() in region.country_codes:
            return region
    return None


def application_reviewers(application: PartnerApplication) -> list[User]:
    managers = User.objects.filter(
        is_active=True, staffrole__role=StaffRoleKind.CHANNEL_MANAGER, partner__isnull=True
    )
    if application.region_id:
        managers = managers.filter(channel_assignments__region=application.region_id)
    reviewers = list(managers.distinct())
    if not reviewers:
        reviewers = list(
            User.objects.filter(
                is_active=True, staffrole__role=StaffRoleKind.PORTAL_ADMIN
            ).distinct()
        )
    return reviewers


@transaction.atomic
def submit_application(application: PartnerApplication, *, ip: str | None) -> PartnerApplication:
    """A prospective partner applies; the terms they accepted are recorded with the version."""
    email = application.contact_email.strip().lower()
    application.contact_email = email
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "contact_email": _(
                    "This email already has an account. Sign in, or use another address."
                )
            }
        )
    if PartnerApplication.objects.filter(
        contact_email__iexact=email, status=ApplicationStatus.PENDING
    ).exists():
        raise ValidationError(
            {"contact_email": _("An application from this email is already waiting for review.")}
        )
    application.region = region_for_country(str(application.country))
    application.ip = ip
    application.full_clean()
    application.save()
    TermsAcceptance.objects.create(terms=application.terms, email=email, ip=ip)
    audit.record(
        None,
        "application.submitted",
        application,
        after={"company": application.company_name, "email": email},
    )
    notify(
        application_reviewers(application),
        APPROVALS.code,
        gettext_lazy("New partner application: %(company)s"),
        body=gettext_lazy("%(name)s applied for %(company)s (%(country)s)."),
        params={
            "company": application.company_name,
            "name": application.contact_name,
            "country": countries.name(application.country),
        },
        url=application.get_absolute_url(),
    )
    from touchpoint.orgs.tasks import send_application_received

    transaction.on_commit(lambda: send_application_received.enqueue(application.pk))
    return application


def _lock_pending(application: PartnerApplication) -> PartnerApplication:
    locked = PartnerApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application was already decided."))
    return locked


@transaction.atomic
def approve_application(
    actor: User,
    application: PartnerApplication,
    *,
    tier: Tier | None,
    region: Region | None,
    parent: Partner | None = None,
    note: str = "",
) -> Partner:
    """Create the partner from the application and invite its contact as partner admin."""
    application = _lock_pending(application)
    partner = create_partner(
        actor,
        Partner(
            name=application.company_name,
            kind=application.kind,
            tier=tier,
            region=region,
            country=application.country,
            city=application.city,
            parent=parent,
            website=application.website,
            phone=application.contact_phone,
            email_domain=application.contact_email.rsplit("@", 1)[-1],
        ),
    )
    if actor.has_staff_role(StaffRoleKind.CHANNEL_MANAGER) and not actor.is_portal_admin:
        ChannelAssignment.objects.get_or_create(manager=actor, partner=partner)
    management = JobRole.objects.filter(code="management").first()
    invite_person(
        actor,
        email=application.contact_email,
        name=application.contact_name,
        partner=partner,
        partner_role=PartnerRole.ADMIN,
        job_role=management,
        language=application.language,
    )
    TermsAcceptance.objects.filter(
        terms=application.terms, email=application.contact_email, partner__isnull=True
    ).update(partner=partner)
    application.status = ApplicationStatus.APPROVED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_note = note
    application.partner = partner
    application.region = region
    application.save()
    audit.record(
        actor, "application.approved", application, partner=partner, after={"partner": partner.name}
    )
    return partner


@transaction.atomic
def reject_application(
    actor: User, application: PartnerApplication, *, note: str
) -> PartnerApplication:
    if not note.strip():
        raise ValidationError({"decision_note": _("Tell the applicant why, in a sentence or two.")})
    application = _lock_pending(application)
    application.status = ApplicationStatus.REJECTED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_note = note.strip()
    application.save()
    audit.record(
        actor, "application.rejected", application, after={"note": application.decision_note}
    )
    from touchpoint.orgs.tasks import send_application_rejection

    transaction.on_commit(lambda: send_application_rejection.enqueue(application.pk))
    return application


# --- profile and audiences -----------------------------------------------------------------
PROFILE_FIELDS = ("name", "title", "language", "time_zone")


@transaction.atomic
def update_profile(user: User, **changes: Any) -> User:
    """A person changes their own name, title, language or time zone."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    before = audit.snapshot(user, PROFILE_FIELDS)
    for field, value in changes.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(changes))
    after = audit.snapshot(user, PROFILE_FIELDS)
    if before != after:
        audit.record(user, "profile.updated", user, before=before, after=after)
    return user


@transaction.atomic
def set_language(user: User, language: str) -> User:
    """The language switch in the footer, remembered for a signed-in person."""
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit.record(user, "profile.updated", user, before={"language": before},
                     after={"language": language})  # fmt: skip
    return user


AUDIENCE_FIELDS = (
    "name",
    "partner_kinds",
    "countries",
    "tiers",
    "regions",
    "partners",
    "job_roles",
    "groups",
)


@transaction.atomic
def save_audience(
    actor: User, audience: Audience | None, *, name: str, criteria: Criteria
) -> Audience:
    """Create or change an audience: its name and its targeting values."""
    creating = audience is None
    audience = audience or Audience(created_by=actor)
    before = {} if creating else audit.snapshot(audience, AUDIENCE_FIELDS)
    audience.name = name.strip()
    audience.kind_codes = criteria.kinds
    audience.country_codes = criteria.countries
    audience.full_clean()
    audience.save()
    audience.tiers.set(criteria.tiers)
    audience.regions.set(criteria.regions)
    audience.partners.set(criteria.partners)
    audience.job_roles.set(criteria.job_roles)
    audience.groups.set(criteria.groups)
    after = audit.snapshot(audience, AUDIENCE_FIELDS)
    audit.record(
        actor,
        "audience.created" if creating else "audience.updated",
        audience,
        before=before,
        after=after,
    )
    return audience
