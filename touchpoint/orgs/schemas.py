"""API shapes for partners and people."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from touchpoint.orgs.models import Partner, PartnerKind, PartnerRole, User


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
    name: str = Field(max_length=200)
    type: PartnerKind
    country: str = Field(min_length=2, max_length=2)
    tier: str | None = Field(None, description="Tier name, e.g. Gold")
    region: str | None = Field(None, description="Region name")
    city: str = ""
    parent_id: int | None = None
    partner_number: str | None = Field(None, max_length=64)
    website: str = ""
    phone: str = Field("", max_length=40)


class PartnerPatch(Schema):
    name: str | None = Field(None, max_length=200)
    tier: str | None = None
    region: str | None = None
    city: str | None = None
    website: str | None = None
    phone: str | None = Field(None, max_length=40)
    is_active: bool | None = None


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
    email: str = Field(max_length=254)
    name: str = Field(max_length=150)
    partner_id: int
    access: PartnerRole = PartnerRole.MEMBER
    job_role: str | None = Field(None, description="Job role code, e.g. service")
    title: str = ""
    language: str = "en"
    send_invitation: bool = True
