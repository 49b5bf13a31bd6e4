"""The shared mechanisms: audit log, activity events (xAPI-shaped), notifications by
preference and the periodic-job scheduler."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from touchpoint.kernel import audit
from touchpoint.kernel.activity import as_xapi, record_event
from touchpoint.kernel.models import (
    ActivityEvent,
    AuditEntry,
    Notification,
    NotificationPreference,
    PeriodicJob,
)
from touchpoint.kernel.notifications import notify
from touchpoint.kernel.requestcontext import reset_client_ip, set_client_ip
from touchpoint.kernel.scheduler import JOBS, enqueue_due_jobs


def test_an_audit_entry_keeps_who_what_where_and_the_values(personas):
    p = personas
    token = set_client_ip("203.0.113.9")
    try:
        entry = audit.record(
            p.pat, "partner.updated", p.dealer_a, before={"tier": "Silver"}, after={"tier": "Gold"}
        )
    finally:
        reset_client_ip(token)
    assert (entry.actor_label, entry.ip, entry.partner_id) == (
        "admin@ridgeline.example",
        "203.0.113.9",
        p.dealer_a.pk,
    )
    assert entry.changes() == [("tier", "Silver", "Gold")]


def test_the_audit_log_is_filterable_by_action_person_and_date(personas):
    p = personas
    audit.record(p.pat, "partner.updated", p.dealer_a)
    audit.record(p.alice, "person.invited", p.bob)
    old = audit.record(p.pat, "partner.created", p.dealer_b)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    pat = p.client(p.pat)
    pat.defaults["HTTP_HX_REQUEST"] = "true"  # just the rows, as the filter form fetches them
    by_action = pat.get("/admin/audit/?action=partner.").content.decode()
    assert "partner.updated" in by_action and "person.invited" not in by_action
    by_person = pat.get("/admin/audit/?q=alice").content.decode()
    assert "person.invited" in by_person and "partner.updated" not in by_person
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    recent = pat.get(f"/admin/audit/?since={since}").content.decode()
    assert "partner.created" not in recent
    detail = p.client(p.pat).get(f"/admin/audit/{old.pk}/")
    assert detail.status_code == 200
    assert p.client(p.dana).get(f"/admin/audit/{old.pk}/").status_code == 404  # a record: 404
    assert p.client(p.dana).get("/admin/audit/").status_code == 403  # a page: 403


def test_activity_events_are_append_only(personas):
    event = record_event(personas.bob, "viewed", personas.dealer_a)
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ActivityEvent.objects.all().update(verb="completed")
    with pytest.raises(TypeError):
        ActivityEvent.objects.all().delete()
    with pytest.raises(ValueError):
        record_event(personas.bob, "teleported")


def test_an_activity_event_reads_as_an_xapi_statement(personas, settings):
    settings.SITE_URL = "https://partners.ridgeline.example"
    event = record_event(personas.bob, "viewed", personas.dealer_a, extra={"from": "home"})
    statement = as_xapi(event)
    assert statement["id"] == str(event.statement_id)
    assert statement["actor"]["account"] == {
        "homePage": "https://partners.ridgeline.example",
        "name": str(personas.bob.pk),
    }
    assert statement["verb"]["id"] == "http://id.tincanapi.com/verb/viewed"
    assert (
        statement["object"]["id"]
        == f"https://partners.ridgeline.example/partners/{personas.dealer_a.pk}/"
    )
    assert (
        statement["context"]["extensions"][
            "https://partners.ridgeline.example/xapi/extensions/partner"
        ]
        == personas.dealer_a.pk
    )


def test_signing_in_is_recorded_as_an_activity_event(personas, client):
    client.post(
        "/accounts/login/",
        {"login": "bob@aldercreek.example", "password": "correct horse battery staple"},
    )
    event = ActivityEvent.objects.get(verb="logged-in")
    assert (event.actor, event.partner_id) == (personas.bob, personas.dealer_a.pk)


def test_notifications_follow_each_persons_preference_and_language(personas, on_commit, run_worker):
    p = personas
    p.carol.language = "es"
    p.carol.save()
    NotificationPreference.objects.create(user=p.bob, kind="team", channel="off")
    NotificationPreference.objects.create(user=p.alice, kind="team", channel="email")
    with on_commit():
        notify(
            [p.alice, p.bob, p.carol], "team", "%(n)s joined", params={"n": "Dan"}, url="/people/"
        )
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {
        p.alice.email,
        p.carol.email,
    }
    run_worker()
    # The "team" kind defaults to in-app only; Alice asked for email too.
    assert [m.to for m in mail.outbox] == [[p.alice.email]]
    assert "Dan joined" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives and "Open in the portal" in mail.outbox[0].alternatives[0][0]


def test_security_notifications_cannot_be_switched_off(personas, on_commit, run_worker):
    p = personas
    NotificationPreference.objects.create(user=p.bob, kind="account", channel="off")
    with on_commit():
        notify([p.bob], "account", "A new API token was created")
    run_worker()
    assert Notification.objects.filter(recipient=p.bob).exists()
    assert len(mail.outbox) == 1


def test_email_is_written_in_the_recipients_language(personas, on_commit, run_worker):
    from django.utils.translation import gettext_lazy as _

    p = personas
    p.bob.language = "es"
    p.bob.save()
    with on_commit():
        notify([p.bob], "account", _("Your roles in the portal changed"))
    run_worker()
    with translation.override("es"):
        expected = str(_("Your roles in the portal changed"))
    assert expected != "Your roles in the portal changed"
    assert Notification.objects.get(recipient=p.bob).title == expected
    assert mail.outbox[0].subject == expected


def test_the_notification_centre_marks_read_and_never_redirects_off_site(personas):
    p = personas
    safe, evil = (
        notify([p.bob, p.bob], "team", "x", url="/people/")[0],
        notify([p.bob], "team", "y", url="https://evil.example/")[0],
    )
    bob = p.client(p.bob)
    assert bob.post(f"/notifications/{safe.pk}/open/")["Location"] == "/people/"
    assert bob.post(f"/notifications/{evil.pk}/open/")["Location"] == "/notifications/"
    safe.refresh_from_db()
    assert safe.read_at is not None
    assert b"count" in bob.get("/notifications/badge/").content
    bob.post("/notifications/read-all/")
    assert bob.get("/notifications/badge/").content.strip() == b""
    assert p.client(p.alice).post(f"/notifications/{safe.pk}/open/").status_code == 404


def test_the_scheduler_enqueues_a_due_job_once(personas, run_worker):
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")  # as the worker does at start
    # Every app's periodic jobs are found, so none is lost when code moves between modules.
    assert set(JOBS) == {
        f"touchpoint.{name}"
        for name in (
            "kernel.tasks.prune_old_records", "kernel.tasks.send_digests",
            "orgs.tasks.refresh_all_headcounts",
            "library.tasks.run_housekeeping", "library.tasks.notify_content_owners",
            "courses.tasks.send_training_digests",
            "sessions.tasks.send_session_reminders",
            "credentials.tasks.send_certification_reminders",
            "credentials.tasks.open_recertifications",
            "paths.tasks.apply_all_rules",
            "comms.tasks.publish_announcements", "comms.tasks.deliver_to_newcomers",
            "comms.tasks.run_campaigns",
            "community.tasks.notify_unanswered_questions",
        )
    }  # fmt: skip
    name = "touchpoint.kernel.tasks.prune_old_records"
    assert name in enqueue_due_jobs()
    assert name not in enqueue_due_jobs()  # not due again until its interval passes
    job = PeriodicJob.objects.get(name=name)
    assert job.next_run_at > timezone.now() + timedelta(hours=23)
    later = timezone.now() + timedelta(days=2)
    assert name in enqueue_due_jobs(now=later)
    run_worker()


def test_housekeeping_prunes_old_read_notifications(personas, run_worker):
    p = personas
    old = notify([p.bob], "team", "old")[0]
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now() - timedelta(days=200))
    fresh = notify([p.bob], "team", "fresh")[0]
    from touchpoint.kernel.tasks import prune_old_records

    result = prune_old_records.call()
    assert result["notifications"] == 1
    assert Notification.objects.filter(pk=fresh.pk).exists()


def test_the_client_address_is_read_from_trusted_proxies_only(rf, settings):
    from touchpoint.kernel.requestcontext import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1  # the balancer appended the real client; 6.6.6.6 is made up
    assert client_ip(request) == "198.51.100.7"


def test_every_activity_verb_has_a_label_for_people():
    from touchpoint.kernel.activity import VERB_LABELS, VERBS

    assert set(VERB_LABELS) == set(VERBS)


def test_it_refuses_to_migrate_a_database_from_before_the_layers(db):
    from django.db.migrations.recorder import MigrationRecorder

    from touchpoint.kernel.checks import no_database_from_before_the_layers

    assert no_database_from_before_the_layers(None, databases=["default"]) == []
    MigrationRecorder(connection).record_applied("core", "0004_notification_digests")
    errors = no_database_from_before_the_layers(None, databases=["default"])
    assert [e.id for e in errors] == ["touchpoint.E001"] and "make clean" in errors[0].hint
