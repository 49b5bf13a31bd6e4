"""Audience targeting: which people an audience reaches, and which audiences reach a person.

Both directions are single SQL filters, so a module can ask "items for this person" or
"people for this item" over any number of rows without looping in Python:

    Announcement.objects.filter(for_user_q(user))       # items whose audience includes user
    users_reached(announcement.audience)                  # QuerySet of people reached

Rules: values within one dimension are alternatives (Gold OR Platinum); dimensions combine
(Gold dealers AND service techs). A location counts as its parent's type and tier, and a
partner listed in an audience brings its locations and, for a distributor, its dealers.
An audience with no criteria (or no audience at all) reaches every active partner person;
a group reaches its members, vendor staff included. Vendor staff see every item in the
screens where they manage them, so `is_for(None, staff)` is true as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet

from touchpoint.orgs.models import Audience, PartnerKind, PeopleGroup, User

# Audience M2M dimensions: (through-table accessor, through column, what it matches on a user).
_M2M = {
    "tiers": "tier_id",
    "regions": "region_id",
    "partners": "partner_id",
    "job_roles": "jobrole_id",
    "groups": "peoplegroup_id",
}


def _through(dimension: str) -> Any:
    """The M2M join table of one audience dimension (its model class)."""
    return getattr(Audience, dimension).through


@dataclass(frozen=True)
class Criteria:
    """An audience's targeting values, from a saved audience or a form being edited."""

    kinds: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    tiers: list[int] = field(default_factory=list)
    regions: list[int] = field(default_factory=list)
    partners: list[int] = field(default_factory=list)
    job_roles: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, audience: Audience) -> Criteria:
        ids = {
            dim: list(_through(dim).objects.filter(audience=audience).values_list(col, flat=True))
            for dim, col in _M2M.items()
        }
        return cls(kinds=audience.kind_codes, countries=audience.country_codes, **ids)


def criteria_user_q(c: Criteria) -> Q:
    """A Q over User for the people these criteria reach (active people only)."""
    location = Q(partner__kind=PartnerKind.LOCATION)
    q = Q(is_active=True)
    partner_dims = bool(c.kinds or c.countries or c.tiers or c.regions or c.partners or c.job_roles)
    if partner_dims or not c.groups:
        q &= Q(partner__isnull=False, partner__is_active=True)
    if c.kinds:
        q &= Q(partner__kind__in=c.kinds) | location & Q(partner__parent__kind__in=c.kinds)
    if c.tiers:
        q &= Q(partner__tier__in=c.tiers) | location & Q(partner__parent__tier__in=c.tiers)
    if c.regions:
        q &= Q(partner__region__in=c.regions)
    if c.countries:
        q &= Q(partner__country__in=c.countries)
    if c.partners:
        p = c.partners
        q &= Q(partner__in=p) | Q(partner__parent__in=p) | Q(partner__parent__parent__in=p)
    if c.job_roles:
        q &= Q(job_role__in=c.job_roles)
    if c.groups:
        members = PeopleGroup.members.through.objects.filter(
            user=OuterRef("pk"), peoplegroup__in=c.groups
        )
        q &= Q(Exists(members))
    return q


def users_reached(audience: Audience | None) -> QuerySet[User]:
    """Everyone the audience reaches; no audience means every active partner person."""
    criteria = Criteria() if audience is None else Criteria.of(audience)
    return User.objects.filter(criteria_user_q(criteria))


def _dimension(dimension: str, values: list[int] | QuerySet) -> Q:
    """Audience has no criteria in this dimension, or one of them is among `values`."""
    through = _through(dimension).objects
    column = _M2M[dimension]
    has_any = Exists(through.filter(audience=OuterRef("pk")))
    has_match = Exists(through.filter(audience=OuterRef("pk"), **{f"{column}__in": values}))
    return ~Q(has_any) | Q(has_match)


def _group_ids(user: User) -> QuerySet:
    return PeopleGroup.members.through.objects.filter(user=user).values("peoplegroup_id")


def audiences_for(user: User) -> QuerySet[Audience]:
    """The audiences that reach this person."""
    if not user.is_authenticated or not user.is_active:
        return Audience.objects.none()
    through_groups = _through("groups").objects
    in_a_group = Exists(
        through_groups.filter(audience=OuterRef("pk"), peoplegroup_id__in=_group_ids(user))
    )
    partner = user.partner
    if partner is None or not partner.is_active:
        # Staff are reached only through groups, and only by audiences without partner criteria.
        no_partner_criteria = Q(partner_kinds="", countries="")
        for dim in ("tiers", "regions", "partners", "job_roles"):
            no_partner_criteria &= ~Q(Exists(_through(dim).objects.filter(audience=OuterRef("pk"))))
        return Audience.objects.filter(no_partner_criteria & Q(in_a_group))

    kind = partner.effective_kind
    tier = partner.effective_tier
    q = Q(partner_kinds="") | Q(partner_kinds__contains=f",{kind},")
    q &= Q(countries="") | Q(countries__contains=f",{partner.country},")
    q &= _dimension("tiers", [tier.pk] if tier else [])
    q &= _dimension("regions", [partner.region_id] if partner.region_id else [])
    q &= _dimension("partners", [partner.pk, *partner.ancestor_ids()])
    q &= _dimension("job_roles", [user.job_role_id] if user.job_role_id else [])
    q &= ~Q(Exists(through_groups.filter(audience=OuterRef("pk")))) | Q(in_a_group)
    return Audience.objects.filter(q)


# Inside `resolved_once()`: each person's audience ids, read at most once.
_resolved: ContextVar[dict[int, tuple[int, ...]] | None] = ContextVar("audiences", default=None)


@contextmanager
def resolved_once() -> Iterator[None]:
    """Within this block `for_user_q` reads each person's audiences once (from the short
    cache of `cached_audience_ids`) and filters by their ids as a plain list.

    A page that lists items of many kinds for one person (home: news, library, courses,
    the launcher, the tour) otherwise builds the audiences query anew for each list, a
    few dozen Exists() and filter() calls each time, which cost more than the SQL. Lists
    only: opening an item checks access afresh, outside such a block."""
    token = _resolved.set({})
    try:
        yield
    finally:
        _resolved.reset(token)


def for_user_q(user: User, field: str = "audience") -> Q:
    """A Q for any model with an `audience` FK: the items meant for this person.

    An item without an audience is for everyone.
    """
    resolved = _resolved.get()
    if resolved is None or user.pk is None:
        return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": audiences_for(user)})
    ids = resolved.get(user.pk)
    if ids is None:
        ids = resolved[user.pk] = cached_audience_ids(user)
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": ids})


def is_for(audience: Audience | None, user: User) -> bool:
    """Is an item with this audience meant for this person? (One query; the same rules.)"""
    if audience is None:
        return user.is_authenticated and user.is_active
    return audiences_for(user).filter(pk=audience.pk).exists()


def cached_audience_ids(user: User) -> tuple[int, ...]:
    """The audiences that reach this person, cached for AUDIENCE_CACHE_SECONDS (default 60).

    Building the audiences query costs a few milliseconds of ORM work on every ask, more
    than running it; lists asked very often (the contextual help panel) use this. The key
    holds everything of the person that targeting reads (partner, its type, tier, region
    and country, job role), so a person who moves is answered anew at once; an edited
    audience or group reaches the lists within the minute. Opening an item always checks
    access afresh."""
    seconds = settings.AUDIENCE_CACHE_SECONDS
    partner = user.partner
    if not seconds or partner is None:
        return tuple(audiences_for(user).values_list("pk", flat=True))
    tier = partner.effective_tier
    key = "audiences:" + ":".join(
        str(v)
        for v in (
            user.pk, partner.pk, partner.effective_kind, tier.pk if tier else "",
            partner.region_id, partner.country, user.job_role_id, int(partner.is_active),
        )
    )  # fmt: skip
    found = cache.get(key)
    if found is None:
        found = tuple(audiences_for(user).values_list("pk", flat=True))
        cache.set(key, found, seconds)
    return tuple(found)


def named_audiences() -> QuerySet[Audience]:
    """Audiences saved under a name, to pick from when targeting an item."""
    return Audience.objects.exclude(name="").order_by("name")
