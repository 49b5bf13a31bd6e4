"""Audience targeting: who an audience reaches, and which audiences reach a person."""

from __future__ import annotations

import pytest

from tests.support import factories as f
from touchpoint.orgs.audience import for_user_q, is_for, users_reached
from touchpoint.orgs.models import Audience


def audience(**criteria):  # type: ignore[no-untyped-def]
    a = Audience.objects.create(name=criteria.pop("name", ""))
    a.kind_codes = criteria.pop("kinds", [])
    a.country_codes = criteria.pop("countries", [])
    a.save()
    for dim, values in criteria.items():
        getattr(a, dim).set(values)
    return a


def reached(a) -> set[str]:  # type: ignore[no-untyped-def]
    return set(users_reached(a).values_list("email", flat=True))


def partner_people(p) -> set[str]:  # type: ignore[no-untyped-def]
    return {u.email for u in (p.alice, p.bob, p.hannah, p.carol, p.ingrid)}


def test_it_reaches_every_partner_person_but_no_staff_without_criteria(personas):
    p = personas
    assert reached(audience()) == partner_people(p)
    assert reached(None) == partner_people(p)


def test_it_targets_by_tier_and_a_location_counts_as_its_dealers_tier(personas):
    p = personas
    gold = audience(tiers=[p.tiers["Gold"]])
    # Hannah works at Alder Creek's Rutland location, which has no tier of its own.
    assert reached(gold) == {p.alice.email, p.bob.email, p.hannah.email, p.ingrid.email}
    assert is_for(gold, p.hannah)
    assert not is_for(gold, p.carol)


def test_it_combines_dimensions_with_and_and_values_with_or(personas):
    p = personas
    service_at_gold_or_silver = audience(
        tiers=[p.tiers["Gold"], p.tiers["Silver"]], job_roles=[p.roles["service"]]
    )
    assert reached(service_at_gold_or_silver) == {p.hannah.email}


def test_it_targets_by_partner_type_with_locations_counted_as_their_parent(personas):
    p = personas
    dealers = audience(kinds=["dealer"])
    assert p.hannah.email in reached(dealers)
    distributor_person = f.PersonFactory(partner=p.summit)
    assert distributor_person.email not in reached(dealers)
    assert reached(audience(kinds=["distributor"])) == {distributor_person.email}


def test_it_targets_by_region_and_country(personas):
    p = personas
    assert reached(audience(regions=[p.regions["emea"]])) == {p.ingrid.email}
    assert reached(audience(countries=["NO"])) == {p.ingrid.email}
    assert is_for(audience(countries=["US", "CA"]), p.bob)


def test_it_includes_the_child_orgs_of_a_targeted_partner(personas):
    p = personas
    assert reached(audience(partners=[p.dealer_a])) == {p.alice.email, p.bob.email, p.hannah.email}
    # A distributor brings its dealers and their locations.
    assert reached(audience(partners=[p.summit])) == {
        p.alice.email, p.bob.email, p.hannah.email, p.carol.email,
    }  # fmt: skip


def test_it_reaches_named_group_members_including_staff(personas):
    p = personas
    group = f.PeopleGroupFactory(name="X200 launch pilots")
    group.members.add(p.bob, p.mia)
    pilots = audience(groups=[group])
    assert reached(pilots) == {p.bob.email, p.mia.email}
    assert is_for(pilots, p.mia)
    assert not is_for(pilots, p.alice)


def test_staff_are_not_reached_by_partner_criteria(personas):
    p = personas
    assert not is_for(audience(tiers=[p.tiers["Gold"]]), p.pat)
    assert not is_for(audience(), p.pat)


def test_it_leaves_out_deactivated_people_and_inactive_partners(personas):
    p = personas
    p.bob.is_active = False
    p.bob.save()
    p.dealer_b.is_active = False
    p.dealer_b.save()
    everyone = audience()
    assert p.bob.email not in reached(everyone)
    assert p.carol.email not in reached(everyone)
    assert not is_for(everyone, p.bob)


def test_both_directions_agree_for_every_person(personas):
    """users_reached and audiences_for are two SQL paths to the same rules."""
    p = personas
    group = f.PeopleGroupFactory()
    group.members.add(p.carol)
    audiences = [
        audience(tiers=[p.tiers["Gold"]], job_roles=[p.roles["sales"]]),
        audience(kinds=["dealer"], regions=[p.regions["nae"]]),
        audience(partners=[p.dealer_a], countries=["US"]),
        audience(groups=[group], kinds=["dealer"]),
        audience(countries=["DE"]),
    ]
    people = [p.alice, p.bob, p.hannah, p.carol, p.ingrid, p.pat]
    for a in audiences:
        members = set(users_reached(a))
        for person in people:
            assert is_for(a, person) == (person in members), (a, person)


def test_it_filters_items_in_one_query_however_many_audiences(personas, django_assert_num_queries):
    """Items are filtered in SQL: the count of audiences does not change the query count."""
    p = personas
    for i in range(30):
        audience(name=f"a{i}", tiers=[p.tiers["Gold"]] if i % 2 else [p.tiers["Silver"]])
    with django_assert_num_queries(1):
        matching = list(Audience.objects.filter(for_user_q(p.bob, field="pk")).exclude(name=""))
    # for_user_q on the Audience table itself: its own pk is the "audience" of each row.
    assert {a.name for a in matching} == {f"a{i}" for i in range(30) if i % 2}


@pytest.mark.parametrize("dimension", ["tiers", "regions", "job_roles", "partners"])
def test_an_empty_value_list_on_the_user_side_never_matches_a_set_dimension(personas, dimension):
    """A person with no job role is not in a job-role audience (and likewise per dimension)."""
    p = personas
    loose = f.PersonFactory(partner=f.PartnerFactory(tier=None, region=None), job_role=None)
    values = {
        "tiers": [p.tiers["Gold"]],
        "regions": [p.regions["nae"]],
        "job_roles": [p.roles["sales"]],
        "partners": [p.dealer_a],
    }[dimension]
    assert not is_for(audience(**{dimension: values}), loose)
