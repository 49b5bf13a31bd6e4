"""factory-boy factories for tests and the benchmark data generator."""

from __future__ import annotations

from typing import Any, cast

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from touchpoint.orgs.models import (
    ChannelAssignment,
    Partner,
    PartnerRole,
    PeopleGroup,
    Region,
    StaffRole,
    Tier,
    User,
)

PASSWORD = "correct horse battery staple"


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tier {n}")
    rank = factory.Sequence(int)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Region {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Dealer {n}")
    kind = "dealer"
    country = "US"
    parent = None
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)
    external_id = factory.Sequence(lambda n: f"P-{n:05d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    name = factory.Sequence(lambda n: f"Person {n}")
    activated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        # factory_boy passes the built User as the first argument.
        user = cast(User, self)
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )


class PersonFactory(UserFactory):
    """A partner person (member unless partner_role says otherwise)."""

    partner = factory.SubFactory(PartnerFactory)
    partner_role = PartnerRole.MEMBER


class StaffFactory(UserFactory):
    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        for role in extracted or []:
            StaffRole.objects.create(user=cast(User, self), role=role)


class ChannelAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelAssignment


class PeopleGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeopleGroup

    name = factory.Sequence(lambda n: f"Group {n}")
