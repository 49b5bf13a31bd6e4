"""A prospective partner applies and accepts the terms; a channel manager decides."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from touchpoint.kernel.models import Notification
from touchpoint.orgs.models import (
    ApplicationStatus,
    Partner,
    PartnerApplication,
    ProgramTerms,
    TermsAcceptance,
    User,
)


@pytest.fixture
def terms(personas):
    return ProgramTerms.objects.create(
        version="2026.1", title="Program terms", body="<p>Be good.</p>"
    )


def application(**data):  # type: ignore[no-untyped-def]
    return {
        "company_name": "Quarry Hill Power Sports", "kind": "dealer", "country": "US", "city": "Keene",
        "website": "quarryhill.example", "contact_name": "Rosa Quintero",
        "contact_email": "Rosa@QuarryHill.example", "contact_phone": "", "message": "12 staff",
        "accept_terms": "on", **data,
    }  # fmt: skip


def test_a_dealer_applies_and_the_regions_channel_manager_is_told(
    personas, terms, client: Client, on_commit, run_worker
):
    p = personas
    with on_commit():
        response = client.post("/apply/", application(), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302 and response["Location"] == "/apply/thanks/"
    app = PartnerApplication.objects.get()
    assert (app.contact_email, app.region, app.status) == (
        "rosa@quarryhill.example",
        p.regions["nae"],
        "pending",
    )
    assert app.website == "https://quarryhill.example"
    acceptance = TermsAcceptance.objects.get(email="rosa@quarryhill.example")
    assert (acceptance.terms, acceptance.ip) == (terms, "198.51.100.4")
    assert Notification.objects.filter(recipient=p.dana, kind="approvals").exists()
    assert not Notification.objects.filter(recipient=p.evan).exists()
    # Rosa hears that it arrived and what happens next.
    run_worker()
    [received] = [m for m in mail.outbox if m.to == ["rosa@quarryhill.example"]]
    assert received.subject.startswith("We received your application")
    assert "Quarry Hill Power Sports" in received.body and "reviews it" in received.body


def test_an_application_without_accepting_the_terms_is_refused(personas, terms, client):
    response = client.post("/apply/", application(accept_terms=""))
    assert response.status_code == 200
    assert "Please accept the program terms" in response.content.decode()
    assert not PartnerApplication.objects.exists() and not TermsAcceptance.objects.exists()


def test_a_second_pending_application_from_the_same_email_is_refused(personas, terms, client):
    client.post("/apply/", application())
    again = client.post("/apply/", application(company_name="Quarry Hill 2"))
    assert "already waiting for review" in again.content.decode()
    assert PartnerApplication.objects.count() == 1


def test_html_in_the_company_name_is_refused(personas, terms, client):
    response = client.post("/apply/", application(company_name="<img src=x onerror=alert(1)>"))
    assert "cannot contain" in response.content.decode()
    assert not PartnerApplication.objects.exists()


def test_applications_are_rate_limited_per_address(personas, terms, client, settings):
    settings.APPLY_RATE_LIMIT = "2/h"
    for i in range(2):
        client.post("/apply/", application(contact_email=f"a{i}@x.example"))
    blocked = client.post("/apply/", application(contact_email="a9@x.example"))
    assert "Too many applications" in blocked.content.decode()
    assert PartnerApplication.objects.count() == 2


def test_applications_are_closed_until_terms_exist(personas, client):
    response = client.post("/apply/", application())
    assert "closed until the program terms are published" in response.content.decode()


def test_dana_approves_and_the_contact_is_invited_as_partner_admin(
    personas, terms, client, on_commit, run_worker
):
    p = personas
    client.post("/apply/", application())
    app = PartnerApplication.objects.get()
    with on_commit():
        response = p.client(p.dana).post(
            f"/applications/{app.pk}/",
            {
                "decision": "approve",
                "approve-tier": p.tiers["Silver"].pk,
                "approve-region": p.regions["nae"].pk,
                "approve-parent": p.summit.pk,
                "approve-note": "Welcome aboard: Summit will call you about the X200 launch.",
            },
        )
    quarry = Partner.objects.get(name="Quarry Hill Power Sports")
    assert response["Location"] == f"/partners/{quarry.pk}/"
    assert (quarry.tier, quarry.parent, quarry.email_domain) == (
        p.tiers["Silver"],
        p.summit,
        "quarryhill.example",
    )
    rosa = User.objects.get(email="rosa@quarryhill.example")
    assert (rosa.partner, rosa.partner_role, rosa.status) == (quarry, "admin", "invited")
    assert TermsAcceptance.objects.get(email=rosa.email).partner == quarry
    app.refresh_from_db()
    assert (app.status, app.decided_by, app.partner) == (ApplicationStatus.APPROVED, p.dana, quarry)
    run_worker()
    [invitation] = mail.outbox
    assert invitation.to == ["rosa@quarryhill.example"]
    # Dana's note to the applicant travels with the invitation.
    assert f"A note from {p.dana}:" in invitation.body
    assert "Summit will call you about the X200 launch." in invitation.body
    assert quarry in Partner.objects.filter(pk=quarry.pk)  # and Dana now manages it:

    assert quarry in Partner.objects.visible_to(p.dana)


def test_a_rejection_needs_a_reason_which_is_emailed(
    personas, terms, client, on_commit, run_worker
):
    p = personas
    client.post("/apply/", application())
    app = PartnerApplication.objects.get()
    dana = p.client(p.dana)
    no_reason = dana.post(f"/applications/{app.pk}/", {"decision": "reject", "reject-note": ""})
    assert no_reason.status_code == 200
    app.refresh_from_db()
    assert app.status == "pending"
    with on_commit():
        dana.post(
            f"/applications/{app.pk}/",
            {"decision": "reject", "reject-note": "We need a service workshop."},
        )
    app.refresh_from_db()
    assert app.status == "rejected"
    run_worker()
    assert "service workshop" in mail.outbox[0].body


def test_an_application_is_decided_once(personas, terms, client):
    p = personas
    client.post("/apply/", application())
    app = PartnerApplication.objects.get()
    dana = p.client(p.dana)
    dana.post(f"/applications/{app.pk}/", {"decision": "reject", "reject-note": "No."})
    second = dana.post(
        f"/applications/{app.pk}/",
        {"decision": "approve", "approve-tier": "", "approve-region": "", "approve-parent": ""},
        follow=True,
    )
    assert "already decided" in second.content.decode()
    assert not Partner.objects.filter(name="Quarry Hill Power Sports").exists()


def test_evan_cannot_review_an_application_from_danas_region(personas, terms, client):
    p = personas
    client.post("/apply/", application())
    app = PartnerApplication.objects.get()
    assert p.client(p.evan).get(f"/applications/{app.pk}/").status_code == 404
    assert p.client(p.alice).get(f"/applications/{app.pk}/").status_code == 404


def test_partner_admins_accept_new_terms_once(personas, terms):
    p = personas
    alice = p.client(p.alice)
    assert "I accept these terms" in alice.get("/terms/").content.decode()
    stale = alice.post("/terms/accept/", {"version": "2025.1"}, follow=True)
    assert "terms changed while you were reading" in stale.content.decode()
    alice.post("/terms/accept/", {"version": "2026.1"})
    alice.post("/terms/accept/", {"version": "2026.1"})
    assert TermsAcceptance.objects.filter(user=p.alice, terms=terms).count() == 1
    assert "You accepted this version" in alice.get("/terms/").content.decode()


def test_publishing_new_terms_sanitises_them_and_asks_partner_admins(personas, terms):
    p = personas
    response = p.client(p.pat).post(
        "/terms/manage/",
        {
            "version": "2027.1",
            "title": "Terms",
            "body": "<p onclick='x()'>Hi<script>alert(1)</script></p>",
            "published_at": "2026-01-01T00:00",
        },
    )
    assert response.status_code == 302
    new = ProgramTerms.objects.get(version="2027.1")
    assert new.body == "<p>Hi</p>"
    assert Notification.objects.filter(recipient=p.alice, kind="program").exists()
    assert not Notification.objects.filter(recipient=p.bob, kind="program").exists()


def test_a_bot_filling_the_trap_field_is_thanked_and_ignored(personas, terms, client):
    response = client.post("/apply/", application(website_url="http://spam.example"))
    assert response["Location"] == "/apply/thanks/"
    assert not PartnerApplication.objects.exists()


def test_evan_is_offered_only_his_own_distributors_and_regions_when_approving(
    personas, terms, client
):
    p = personas
    client.post("/apply/", application(country="NO", city="Bergen"))
    app = PartnerApplication.objects.get()
    assert app.region == p.regions["emea"]
    page = p.client(p.evan).get(f"/applications/{app.pk}/").content.decode()
    assert p.meridian.name in page and p.summit.name not in page
    assert "North America East" not in page


@pytest.mark.parametrize("field", ["parent", "region"])
def test_evan_cannot_forge_an_approval_into_danas_part_of_the_channel(
    personas, terms, client, field
):
    p = personas
    client.post("/apply/", application(country="NO", city="Bergen"))
    app = PartnerApplication.objects.get()
    mine = {"parent": p.meridian.pk, "region": p.regions["emea"].pk}
    forged = {"parent": p.summit.pk, "region": p.regions["nae"].pk}[field]
    response = p.client(p.evan).post(
        f"/applications/{app.pk}/",
        {
            "decision": "approve",
            "approve-tier": p.tiers["Silver"].pk,
            **{f"approve-{name}": pk for name, pk in mine.items()},
            f"approve-{field}": forged,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Partner.objects.filter(name="Quarry Hill Power Sports").exists()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.PENDING
