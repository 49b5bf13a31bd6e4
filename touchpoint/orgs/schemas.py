"""API shapes for partners and people."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from touchpoint.kernel.apischema import model_field
from touchpoint.orgs.models import JobRole, Partner, PartnerRole, Region, Tier, User


class PartnerOut(Schema):
    id: int
    name: str
    type: str = Field(
        description="distributor, dealer, reseller, franchise, installer, service_partner or location"
    )
    tier: str | None
    region: str | None
    country: str = Field(description="ISO 3166-1 alpha-2 code")
    city: str
    parent_id: int | None
    partner_number: str | None
    website: str
    phone: str
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, p: Partner) -> PartnerOut:
        tier = p.effective_tier
        return cls(
            id=p.pk, name=p.name, type=p.kind, tier=tier.name if tier else None,
            region=p.region.name if p.region else None, country=str(p.country), city=p.city,
            parent_id=p.parent_id, partner_number=p.external_id, website=p.website,
            phone=p.phone, is_active=p.is_active, created_at=p.created_at,
        )  # fmt: skip


class PartnerIn(Schema):
    name: str = model_field(Partner, "name")
    type: str = model_field(Partner, "kind")
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code")
    tier: str | None = model_field(Tier, "name", None, description="Tier name, e.g. Gold")
    region: str | None = model_field(Region, "name", None, description="Region name")
    city: str = model_field(Partner, "city", "")
    parent_id: int | None = None
    partner_number: str | None = model_field(Partner, "external_id", None)
    website: str = model_field(Partner, "website", "")
    phone: str = model_field(Partner, "phone", "")


class PartnerPatch(Schema):
    """Only the fields sent change; a field may be left out but not be null (tier and region
    may: null takes the partner out of any tier or region)."""

    name: str = model_field(Partner, "name", unchanged_when_omitted=True)
    tier: str | None = model_field(Tier, "name", None, description="Tier name, e.g. Gold")
    region: str | None = model_field(Region, "name", None, description="Region name")
    city: str = model_field(Partner, "city", unchanged_when_omitted=True)
    website: str = model_field(Partner, "website", unchanged_when_omitted=True)
    phone: str = model_field(Partner, "phone", unchanged_when_omitted=True)
    is_active: bool = model_field(Partner, "is_active", unchanged_when_omitted=True)


class UserOut(Schema):
    id: int
    email: str
    name: str
    partner_id: int | None = Field(description="Null for vendor staff")
    access: str | None = Field(description="Partner role: admin, manager or member")
    job_role: str | None
    title: str
    language: str
    time_zone: str
    status: str = Field(description="active, invited or deactivated")
    staff_roles: list[str]

    @classmethod
    def of(cls, u: User) -> UserOut:
        return cls(
            id=u.pk, email=u.email, name=u.name, partner_id=u.partner_id,
            access=u.partner_role or None, job_role=u.job_role.code if u.job_role else None,
            title=u.title, language=u.language, time_zone=u.time_zone, status=u.status,
            staff_roles=sorted(u.staff_roles),
        )  # fmt: skip


class UserIn(Schema):
    email: str = model_field(User, "email")
    name: str = model_field(User, "name")
    partner_id: int
    access: PartnerRole = PartnerRole.MEMBER
    job_role: str | None = model_field(
        JobRole, "code", None, description="Job role code, e.g. service"
    )
    title: str = model_field(User, "title", "")
    language: str = model_field(User, "language", "en")
    send_invitation: bool = True
