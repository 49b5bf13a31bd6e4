"""Partner organisations: the hierarchy, who may create and change them, and staff roles."""

from __future__ import annotations

from touchpoint.kernel.models import ActivityEvent, AuditEntry
from touchpoint.orgs.models import ChannelAssignment, Department, Partner, StaffRole, User


def partner_form(**data):  # type: ignore[no-untyped-def]
    return {
        "name": "Quarry Hill Power Sports", "kind": "dealer", "parent": "", "tier": "", "region": "",
        "country": "US", "city": "Keene", "external_id": "P-3001", "website": "", "phone": "",
        "email_domain": "", "is_active": "on", **data,
    }  # fmt: skip


def test_pat_adds_a_dealer_under_a_distributor_and_is_asked_to_invite_its_admin(personas):
    p = personas
    response = p.client(p.pat).post(
        "/partners/new/",
        partner_form(parent=p.summit.pk, tier=p.tiers["Gold"].pk, region=p.regions["nae"].pk),
    )
    quarry = Partner.objects.get(external_id="P-3001")
    assert response["Location"] == f"/partners/{quarry.pk}/invite/"
    assert (quarry.parent, quarry.depth, quarry.tier) == (p.summit, 1, p.tiers["Gold"])
    entry = AuditEntry.objects.get(action="partner.created")
    assert entry.after["tier"] == "Gold" and entry.actor == p.pat


def test_the_hierarchy_stops_at_three_levels_and_locations_have_no_children(personas):
    p = personas
    pat = p.client(p.pat)
    under_location = pat.post("/partners/new/", partner_form(parent=p.rutland.pk))
    assert under_location.status_code == 200
    too_deep = pat.post(
        "/partners/new/", partner_form(kind="location", parent=p.dealer_a.pk, external_id="X1")
    )
    assert too_deep.status_code == 302  # a location under a dealer is level three: fine
    deeper = Partner.objects.get(external_id="X1")
    assert (
        pat.post(
            f"/partners/{deeper.pk}/locations/new/", {"name": "Nope", "country": "US"}
        ).status_code
        == 404
    )
    distributor_under = pat.post(
        "/partners/new/", partner_form(kind="distributor", parent=p.summit.pk, external_id="X2")
    )
    assert "top-level partner" in distributor_under.content.decode()
    assert not Partner.objects.filter(external_id="X2").exists()


def test_html_in_a_partner_name_is_refused(personas):
    p = personas
    response = p.client(p.pat).post("/partners/new/", partner_form(name="<b>Quarry</b>"))
    assert "cannot contain" in response.content.decode()
    assert not Partner.objects.filter(external_id="P-3001").exists()


def test_alice_adds_a_location_that_inherits_her_tier(personas):
    p = personas
    response = p.client(p.alice).post(
        f"/partners/{p.dealer_a.pk}/locations/new/",
        {"name": "Montpelier", "city": "Montpelier", "country": "US"},
    )
    assert response.status_code == 302
    branch = Partner.objects.get(name="Montpelier")
    assert (
        branch.kind == "location"
        and branch.tier is None
        and branch.effective_tier == p.tiers["Gold"]
    )


def test_alice_edits_contact_details_but_not_her_tier(personas):
    p = personas
    response = p.client(p.alice).post(
        f"/partners/{p.dealer_a.pk}/edit/",
        {
            "name": "Alder Creek Outdoor",
            "city": "Burlington",
            "country": "US",
            "phone": "+1 802 555 0100",
            "tier": p.tiers["Platinum"].pk,
        },
    )
    assert response.status_code == 302
    p.dealer_a.refresh_from_db()
    assert p.dealer_a.phone == "+1 802 555 0100" and p.dealer_a.tier == p.tiers["Gold"]


def test_alice_cannot_see_or_edit_birchwood(personas):
    p = personas
    alice = p.client(p.alice)
    assert alice.get(f"/partners/{p.dealer_b.pk}/").status_code == 404
    assert alice.post(f"/partners/{p.dealer_b.pk}/edit/", {"name": "Mine now"}).status_code == 404
    p.dealer_b.refresh_from_db()
    assert p.dealer_b.name == "Birchwood Power & Garden"


def test_opening_a_partner_page_is_an_activity_event(personas):
    p = personas
    p.client(p.alice).get(f"/partners/{p.rutland.pk}/")
    event = ActivityEvent.objects.get(verb="viewed")
    assert (event.actor, event.object_name, event.partner_id) == (
        p.alice,
        p.rutland.name,
        p.dealer_a.pk,
    )


def test_the_partner_list_is_scoped_filtered_and_within_budget(
    personas, django_assert_max_num_queries
):
    p = personas
    dana = p.client(p.dana)
    with django_assert_max_num_queries(10):
        body = dana.get("/partners/").content.decode()
    assert "Alder Creek Outdoor" in body and "Fjord Maskin" not in body
    gold = dana.get(f"/partners/?tier={p.tiers['Gold'].pk}").content.decode()
    assert (
        "Alder Creek – Rutland" in gold and "Birchwood" not in gold
    )  # locations count as their dealer's tier
    partial = dana.get("/partners/?q=birch", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Birchwood" in partial.content
    assert p.client(p.alice).get("/partners/").status_code == 403


def test_pat_gives_dana_a_partner_and_a_region(personas):
    p = personas
    west = p.regions["emea"]
    response = p.client(p.pat).post(
        f"/staff/{p.dana.pk}/",
        {
            "roles": ["channel_manager", "analyst"],
            "regions": [west.pk],
            "partners": [p.dealer_b.pk],
        },
    )
    assert response.status_code == 302
    assert set(StaffRole.objects.filter(user=p.dana).values_list("role", flat=True)) == {
        "channel_manager",
        "analyst",
    }
    assert ChannelAssignment.objects.filter(manager=p.dana, region=west).exists()
    assert ChannelAssignment.objects.filter(manager=p.dana, partner=p.dealer_b).exists()
    assert AuditEntry.objects.filter(
        action="staff.roles_changed", target_label="Dana Ortiz"
    ).exists()


def test_a_content_owner_needs_a_department_and_pat_keeps_admin(personas):
    p = personas
    pat = p.client(p.pat)
    refused = pat.post(f"/staff/{p.mia.pk}/", {"roles": ["content_owner"]})
    assert "needs a department" in refused.content.decode()
    sales = Department.objects.create(name="Sales")
    assert (
        pat.post(
            f"/staff/{p.mia.pk}/", {"roles": ["content_owner"], "department": sales.pk}
        ).status_code
        == 302
    )
    own = pat.post(f"/staff/{p.pat.pk}/", {"roles": ["analyst"]})
    assert "cannot remove your own portal admin role" in own.content.decode()


def test_pat_invites_staff_with_roles(personas, on_commit, run_worker):
    from django.core import mail

    p = personas
    with on_commit():
        response = p.client(p.pat).post(
            "/staff/invite/",
            {
                "email": "lee@ridgeline.example",
                "name": "Lee Park",
                "language": "en",
                "roles": ["moderator"],
            },
        )
    assert response.status_code == 302
    lee = User.objects.get(email="lee@ridgeline.example")
    assert lee.is_vendor and lee.staff_roles == {"moderator"}
    run_worker()
    assert mail.outbox[0].to == ["lee@ridgeline.example"]


def test_staff_screens_are_for_portal_admins_only(personas):
    p = personas
    for path in (
        "/staff/",
        "/setup/",
        "/groups/",
        "/import/",
        "/admin/settings/",
        "/admin/audit/",
        "/terms/manage/",
    ):
        assert p.client(p.dana).get(path).status_code == 403, path
        assert p.client(p.alice).get(path).status_code == 403, path
        assert p.client(p.pat).get(path).status_code == 200, path


def test_pat_sets_up_tiers_regions_and_vendor_job_roles(personas):
    p = personas
    pat = p.client(p.pat)
    assert pat.post("/setup/tiers/new/", {"name": "Diamond", "rank": 9}).status_code == 302
    assert (
        pat.post("/setup/regions/new/", {"name": "APAC", "countries": "au, nz"}).status_code == 302
    )
    from touchpoint.orgs.models import JobRole, Region

    assert Region.objects.get(name="APAC").country_codes == ["AU", "NZ"]
    bad = pat.post("/setup/regions/new/", {"name": "Nowhere", "countries": "XX"})
    assert "Unknown country codes: XX" in bad.content.decode()
    assert (
        pat.post(
            "/setup/job-roles/new/", {"name": "Warranty administrator", "code": "warranty-admin"}
        ).status_code
        == 302
    )
    assert JobRole.objects.filter(code="warranty-admin", is_builtin=False).exists()
    assert pat.get("/setup/nonsense/new/").status_code == 404


def test_a_partner_page_links_up_the_hierarchy_only_where_the_reader_may_go(personas):
    p = personas
    alice_view = p.client(p.alice).get(f"/partners/{p.dealer_a.pk}/").content.decode()
    assert (
        f'href="/partners/{p.summit.pk}/"' not in alice_view and "Summit Distribution" in alice_view
    )
    rutland_view = p.client(p.alice).get(f"/partners/{p.rutland.pk}/").content.decode()
    assert f'href="/partners/{p.dealer_a.pk}/"' in rutland_view
    assert (
        f'href="/partners/{p.summit.pk}/"'
        in p.client(p.dana).get(f"/partners/{p.dealer_a.pk}/").content.decode()
    )


def test_moving_a_dealer_keeps_its_locations_depth_and_the_three_level_limit(personas):
    p = personas
    pat = p.client(p.pat)
    form = {
        "name": p.dealer_a.name, "kind": "dealer", "parent": "", "tier": p.tiers["Gold"].pk,
        "region": p.regions["nae"].pk, "country": "US", "city": "", "external_id": p.dealer_a.external_id,
        "website": "", "phone": "", "email_domain": "", "is_active": "on",
    }  # fmt: skip
    assert pat.post(f"/partners/{p.dealer_a.pk}/edit/", form).status_code == 302
    p.rutland.refresh_from_db()
    assert (p.dealer_a.__class__.objects.get(pk=p.dealer_a.pk).depth, p.rutland.depth) == (0, 1)
    # Alder Creek has a location, so it cannot become a location itself.
    as_location = pat.post(
        f"/partners/{p.dealer_a.pk}/edit/",
        {**form, "kind": "location", "tier": "", "parent": p.summit.pk},
    )
    assert "cannot be a location" in as_location.content.decode(), as_location.context[
        "form"
    ].errors
    # Summit has dealers with locations under it, so it cannot move under another partner.
    summit = {
        **form,
        "name": p.summit.name,
        "kind": "dealer",
        "external_id": p.summit.external_id,
        "parent": p.meridian.pk,
    }
    Partner.objects.filter(pk=p.dealer_a.pk).update(parent=p.summit, depth=1)
    Partner.objects.filter(pk=p.rutland.pk).update(depth=2)
    refused = pat.post(f"/partners/{p.summit.pk}/edit/", summit)
    assert "at most three levels" in refused.content.decode()


def test_the_partner_page_stays_within_its_query_budget(personas, django_assert_max_num_queries):
    p = personas
    for client in (p.client(p.alice), p.client(p.dana), p.client(p.pat)):
        with django_assert_max_num_queries(16):
            assert client.get(f"/partners/{p.dealer_a.pk}/").status_code == 200


def test_a_location_with_a_tier_gets_a_plain_explanation(personas):
    p = personas
    response = p.client(p.pat).post(
        "/partners/new/",
        partner_form(kind="location", parent=p.dealer_a.pk, tier=p.tiers["Gold"].pk),
    )
    assert (
        "A location takes its parent's tier; leave the tier empty."
        in response.content.decode().replace("&#x27;", "'")
    )
