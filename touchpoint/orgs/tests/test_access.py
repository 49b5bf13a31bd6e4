"""Partner isolation and channel-manager scoping, as the access helpers decide them."""

from __future__ import annotations

import pytest
from django.http import Http404

from tests.support import factories as f
from touchpoint.orgs.access import (
    get_partner_for_user,
    get_person_for_user,
    partners_in_scope,
    partners_managed_by,
    people_in_scope,
    people_managed_by,
)
from touchpoint.orgs.models import StaffRole, StaffRoleKind


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(x) for x in qs}


def test_a_partner_admin_sees_their_company_and_its_locations_only(personas):
    p = personas
    assert names(partners_in_scope(p.alice)) == {p.dealer_a.name, p.rutland.name}
    assert names(people_in_scope(p.alice)) == {str(p.alice), str(p.bob), str(p.hannah)}
    assert names(people_managed_by(p.alice)) == {str(p.bob), str(p.hannah)}


def test_a_partner_member_sees_their_company_but_only_themselves(personas):
    p = personas
    assert names(partners_in_scope(p.bob)) == {p.dealer_a.name}
    assert names(people_in_scope(p.bob)) == {str(p.bob)}
    assert not partners_managed_by(p.bob).exists()


def test_a_location_member_does_not_see_the_dealer(personas):
    p = personas
    assert names(partners_in_scope(p.hannah)) == {p.rutland.name}


def test_it_gives_the_same_404_for_missing_and_forbidden(personas):
    p = personas
    with pytest.raises(Http404) as forbidden:
        get_partner_for_user(p.alice, p.dealer_b.pk)
    with pytest.raises(Http404) as missing:
        get_partner_for_user(p.alice, 999_999)
    assert str(forbidden.value) == str(missing.value)
    with pytest.raises(Http404):
        get_person_for_user(p.alice, p.carol.pk)


def test_a_channel_manager_sees_only_partners_in_their_regions_and_assignments(personas):
    p = personas
    dana_sees = names(partners_in_scope(p.dana))
    assert {p.dealer_a.name, p.dealer_b.name, p.rutland.name, p.summit.name} <= dana_sees
    assert p.dealer_c.name not in dana_sees
    assert names(partners_in_scope(p.evan)) == {p.meridian.name, p.dealer_c.name}
    assert p.carol in people_in_scope(p.dana)
    assert p.ingrid not in people_in_scope(p.dana)


def test_a_partner_assignment_brings_everything_under_it(personas):
    p = personas
    west = f.RegionFactory(name="West")
    lone = f.PartnerFactory(name="Lone Dealer", region=west)
    branch = f.PartnerFactory(name="Lone Branch", kind="location", parent=lone, region=west)
    assert lone not in partners_in_scope(p.dana)
    f.ChannelAssignmentFactory(manager=p.dana, partner=lone)
    assert {lone, branch} <= set(partners_in_scope(p.dana))


def test_channel_wide_staff_see_every_partner_but_a_content_owner_sees_none(personas):
    p = personas
    analyst = f.StaffFactory(roles=[StaffRoleKind.ANALYST])
    assert partners_in_scope(analyst).count() == partners_in_scope(p.pat).count() == 6
    owner = f.StaffFactory(roles=[StaffRoleKind.CONTENT_OWNER])
    assert not partners_in_scope(owner).exists()
    assert not partners_managed_by(analyst).exists()


def test_a_deactivated_person_sees_nothing(personas):
    p = personas
    p.alice.is_active = False
    assert not partners_in_scope(p.alice).exists()
    assert not people_in_scope(p.alice).exists()


def test_removing_a_role_removes_the_scope(personas):
    p = personas
    StaffRole.objects.filter(user=p.dana).delete()
    p.dana.__dict__.pop("staff_roles", None)
    assert not partners_in_scope(p.dana).exists()
