"""The per-partner headcount rollup that dashboards read instead of counting people."""

from __future__ import annotations

from touchpoint.orgs import headcounts
from touchpoint.orgs.models import PartnerHeadcount, User


def counts(partner):  # type: ignore[no-untyped-def]
    row = PartnerHeadcount.objects.get(partner=partner)
    return (row.active, row.invited, row.deactivated)


def test_actions_keep_the_headcount_current(personas):
    p = personas
    headcounts.refresh()
    assert counts(p.dealer_a) == (2, 0, 0)
    alice = p.client(p.alice)
    alice.post(
        f"/partners/{p.dealer_a.pk}/invite/",
        {
            "email": "dan@aldercreek.example",
            "name": "Dan",
            "location": p.dealer_a.pk,
            "partner_role": "member",
            "language": "en",
        },
    )
    assert counts(p.dealer_a) == (2, 1, 0)
    alice.post(f"/people/{p.bob.pk}/deactivate/")
    assert counts(p.dealer_a) == (1, 1, 0 + 1)
    dan = User.objects.get(email="dan@aldercreek.example")
    alice.post(
        f"/people/{dan.pk}/edit/",
        {"name": "Dan", "partner": p.rutland.pk, "partner_role": "member", "job_role": ""},
    )
    assert counts(p.dealer_a) == (1, 0, 1) and counts(p.rutland) == (1, 1, 0)


def test_the_staff_home_figures_come_from_the_rollup(personas):
    p = personas
    headcounts.refresh()
    body = p.client(p.dana).get("/").content.decode()
    # Dana's scope: Summit, Alder Creek, Rutland and Birchwood with 4 active people.
    assert '<span class="stat">4</span><span class="stat-label">Active people' in body.replace(
        "\n", ""
    ).replace("  ", "")


def test_a_full_refresh_repairs_changes_made_behind_the_actions_back(personas):
    p = personas
    headcounts.refresh()
    User.objects.filter(pk=p.bob.pk).update(is_active=False)  # e.g. through the operator's admin
    assert counts(p.dealer_a) == (2, 0, 0)
    from touchpoint.orgs.tasks import refresh_all_headcounts

    assert refresh_all_headcounts.call() == 6
    assert counts(p.dealer_a) == (1, 0, 1)
