"""Partner isolation and channel-manager scoping, as the access helpers decide them."""

from __future__ import annotations

import pytest
from django.http import Http404

from tests.support import factories as f
from touchpoint.orgs.models import Partner, StaffRole, StaffRoleKind, User


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(x) for x in qs}


def test_a_partner_admin_sees_their_company_and_its_locations_only(personas):
    p = personas
    assert names(Partner.objects.visible_to(p.alice)) == {p.dealer_a.name, p.rutland.name}
    assert names(User.objects.visible_to(p.alice)) == {str(p.alice), str(p.bob), str(p.hannah)}
    assert names(User.objects.manageable_by(p.alice)) == {str(p.bob), str(p.hannah)}


def test_a_partner_member_sees_their_company_but_only_themselves(personas):
    p = personas
    assert names(Partner.objects.visible_to(p.bob)) == {p.dealer_a.name}
    assert names(User.objects.visible_to(p.bob)) == {str(p.bob)}
    assert not Partner.objects.manageable_by(p.bob).exists()


def test_a_location_member_does_not_see_the_dealer(personas):
    p = personas
    assert names(Partner.objects.visible_to(p.hannah)) == {p.rutland.name}


def test_it_gives_the_same_404_for_missing_and_forbidden(personas):
    p = personas
    with pytest.raises(Http404) as forbidden:
        Partner.objects.get_for(p.alice, pk=p.dealer_b.pk)
    with pytest.raises(Http404) as missing:
        Partner.objects.get_for(p.alice, pk=999_999)
    assert str(forbidden.value) == str(missing.value)
    with pytest.raises(Http404):
        User.objects.get_for(p.alice, pk=p.carol.pk)


def test_a_channel_manager_sees_only_partners_in_their_regions_and_assignments(personas):
    p = personas
    dana_sees = names(Partner.objects.visible_to(p.dana))
    assert {p.dealer_a.name, p.dealer_b.name, p.rutland.name, p.summit.name} <= dana_sees
    assert p.dealer_c.name not in dana_sees
    assert names(Partner.objects.visible_to(p.evan)) == {p.meridian.name, p.dealer_c.name}
    assert p.carol in User.objects.visible_to(p.dana)
    assert p.ingrid not in User.objects.visible_to(p.dana)


def test_a_partner_assignment_brings_everything_under_it(personas):
    p = personas
    west = f.RegionFactory(name="West")
    lone = f.PartnerFactory(name="Lone Dealer", region=west)
    branch = f.PartnerFactory(name="Lone Branch", kind="location", parent=lone, region=west)
    assert lone not in Partner.objects.visible_to(p.dana)
    f.ChannelAssignmentFactory(manager=p.dana, partner=lone)
    assert {lone, branch} <= set(Partner.objects.visible_to(p.dana))


def test_channel_wide_staff_see_every_partner_but_a_content_owner_sees_none(personas):
    p = personas
    analyst = f.StaffFactory(roles=[StaffRoleKind.ANALYST])
    assert (
        Partner.objects.visible_to(analyst).count()
        == Partner.objects.visible_to(p.pat).count()
        == 6
    )
    owner = f.StaffFactory(roles=[StaffRoleKind.CONTENT_OWNER])
    assert not Partner.objects.visible_to(owner).exists()
    assert not Partner.objects.manageable_by(analyst).exists()


def test_a_deactivated_person_sees_nothing(personas):
    p = personas
    p.alice.is_active = False
    assert not Partner.objects.visible_to(p.alice).exists()
    assert not User.objects.visible_to(p.alice).exists()


def test_removing_a_role_removes_the_scope(personas):
    p = personas
    StaffRole.objects.filter(user=p.dana).delete()
    p.dana.__dict__.pop("roles_held", None)
    assert not Partner.objects.visible_to(p.dana).exists()
