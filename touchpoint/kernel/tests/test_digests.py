"""Notification preferences and digests: each person chooses per kind how messages reach
them (portal only, email right away, daily or weekly digest, off); digests go out once per
period at about 07:00 in their own time zone and language; every email can be unsubscribed
from without signing in; urgent messages reach everyone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.digests import claim, due_digests, send_due_digests
from touchpoint.kernel.models import AuditEntry, Digest, Notification, NotificationPreference
from touchpoint.kernel.notifications import (
    KINDS,
    channel_for,
    notify,
    read_unsubscribe_token,
    unsubscribe_token,
)
from touchpoint.kernel.tasks import send_digests

UTC = zoneinfo.ZoneInfo("UTC")
MONDAY = datetime(2025, 6, 2, tzinfo=UTC)  # a Monday


def at(day: datetime, hour: int, minute: int = 0, tz: str = "UTC") -> datetime:
    return day.replace(hour=hour, minute=minute, tzinfo=zoneinfo.ZoneInfo(tz))


def choose(person, **channels: str) -> None:  # type: ignore[no-untyped-def]
    for kind, channel in channels.items():
        NotificationPreference.objects.update_or_create(
            user=person, kind=kind, defaults={"channel": channel}
        )


def notify_at(when: datetime, people, kind: str, title, **kwargs):  # type: ignore[no-untyped-def]
    rows = notify(people, kind, title, **kwargs)
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=when)
    return rows


def html_of(message) -> str:  # type: ignore[no-untyped-def]
    (html, mimetype), *_rest = message.alternatives
    assert mimetype == "text/html"
    return str(html)


# --- preferences -----------------------------------------------------------------------------
def test_it_saves_a_channel_per_kind_and_never_switches_required_kinds_off(personas):
    p = personas
    bob = p.client(p.bob)
    page = bob.get("/me/").content.decode()
    # A table of kinds, each select named by its kind's label and described by its help.
    assert '<label for="id_prefs-team"' in page
    assert 'aria-describedby="id_prefs-team_helptext"' in page
    account_select = page.split('id="id_prefs-account"')[1].split("</select>")[0]
    assert 'value="off"' not in account_select and 'value="daily"' in account_select

    # Staff-only kinds (library housekeeping, moderation) are not offered to a partner person.
    assert 'id="id_prefs-content"' not in page
    assert 'id="id_prefs-content"' in p.client(p.mia).get("/me/").content.decode()
    partner_kinds = [code for code, kind in KINDS.items() if not kind.staff_only]
    choices = dict.fromkeys(partner_kinds, "in_app") | {
        "team": "daily", "approvals": "weekly", "program": "off", "account": "email",
    }  # fmt: skip
    response = bob.post(
        "/me/", {"save_prefs": "1", **{f"prefs-{k}": v for k, v in choices.items()}}
    )
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=p.bob).values_list("kind", "channel"))
    assert saved == choices
    assert AuditEntry.objects.filter(action="notifications.preferences_changed").exists()

    refused = bob.post("/me/", {"save_prefs": "1", **{f"prefs-{k}": "off" for k in partner_kinds}})
    assert "Select a valid choice" in refused.content.decode()
    assert NotificationPreference.objects.get(user=p.bob, kind="team").channel == "daily"

    # Whatever is stored (an old row, a hand edit), account messages still come.
    NotificationPreference.objects.filter(user=p.bob, kind="account").update(channel="off")
    assert channel_for(p.bob, "account") == "email"


def test_it_still_emails_right_away_with_an_unsubscribe_link(
    personas, on_commit, run_worker, mailoutbox, settings
):
    p = personas
    choose(p.alice, team="email")
    with on_commit():
        notify([p.alice], "team", "%(n)s joined", params={"n": "Dan"}, url="/people/")
    assert not Notification.objects.exclude(digest_frequency="").exists()
    run_worker()
    [message] = mailoutbox
    assert message.subject == "Dan joined"
    assert f"{settings.SITE_URL}/people/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/unsubscribe/" in link and link in html_of(message) and link in message.body


# --- digests ---------------------------------------------------------------------------------
def test_it_gathers_a_days_notifications_into_one_digest_grouped_by_kind(
    personas, on_commit, run_worker, mailoutbox, settings
):
    p = personas
    settings.SITE_URL = "https://partners.ridgeline.example"
    choose(p.bob, team="daily", approvals="daily", program="email")
    yesterday = MONDAY - timedelta(days=1)
    with on_commit():
        notify_at(at(yesterday, 9), [p.bob], "team", "Dan joined", url="/people/")
        notify_at(at(yesterday, 10), [p.bob], "team", "Eve left", body="She moved to Oslo.")
        notify_at(at(yesterday, 11), [p.bob], "approvals", "Your deal was approved", url="/d/1/")
    run_worker()
    assert mailoutbox == []  # nothing went right away; all three wait in the portal
    assert Notification.objects.filter(recipient=p.bob, digest_frequency="daily").count() == 3

    assert send_due_digests(now=at(MONDAY, 6, 59))["sent"] == 0  # not yet seven
    result = send_due_digests(now=at(MONDAY, 7, 5))
    assert result == {"sent": 1, "failed": 0, "empty": 0, "more": 0}
    [message] = mailoutbox
    assert message.to == [p.bob.email]
    assert "daily digest" in message.subject and "3 new notifications" in message.subject
    text, html = message.body, html_of(message)
    # Grouped by kind, in the order kinds are registered: approvals before team.
    assert text.index("APPROVALS") < text.index("MY TEAM") < text.index("Dan joined")
    assert "Eve left" in text and "She moved to Oslo." in text
    assert "https://partners.ridgeline.example/people/" in text
    assert 'href="https://partners.ridgeline.example/d/1/"' in html
    assert "Approvals" in html and "My team" in html
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]

    digest = Digest.objects.get(user=p.bob)
    assert (digest.frequency, digest.item_count, str(digest.period)) == ("daily", 3, "2025-06-02")
    assert not Notification.objects.exclude(digest_frequency="").exists()
    assert Notification.objects.filter(digest=digest, read_at__isnull=True).count() == 3


def test_it_lists_a_few_items_per_kind_and_links_to_the_rest(personas, mailoutbox, monkeypatch):
    p = personas
    monkeypatch.setattr("touchpoint.kernel.digests.ITEMS_PER_KIND", 2)
    choose(p.bob, team="daily")
    for n in range(5):
        notify_at(at(MONDAY - timedelta(days=1), 9 + n), [p.bob], "team", f"Person {n} joined")
    send_due_digests(now=at(MONDAY, 7))
    [message] = mailoutbox
    assert "Person 4 joined" in message.body and "Person 2 joined" not in message.body
    assert "And 3 more in the portal" in message.body and "5 new notifications" in message.subject


def test_it_writes_the_digest_in_the_persons_language(personas, mailoutbox):
    p = personas
    p.carol.language = "es"
    p.carol.save()
    choose(p.carol, approvals="daily", team="daily")
    yesterday = MONDAY - timedelta(days=1)
    notify_at(at(yesterday, 9), [p.carol], "approvals", _("Approvals"))
    notify_at(at(yesterday, 9), [p.carol], "team", "Dan joined")
    send_due_digests(now=at(MONDAY, 8))
    [message] = mailoutbox
    # Kind labels and the title (a translated string) come in Spanish.
    assert "Aprobaciones" in html_of(message) and "Mi equipo" in html_of(message)
    assert "APROBACIONES" in message.body
    assert Notification.objects.get(recipient=p.carol, kind="approvals").title == "Aprobaciones"


def test_it_sends_a_digest_once_even_if_the_job_runs_twice(personas, run_worker, mailoutbox):
    p = personas
    choose(p.bob, team="daily")
    notify_at(timezone.now() - timedelta(days=2), [p.bob], "team", "Dan joined")
    send_digests.enqueue()
    send_digests.enqueue()
    run_worker()
    send_digests.enqueue()
    run_worker()
    assert len(mailoutbox) == 1
    assert Digest.objects.filter(user=p.bob).count() == 1

    # Two workers claiming the same period at once: the second wins no rows.
    notify_at(timezone.now() - timedelta(days=1), [p.carol], "team", "x")
    choose(p.carol, team="daily")
    Notification.objects.filter(recipient=p.carol).update(digest_frequency="daily")
    dues, _more = due_digests(timezone.now(), 10)
    first, second = claim(dues, timezone.now()), claim(dues, timezone.now())
    assert Digest.objects.filter(claim=first).count() == 1
    assert not Digest.objects.filter(claim=second).exists()
    assert Notification.objects.get(recipient=p.carol).digest.claim == first


def test_it_sends_weekly_digests_only_on_monday_morning(personas, mailoutbox):
    p = personas
    choose(p.bob, team="weekly")
    notify_at(at(MONDAY + timedelta(days=1), 12), [p.bob], "team", "Tuesday news")
    notify_at(at(MONDAY + timedelta(days=3), 12), [p.bob], "team", "Thursday news")
    for day in range(1, 7):  # Tuesday to Sunday: nothing
        send_due_digests(now=at(MONDAY + timedelta(days=day), 20))
    send_due_digests(now=at(MONDAY + timedelta(days=7), 6))
    assert mailoutbox == []
    send_due_digests(now=at(MONDAY + timedelta(days=7), 7, 30))
    send_due_digests(now=at(MONDAY + timedelta(days=7), 8, 30))
    [message] = mailoutbox
    assert "weekly digest" in message.subject
    assert "Tuesday news" in message.body and "Thursday news" in message.body


def test_it_waits_for_seven_in_the_persons_own_time_zone(personas, mailoutbox):
    p = personas
    p.bob.time_zone = "America/New_York"
    p.bob.save()
    p.ingrid.time_zone = "Europe/Oslo"
    p.ingrid.save()
    choose(p.bob, team="daily")
    choose(p.ingrid, team="daily")
    sunday = MONDAY - timedelta(days=1)
    notify_at(at(sunday, 12), [p.bob, p.ingrid], "team", "Dan joined")  # after 07:00 in both
    send_due_digests(now=at(MONDAY, 5, 30))  # 07:30 in Oslo, 01:30 in New York
    assert [m.to for m in mailoutbox] == [[p.ingrid.email]]
    send_due_digests(now=at(MONDAY, 11, 30))  # 07:30 in New York
    assert [m.to for m in mailoutbox] == [[p.ingrid.email], [p.bob.email]]
    # The email shows times in the reader's zone: 12:00 UTC is 08:00 in New York.
    assert "08:00" in mailoutbox[1].body and "14:00" in mailoutbox[0].body


def test_it_serves_a_few_people_per_run_and_carries_on_with_the_rest(
    personas, run_worker, mailoutbox, settings
):
    p = personas
    settings.NOTIFICATION_DIGEST_BATCH_SIZE = 2
    people = [p.alice, p.bob, p.carol, p.hannah, p.ingrid]
    for person in people:
        choose(person, team="daily")
    notify_at(timezone.now() - timedelta(days=2), people, "team", "Dan joined")
    result = send_due_digests()
    assert result["sent"] == 2 and result["more"] == 1
    send_digests.enqueue()  # the task queues the next run itself while more are due
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(person.email for person in people)


def test_an_operator_can_send_due_digests_by_hand(personas, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    p = personas
    choose(p.bob, team="weekly")
    notify_at(at(MONDAY, 12), [p.bob], "team", "Dan joined")
    out = StringIO()
    call_command("send_digests", at="2025-06-09T07:30:00+00:00", stdout=out)
    assert out.getvalue().startswith("1 sent") and len(mailoutbox) == 1


def test_it_leaves_out_what_was_read_in_the_portal(personas, mailoutbox):
    p = personas
    choose(p.bob, team="daily")
    sunday = MONDAY - timedelta(days=1)
    seen = notify_at(at(sunday, 9), [p.bob], "team", "Seen already")[0]
    notify_at(at(sunday, 10), [p.bob], "team", "Not seen yet")
    Notification.objects.filter(pk=seen.pk).update(read_at=at(sunday, 12))
    send_due_digests(now=at(MONDAY, 7))
    [message] = mailoutbox
    assert "Not seen yet" in message.body and "Seen already" not in message.body
    # All read: no email at all, and nothing left waiting.
    notify_at(at(MONDAY, 9), [p.bob], "team", "Read too")
    Notification.objects.filter(title="Read too").update(read_at=at(MONDAY, 10))
    assert send_due_digests(now=at(MONDAY + timedelta(days=1), 7))["empty"] == 1
    assert len(mailoutbox) == 1
    assert not Notification.objects.exclude(digest_frequency="").exists()


def test_it_keeps_a_digest_for_the_next_run_when_sending_fails(personas, mailoutbox, monkeypatch):
    p = personas
    choose(p.bob, team="daily")
    notify_at(at(MONDAY - timedelta(days=1), 9), [p.bob], "team", "Dan joined")

    def refuse(self, *args):  # type: ignore[no-untyped-def]
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    assert send_due_digests(now=at(MONDAY, 7))["failed"] == 1
    assert not Digest.objects.exists()
    assert Notification.objects.get(recipient=p.bob).digest_frequency == "daily"
    monkeypatch.undo()
    assert send_due_digests(now=at(MONDAY, 8))["sent"] == 1
    assert len(mailoutbox) == 1


def test_it_moves_waiting_items_when_the_choice_changes(personas, mailoutbox):
    p = personas
    choose(p.bob, team="daily", approvals="daily")
    notify_at(at(MONDAY - timedelta(days=1), 9), [p.bob], "team", "Dan joined")
    notify_at(at(MONDAY - timedelta(days=1), 9), [p.bob], "approvals", "Approved")
    bob = p.client(p.bob)
    form = {f"prefs-{k}": "in_app" for k in KINDS} | {"prefs-team": "weekly"}
    bob.post("/me/", {"save_prefs": "1", **form})
    waiting = dict(Notification.objects.values_list("kind", "digest_frequency"))
    assert waiting == {"team": "weekly", "approvals": ""}


def test_learning_training_digest_goes_into_the_daily_email_not_a_second_one(
    personas, on_commit, run_worker, mailoutbox
):
    p = personas
    choose(p.bob, training="daily")
    with on_commit():  # what learning's daily job does for each person
        notify([p.bob], "training", "2 courses need your attention", body="• A\n• B")
    run_worker()
    assert mailoutbox == []
    send_due_digests(now=timezone.now() + timedelta(days=1, hours=1))
    [message] = mailoutbox
    assert "2 courses need your attention" in message.body


# --- unsubscribe -----------------------------------------------------------------------------
def test_it_unsubscribes_from_a_link_without_signing_in(personas, mailoutbox):
    p = personas
    choose(p.bob, team="daily", approvals="email")
    notify_at(at(MONDAY - timedelta(days=1), 9), [p.bob], "team", "Dan joined")
    send_due_digests(now=at(MONDAY, 7))
    [message] = mailoutbox
    stop_team = next(
        line.split(": ", 1)[1] for line in message.body.splitlines() if line.startswith("Stop “My")
    )
    path = urlsplit(stop_team).path
    anonymous = Client(enforce_csrf_checks=True)

    confirm = anonymous.get(path)
    assert confirm.status_code == 200 and "My team" in confirm.content.decode()
    assert "b…@aldercreek.example" in confirm.content.decode()
    assert NotificationPreference.objects.get(user=p.bob, kind="team").channel == "daily"

    done = anonymous.post(path)  # a mail client's one-click POST has no CSRF token either
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert NotificationPreference.objects.get(user=p.bob, kind="team").channel == "in_app"
    assert NotificationPreference.objects.get(user=p.bob, kind="approvals").channel == "email"
    assert AuditEntry.objects.filter(action="notifications.unsubscribed").exists()

    # "All" stops every kind that comes by email, leaving account messages alone.
    everything = message.extra_headers["List-Unsubscribe"].strip("<>")
    anonymous.post(urlsplit(everything).path, {"List-Unsubscribe": "One-Click"})  # RFC 8058
    saved = dict(NotificationPreference.objects.filter(user=p.bob).values_list("kind", "channel"))
    assert saved["approvals"] == "in_app" and "account" not in saved
    assert channel_for(p.bob, "account") == "email"
    assert all(channel_for(p.bob, k) in ("in_app", "off") for k in KINDS if k != "account")


def test_it_refuses_a_tampered_unsubscribe_link(personas):
    p = personas
    token = unsubscribe_token(p.bob, "team")
    assert read_unsubscribe_token(token) == (p.bob.pk, "team")
    forged = signing.dumps({"u": p.carol.pk, "k": "team"}, salt="some other salt")
    for bad in (token[:-3] + "abc", forged, "nonsense"):
        response = Client().post(f"/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    p.bob.is_active = False
    p.bob.save()
    assert Client().get(f"/unsubscribe/{token}/").status_code == 404


def test_it_unsubscribes_from_all_email_on_the_profile_page(personas):
    p = personas
    choose(p.bob, team="email", approvals="weekly", program="off")
    response = p.client(p.bob).post("/me/", {"no_email": "1"})
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=p.bob).values_list("kind", "channel"))
    assert saved["team"] == saved["approvals"] == "in_app" and saved["program"] == "off"


# --- urgent ----------------------------------------------------------------------------------
@pytest.mark.parametrize("choice", ["off", "daily", "in_app"])
def test_it_emails_urgent_messages_whatever_was_chosen(
    personas, on_commit, run_worker, mailoutbox, choice
):
    p = personas
    choose(p.bob, team=choice)
    with on_commit():
        [row] = notify([p.bob], "team", "Recall: model X mowers", urgent=True)
    assert row.digest_frequency == ""
    run_worker()
    [message] = mailoutbox
    assert message.subject == "Recall: model X mowers"
    assert "List-Unsubscribe" not in message.extra_headers  # it cannot be unsubscribed from
