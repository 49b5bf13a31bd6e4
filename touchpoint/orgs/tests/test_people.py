"""Partner admins manage their own people; invitations are single-use and expire."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from touchpoint.kernel.models import ApiToken, AuditEntry
from touchpoint.orgs.invitations import invitation_token
from touchpoint.orgs.models import Invitation, PartnerRole, User


def invite(client, partner, **data):  # type: ignore[no-untyped-def]
    form = {
        "email": "dan@aldercreek.example",
        "name": "Dan Fox",
        "location": partner.pk,
        "partner_role": "member",
        "job_role": "",
        "title": "",
        "language": "en",
        **data,
    }
    return client.post(f"/partners/{partner.pk}/invite/", form)


def test_alice_invites_a_technician_who_gets_an_email_from_the_worker(
    personas, on_commit, run_worker
):
    p = personas
    alice = p.client(p.alice)
    with on_commit():
        response = invite(alice, p.dealer_a, location=p.rutland.pk, job_role=p.roles["service"].pk)
    assert response.status_code == 302
    dan = User.objects.get(email="dan@aldercreek.example")
    assert (dan.partner, dan.job_role, dan.status) == (p.rutland, p.roles["service"], "invited")
    assert not dan.has_usable_password()
    assert mail.outbox == []  # nothing is sent in the request itself
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dan@aldercreek.example"]
    assert "Alder Creek – Rutland" in message.subject
    assert re.search(r"/invitation/[^/\s]+/", message.body)
    assert AuditEntry.objects.filter(action="person.invited", target_label="Dan Fox").exists()


def test_an_invitation_sets_a_password_once_and_then_refuses(personas, client: Client):
    p = personas
    with_invite = invite(p.client(p.alice), p.dealer_a)
    assert with_invite.status_code == 302
    invitation = Invitation.objects.get(user__email="dan@aldercreek.example")
    url = f"/invitation/{invitation_token(invitation)}/"
    page = client.get(url)
    assert b"Join Alder Creek Outdoor" in page.content
    accepted = client.post(
        url,
        {
            "name": "Dan Fox",
            "password": "mower-season-2026",
            "language": "es",
            "time_zone": "America/New_York",
        },
    )
    assert accepted.status_code == 302 and accepted["Location"] == "/"
    dan = User.objects.get(email="dan@aldercreek.example")
    assert (
        dan.status == "active" and dan.language == "es" and dan.check_password("mower-season-2026")
    )
    assert dan.emailaddress_set.get().verified
    # Used twice (another tab, a forwarded email): a clear page, and nothing changes.
    again = Client().post(
        url,
        {"name": "Mallory", "password": "another-pass-123", "language": "en", "time_zone": "UTC"},
    )
    assert again.status_code == 410
    assert b"already used" in again.content
    dan.refresh_from_db()
    assert dan.name == "Dan Fox" and dan.check_password("mower-season-2026")


def test_an_expired_or_forged_invitation_link_explains_itself(personas, client):
    p = personas
    invite(p.client(p.alice), p.dealer_a)
    invitation = Invitation.objects.get(user__email="dan@aldercreek.example")
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    expired = client.get(f"/invitation/{invitation_token(invitation)}/")
    assert expired.status_code == 410 and b"expired" in expired.content
    assert b"alice@aldercreek.example" in expired.content  # who to ask for a new one
    forged = client.get(f"/invitation/{invitation.pk}:forged/")
    assert forged.status_code == 404


def test_a_weak_password_is_refused_with_a_reason(personas, client):
    p = personas
    invite(p.client(p.alice), p.dealer_a)
    invitation = Invitation.objects.get(user__email="dan@aldercreek.example")
    response = client.post(
        f"/invitation/{invitation_token(invitation)}/",
        {"name": "Dan", "password": "12345678", "language": "en", "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert (
        "too common" in response.content.decode() or "entirely numeric" in response.content.decode()
    )
    assert User.objects.get(email="dan@aldercreek.example").status == "invited"


def test_inviting_an_existing_email_or_html_in_a_name_is_refused(personas):
    p = personas
    alice = p.client(p.alice)
    taken = invite(alice, p.dealer_a, email="Carol@Birchwood.example")
    assert "already has an account" in taken.content.decode()
    markup = invite(alice, p.dealer_a, name="<script>alert(1)</script>")
    assert "cannot contain" in markup.content.decode()
    assert not User.objects.filter(email="dan@aldercreek.example").exists()


def test_alice_cannot_invite_into_another_company_or_a_location_outside_hers(personas):
    p = personas
    alice = p.client(p.alice)
    assert invite(alice, p.dealer_b).status_code == 404
    outside = invite(alice, p.dealer_a, location=p.dealer_b.pk)
    assert outside.status_code == 200 and "Select a valid choice" in outside.content.decode()
    assert not User.objects.filter(email="dan@aldercreek.example").exists()


def test_a_member_cannot_invite(personas):
    p = personas
    assert invite(p.client(p.bob), p.dealer_a).status_code == 404


def test_alice_changes_bobs_job_role_and_moves_him_to_a_location(personas):
    p = personas
    response = p.client(p.alice).post(
        f"/people/{p.bob.pk}/edit/",
        {
            "name": "Bob Tran",
            "title": "Parts",
            "partner": p.rutland.pk,
            "partner_role": "manager",
            "job_role": p.roles["parts"].pk,
        },
    )
    assert response.status_code == 302
    p.bob.refresh_from_db()
    assert (p.bob.partner, p.bob.job_role, p.bob.partner_role) == (
        p.rutland,
        p.roles["parts"],
        "manager",
    )
    entry = AuditEntry.objects.get(action="person.updated")
    assert entry.before["job_role"] == "Sales" and entry.after["job_role"] == "Parts"


def test_alice_cannot_move_bob_to_another_company(personas):
    p = personas
    response = p.client(p.alice).post(
        f"/people/{p.bob.pk}/edit/",
        {"name": "Bob", "partner": p.dealer_b.pk, "partner_role": "member", "job_role": ""},
    )
    assert response.status_code == 200
    p.bob.refresh_from_db()
    assert p.bob.partner == p.dealer_a


def test_the_last_partner_admin_cannot_be_demoted_or_deactivated(personas):
    p = personas
    owen = User.objects.create_user(
        "owen@aldercreek.example", partner=p.dealer_a, partner_role=PartnerRole.ADMIN
    )
    owen_client = p.client(owen)
    # With two admins, one can step down; the other is then the last one.
    ok = owen_client.post(
        f"/people/{p.alice.pk}/edit/",
        {"name": "Alice", "partner": p.dealer_a.pk, "partner_role": "member", "job_role": ""},
    )
    assert ok.status_code == 302
    pat = p.client(p.pat)
    refused = pat.post(f"/people/{owen.pk}/deactivate/", follow=True)
    assert "only partner admin" in refused.content.decode()
    owen.refresh_from_db()
    assert owen.is_active


def test_deactivating_a_person_ends_their_access_and_revokes_their_tokens(personas):
    p = personas
    token, secret = ApiToken.issue(p.bob, "CRM", ["users:read"])
    bobs_browser = p.client(p.bob)
    response = p.client(p.alice).post(f"/people/{p.bob.pk}/deactivate/")
    assert response.status_code == 302
    p.bob.refresh_from_db()
    token.refresh_from_db()
    assert not p.bob.is_active and token.revoked_at is not None
    assert bobs_browser.get("/").status_code == 302  # signed out on the next request
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    reactivated = p.client(p.alice).post(f"/people/{p.bob.pk}/reactivate/")
    assert reactivated.status_code == 302
    p.bob.refresh_from_db()
    assert p.bob.is_active


def test_a_resent_invitation_replaces_the_old_link(personas, on_commit, run_worker):
    p = personas
    invite(p.client(p.alice), p.dealer_a)
    dan = User.objects.get(email="dan@aldercreek.example")
    first = dan.invitations.get()
    with on_commit():
        p.client(p.alice).post(f"/people/{dan.pk}/resend-invitation/")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert dan.invitations.filter(revoked_at__isnull=True).count() == 1
    run_worker()
    assert len(mail.outbox) == 1  # the first invitation's task finds its link revoked


def test_the_team_list_filters_by_status_and_job_role(personas, django_assert_max_num_queries):
    p = personas
    User.objects.create_user(
        "new@aldercreek.example", partner=p.dealer_a, partner_role="member", name="Newcomer"
    )
    alice = p.client(p.alice)
    with django_assert_max_num_queries(12):
        body = alice.get("/people/?status=invited").content.decode()
    assert "Newcomer" in body and "Bob Tran" not in body
    service = alice.get(f"/people/?job_role={p.roles['service'].pk}").content.decode()
    assert "Hannah Kim" in service and "Bob Tran" not in service
    assert "Carol" not in alice.get("/people/").content.decode()


def test_a_member_has_no_team_list(personas):
    p = personas
    assert p.client(p.bob).get("/people/").status_code == 403
    assert p.client(p.bob).get(f"/people/{p.bob.pk}/").status_code == 200
    assert p.client(p.bob).get(f"/people/{p.alice.pk}/").status_code == 404


def test_an_invited_person_who_resets_their_password_instead_counts_as_joined(personas, client):
    p = personas
    invite(p.client(p.alice), p.dealer_a)
    dan = User.objects.get(email="dan@aldercreek.example")
    dan.set_password("mower-season-2026")
    dan.save()
    dan.emailaddress_set.update(verified=True)
    client.post("/accounts/login/", {"login": dan.email, "password": "mower-season-2026"})
    dan.refresh_from_db()
    assert dan.status == "active"


def test_a_mangled_partner_filter_is_a_404_not_an_error(personas):
    assert personas.client(personas.dana).get("/people/?partner=abc").status_code == 404
