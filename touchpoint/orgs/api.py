"""API endpoints for partner organisations and people, scoped exactly like the screens.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from touchpoint.kernel import audit
from touchpoint.kernel.apischema import Paging, errors, text
from touchpoint.orgs import actions
from touchpoint.orgs.access import api_user, regions_placeable_by, require_scope
from touchpoint.orgs.models import STATUS_Q, JobRole, Partner, Region, Tier, User
from touchpoint.orgs.schemas import PartnerIn, PartnerOut, PartnerPatch, UserIn, UserOut

Named = TypeVar("Named", Tier, Region)

me_router = Router(tags=["me"])
orgs_router = Router(tags=["orgs"])
users_router = Router(tags=["users"])


class PartnerFilters(Schema):
    type: str = text("", description="A partner type, e.g. dealer")
    tier: str = text("", description="A tier name, e.g. Gold")
    region: str = text("", description="A region name")
    q: str = text("", description="Words in the partner's name")


class UserFilters(Schema):
    partner_id: int | None = None
    job_role: str = text("", description="A job role code, e.g. service")
    status: str = text("", description="active, invited or deactivated")
    q: str = text("", description="Words in the person's name or email")


def _named(choices: QuerySet[Named], name: str | None) -> Named | None:
    """The tier or region of that name among those the caller may choose: the same rule as
    the partner form's choices, and the same answer for a missing and a forbidden one."""
    if not name:
        return None
    found = choices.filter(name__iexact=name).first()
    if found is None:
        field = str(choices.model._meta.model_name)
        raise ValidationError({field: f"Unknown {field} '{name}'"})
    return found


@orgs_router.get(
    "", response={200: list[PartnerOut], **errors(422)}, summary="Partners you can see"
)
@paginate(Paging)
def list_orgs(request: HttpRequest, filters: Query[PartnerFilters]) -> list[PartnerOut]:
    user = require_scope(request, "orgs:read")
    partners = Partner.objects.visible_to(user).select_related("tier", "region", "parent__tier")
    if filters.type:
        partners = partners.filter(kind=filters.type)
    if filters.tier:
        partners = partners.filter(
            Q(tier__name__iexact=filters.tier)
            | Q(parent__tier__name__iexact=filters.tier, kind="location")
        )
    if filters.region:
        partners = partners.filter(region__name__iexact=filters.region)
    if filters.q:
        partners = partners.filter(name__icontains=filters.q)
    return [PartnerOut.of(p) for p in partners.order_by("pk")]


@orgs_router.get("/{int:org_id}", response={200: PartnerOut, **errors(404)}, summary="A partner")
def get_org(request: HttpRequest, org_id: int) -> PartnerOut:
    user = require_scope(request, "orgs:read")
    return PartnerOut.of(Partner.objects.get_for(user, pk=org_id))


@orgs_router.post(
    "",
    response={201: PartnerOut, **errors(400, 404, 422)},
    summary="Create a partner (portal admins)",
)
def create_org(request: HttpRequest, payload: PartnerIn) -> Status:
    user = require_scope(request, "orgs:write")
    if not user.is_portal_admin:
        raise HttpError(403, "Only portal admins create partners.")
    parent = Partner.objects.get_for(user, pk=payload.parent_id) if payload.parent_id else None
    regions = regions_placeable_by(Region.objects.all(), user)
    partner = actions.create_partner(
        user,
        Partner(
            name=payload.name, kind=payload.type, country=payload.country.upper(),
            tier=_named(Tier.objects.all(), payload.tier), region=_named(regions, payload.region),
            city=payload.city, parent=parent, external_id=payload.partner_number or None,
            website=payload.website, phone=payload.phone,
        ),
    )  # fmt: skip
    return Status(201, PartnerOut.of(partner))


@orgs_router.patch(
    "/{int:org_id}",
    response={200: PartnerOut, **errors(400, 404, 422)},
    summary="Change a partner you manage",
)
def update_org(request: HttpRequest, org_id: int, payload: PartnerPatch) -> PartnerOut:
    user = require_scope(request, "orgs:write")
    partner = Partner.objects.get_for(user, manage=True, pk=org_id)
    before = audit.snapshot(partner, actions.PARTNER_FIELDS)
    changes = payload.dict(exclude_unset=True)
    if ("tier" in changes or "region" in changes or "is_active" in changes) and not user.is_vendor:
        raise HttpError(403, "Tier, region and status are set by the vendor.")
    if "tier" in changes:
        partner.tier = _named(Tier.objects.all(), changes.pop("tier"))
    if "region" in changes:
        partner.region = _named(
            regions_placeable_by(Region.objects.all(), user), changes.pop("region")
        )
    for field, value in changes.items():
        setattr(partner, field, value)
    return PartnerOut.of(actions.update_partner(user, partner, before))


@users_router.get(
    "", response={200: list[UserOut], **errors(404, 422)}, summary="People you can see"
)
@paginate(Paging)
def list_users(request: HttpRequest, filters: Query[UserFilters]) -> list[UserOut]:
    user = require_scope(request, "users:read")
    people = User.objects.visible_to(user).select_related("job_role")
    if filters.partner_id:
        people = people.filter(partner=Partner.objects.get_for(user, pk=filters.partner_id))
    if filters.job_role:
        people = people.filter(job_role__code=filters.job_role)
    if filters.status in STATUS_Q:
        people = people.filter(STATUS_Q[filters.status])
    if filters.q:
        people = people.filter(Q(name__icontains=filters.q) | Q(email__icontains=filters.q))
    return [UserOut.of(u) for u in people.prefetch_related("staffrole_set").order_by("pk")]


@users_router.get("/{int:user_id}", response={200: UserOut, **errors(404)}, summary="A person")
def get_user(request: HttpRequest, user_id: int) -> UserOut:
    user = require_scope(request, "users:read")
    return UserOut.of(User.objects.get_for(user, pk=user_id))


@users_router.post(
    "",
    response={201: UserOut, **errors(400, 404, 422)},
    summary="Invite a person to a partner you manage",
)
def invite_user(request: HttpRequest, payload: UserIn) -> Status:
    user = require_scope(request, "users:write")
    partner = Partner.objects.get_for(user, manage=True, pk=payload.partner_id)
    job_role = None
    if payload.job_role:
        job_role = JobRole.objects.filter(code=payload.job_role).first()
        if job_role is None:
            raise ValidationError({"job_role": f"Unknown job role '{payload.job_role}'"})
    person = actions.invite_person(
        user, email=payload.email, name=payload.name, partner=partner, partner_role=payload.access,
        job_role=job_role, title=payload.title, language=payload.language,
        send_email=payload.send_invitation,
    )  # fmt: skip
    return Status(201, UserOut.of(person))


@users_router.post(
    "/{int:user_id}/deactivate",
    response={200: UserOut, **errors(404)},
    summary="Switch a person's account off",
)
def deactivate_user(request: HttpRequest, user_id: int) -> UserOut:
    user = require_scope(request, "users:write")
    person = User.objects.get_for(user, manage=True, pk=user_id)
    return UserOut.of(actions.deactivate_person(user, person))


@me_router.get(
    "/me", response={200: UserOut, **errors()}, summary="The person the token or session acts as"
)
def me(request: HttpRequest) -> UserOut:
    return UserOut.of(api_user(request))
