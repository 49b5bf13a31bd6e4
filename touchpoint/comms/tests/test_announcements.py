"""Writing, publishing and reading announcements: scheduling, empty audiences, "posted before
announced", urgent email and pinning, acknowledgement, deliveries and search."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import Personas
from tests.support.courses import make_course
from tests.support.library import make_asset
from touchpoint.comms import actions
from touchpoint.comms.models import Announcement, AnnouncementState, Delivery
from touchpoint.comms.tests.helpers import announce, audience_of
from touchpoint.kernel.models import ActivityEvent, AuditEntry, Notification
from touchpoint.search.models import Entry

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "New warranty policy",
        "body": "Register every sale within 10 days.",
        "priority": "normal",
        "audience": "",
        "asset": "",
        "course": "",
        "publish_at": "",
        "ends_at": "",
        "intent": "publish",
    }
    data.update(overrides)
    return data


def _local(when: Any) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_it_refuses_a_publish_time_in_the_past(personas: Personas) -> None:
    pat = personas.client(personas.pat)
    yesterday = _local(timezone.now() - timedelta(days=1))
    response = pat.post(reverse("comms:announcement_create"), _form(publish_at=yesterday))
    assert response.status_code == 200
    assert "This time has passed" in response.content.decode()
    assert not Announcement.objects.exists()


def test_it_schedules_a_future_time_and_the_publisher_sends_it_when_due(
    personas: Personas, run_worker: Any, on_commit: Any
) -> None:
    pat = personas.client(personas.pat)
    later = timezone.now() + timedelta(hours=2)
    response = pat.post(reverse("comms:announcement_create"), _form(publish_at=_local(later)))
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.state == AnnouncementState.SCHEDULED
    assert actions.publish_due(timezone.now()) == {"published": 0, "held": 0}

    with on_commit():
        result = actions.publish_due(later + timedelta(minutes=1))
    assert result["published"] == 1
    run_worker()
    announcement.refresh_from_db()
    assert announcement.state == AnnouncementState.PUBLISHED
    assert announcement.delivered_at is not None
    # Everyone: alice, bob, hannah, carol and ingrid.
    assert Delivery.objects.filter(announcement=announcement).count() == 5


def test_it_warns_with_the_count_when_the_audience_reaches_nobody(personas: Personas) -> None:
    empty = audience_of(name="Nobody yet")
    empty.regions.add(personas.regions["emea"])
    empty.job_roles.add(personas.roles["parts"])
    pat = personas.client(personas.pat)

    preview = pat.get(reverse("comms:reach_preview"), {"audience": empty.pk})
    assert "reaches 0 people" in preview.content.decode()
    everyone = pat.get(reverse("comms:reach_preview"), {"audience": ""})
    assert "Reaches 5 people." in everyone.content.decode()

    refused = pat.post(reverse("comms:announcement_create"), _form(audience=empty.pk))
    page = refused.content.decode()
    assert "This audience reaches 0 people" in page
    assert "Publish even though the audience reaches nobody yet" in page
    assert not Announcement.objects.exists()

    confirmed = pat.post(
        reverse("comms:announcement_create"), _form(audience=empty.pk, confirm_empty="on")
    )
    assert confirmed.status_code == 302
    assert Announcement.objects.get().state == AnnouncementState.PUBLISHED


def test_it_refuses_to_publish_before_the_linked_item_is_published(personas: Personas) -> None:
    draft = make_asset(personas.pat, "Warranty policy 2025", publish=False)
    course = make_course(personas.mia, "Warranty basics", publish=False)
    pat = personas.client(personas.pat)

    response = pat.post(reverse("comms:announcement_create"), _form(asset=draft.pk))
    assert (
        "“Warranty policy 2025” is not published yet. Publish it first" in response.content.decode()
    )
    response = pat.post(reverse("comms:announcement_create"), _form(course=course.pk))
    assert "The course “Warranty basics” is not published yet" in response.content.decode()
    assert not Announcement.objects.exists()

    # An item scheduled after the announcement's time is refused as well.
    from touchpoint.library.actions import publish_asset

    publish_asset(personas.pat, draft, timezone.now() + timedelta(days=3))
    tomorrow = _local(timezone.now() + timedelta(days=1))
    response = pat.post(
        reverse("comms:announcement_create"), _form(asset=draft.pk, publish_at=tomorrow)
    )
    assert "is scheduled to publish at" in response.content.decode()
    assert not Announcement.objects.exists()


def test_it_holds_back_a_scheduled_announcement_until_its_item_is_published(
    personas: Personas,
) -> None:
    draft = make_asset(personas.pat, "Warranty policy 2025", publish=False)
    later = timezone.now() + timedelta(hours=1)
    announcement = actions.save_announcement(
        personas.mia,
        Announcement(title="New policy", body="<p>Read it.</p>", asset=draft, publish_at=later),
        publish=True,
    )
    assert announcement.state == AnnouncementState.SCHEDULED

    due = later + timedelta(minutes=1)
    assert actions.publish_due(due) == {"published": 0, "held": 1}
    announcement.refresh_from_db()
    assert announcement.state == AnnouncementState.HELD
    assert "not published yet" in announcement.held_reason
    told = Notification.objects.get(recipient=personas.mia, kind="comms_authoring")
    assert "held back" in told.title
    # The next run does not tell her again.
    actions.publish_due(due + timedelta(minutes=5))
    assert Notification.objects.filter(recipient=personas.mia).count() == 1
    # Her home says so.
    assert "held back" in personas.client(personas.mia).get("/").content.decode()

    from touchpoint.library.actions import publish_asset

    publish_asset(personas.pat, draft)
    assert actions.publish_due(due + timedelta(minutes=10))["published"] == 1
    announcement.refresh_from_db()
    assert announcement.state == AnnouncementState.PUBLISHED
    assert announcement.held_reason == ""


def test_it_emails_urgent_ones_to_everyone_and_pins_them_until_acknowledged(
    personas: Personas, run_worker: Any, mailoutbox: list[Any], on_commit: Any
) -> None:
    from touchpoint.kernel.models import Channel, NotificationPreference

    # Bob switched announcements off: urgent ones reach him anyway.
    NotificationPreference.objects.create(
        user=personas.bob, kind="announcements", channel=Channel.OFF
    )
    pat = personas.client(personas.pat)
    with on_commit():
        pat.post(
            reverse("comms:announcement_create"),
            _form(title="Recall: X200 deck spindle", priority="urgent", requires_ack="on"),
        )
    run_worker()
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted(
        p.email
        for p in (personas.alice, personas.bob, personas.hannah, personas.carol, personas.ingrid)
    )
    assert mailoutbox[0].subject == "Urgent: Recall: X200 deck spindle"
    # Running again (the catch-up job) emails nobody twice.
    from touchpoint.comms.tasks import deliver_to_newcomers

    deliver_to_newcomers.call()
    assert len(mailoutbox) == 5

    bob = personas.client(personas.bob)
    home = bob.get("/").content.decode()
    assert 'class="pinned-news"' in home and "Recall: X200 deck spindle" in home
    announcement = Announcement.objects.get()
    bob.post(reverse("comms:acknowledge", args=[announcement.pk]))
    assert 'class="pinned-news"' not in bob.get("/").content.decode()


def test_it_acknowledges_once_and_says_so_the_second_time(personas: Personas) -> None:
    announcement = announce(personas.pat, requires_ack=True)
    bob = personas.client(personas.bob)
    url = reverse("comms:acknowledge", args=[announcement.pk])

    first = bob.post(url, follow=True)
    assert "your acknowledgement of “New warranty policy” is recorded" in first.content.decode()
    delivery = Delivery.objects.get(announcement=announcement, user=personas.bob)
    assert delivery.acknowledged_at is not None and delivery.read_at is not None

    second = bob.post(url, HTTP_HX_REQUEST="true")
    assert second.status_code == 200
    assert "You acknowledged this on" in second.content.decode()
    assert "nothing changed" in second.content.decode()
    delivery.refresh_from_db()
    assert Delivery.objects.get(pk=delivery.pk).acknowledged_at == delivery.acknowledged_at
    assert ActivityEvent.objects.filter(actor=personas.bob, verb="acknowledged").count() == 1


def test_it_marks_as_read_from_the_feed_and_by_opening_it(personas: Personas) -> None:
    first = announce(personas.pat, "Spring clinics")
    second = announce(personas.pat, "Portal maintenance")
    bob = personas.client(personas.bob)

    partial = bob.post(reverse("comms:mark_read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert "Marked as read." in partial.content.decode()
    again = bob.post(reverse("comms:mark_read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert "You had already read this." in again.content.decode()
    bob.get(second.get_absolute_url())
    assert Delivery.objects.filter(user=personas.bob, read_at__isnull=False).count() == 2
    unread = bob.get(reverse("comms:feed"), {"show": "unread"}).content.decode()
    assert "No announcements" not in unread and "Nothing here." in unread


def test_it_shows_people_only_what_is_meant_for_them(personas: Personas) -> None:
    announce(personas.pat, "For Birchwood", audience=audience_of(personas.dealer_b))
    announce(personas.pat, "For everyone")
    feed = personas.client(personas.alice).get(reverse("comms:feed")).content.decode()
    assert "For everyone" in feed and "For Birchwood" not in feed
    assert (
        "For Birchwood"
        in personas.client(personas.carol).get(reverse("comms:feed")).content.decode()
    )


def test_it_delivers_to_people_who_join_the_audience_later(personas: Personas) -> None:
    from tests.support import factories as f
    from touchpoint.comms.tasks import deliver_to_newcomers

    announcement = announce(personas.pat, audience=audience_of(personas.dealer_a))
    assert Delivery.objects.filter(announcement=announcement).count() == 3  # alice, bob, hannah
    newcomer = f.PersonFactory(email="nina@aldercreek.example", partner=personas.dealer_a)
    # Her feed shows it at once; listing it writes nothing…
    feed = personas.client(newcomer).get(reverse("comms:feed"))
    assert announcement.title in feed.content.decode()
    assert not Delivery.objects.filter(announcement=announcement, user=newcomer).exists()
    # …the periodic catch-up reaches her and those who have not visited…
    other = f.PersonFactory(email="omar@aldercreek.example", partner=personas.dealer_a)
    assert deliver_to_newcomers.call() == 2
    assert Delivery.objects.get(announcement=announcement, user=other).partner == personas.dealer_a
    # …and reading one before the catch-up makes the reader's delivery, counted in reach.
    late = f.PersonFactory(email="paz@aldercreek.example", partner=personas.dealer_a)
    personas.client(late).post(reverse("comms:mark_read", args=[announcement.pk]))
    assert Delivery.objects.get(announcement=announcement, user=late).read_at is not None
    assert deliver_to_newcomers.call() == 0


def test_it_keeps_channel_managers_to_their_own_partners(personas: Personas) -> None:
    evan = personas.client(personas.evan)
    refused = evan.post(reverse("comms:announcement_create"), _form())
    assert "reaches people at partners you do not manage" in refused.content.decode()
    fjord = audience_of(personas.dealer_c, name="Fjord Maskin")
    allowed = evan.post(reverse("comms:announcement_create"), _form(audience=fjord.pk))
    assert allowed.status_code == 302


def test_it_keeps_channel_managers_to_their_own_partners_in_the_action_too(
    personas: Personas,
) -> None:
    """Not only the form: whatever calls the action (a demo, a later API) cannot address
    people at partners the channel manager does not manage, not even in a draft."""
    birchwood = audience_of(personas.dealer_b, name="Birchwood")
    for publish in (False, True):
        with pytest.raises(ValidationError) as refused:
            actions.save_announcement(
                personas.evan, Announcement(title="Hello", body="<p>Hi</p>", audience=birchwood),
                publish=publish,
            )  # fmt: skip
        assert "audience" in refused.value.message_dict
    assert not Announcement.objects.exists()
    mine = actions.save_announcement(
        personas.dana, Announcement(title="Hello", body="<p>Hi</p>", audience=birchwood),
        publish=False,
    )  # fmt: skip
    assert mine.author == personas.dana


def test_it_is_found_in_search_while_live(personas: Personas) -> None:
    announcement = announce(personas.pat, "Recall of the X200 deck spindle")
    entry = Entry.objects.get(kind="announcement", object_id=str(announcement.pk))
    assert entry.audience_id is None and entry.url == announcement.get_absolute_url()
    actions.end_now(personas.pat, announcement)
    assert not Entry.objects.filter(kind="announcement").exists()
    assert "Recall" not in personas.client(personas.bob).get(reverse("comms:feed")).content.decode()


def test_it_keeps_attachments_checked_and_within_the_size_limit(
    personas: Personas, settings: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.library import PDF

    settings.MAX_DOCUMENT_BYTES = 1000
    pat = personas.client(personas.pat)
    too_big = SimpleUploadedFile("policy.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    response = pat.post(reverse("comms:announcement_create"), {**_form(), "attachments": too_big})
    assert "the limit is 1000" in response.content.decode()
    script = SimpleUploadedFile(
        "policy.pdf", b"<script>alert(1)</script>", content_type="application/pdf"
    )
    response = pat.post(reverse("comms:announcement_create"), {**_form(), "attachments": script})
    assert "This file type is not accepted here" in response.content.decode()
    good = SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf")
    assert (
        pat.post(reverse("comms:announcement_create"), {**_form(), "attachments": good}).status_code
        == 302
    )
    announcement = Announcement.objects.get()
    attachment = announcement.attachments.get()
    download = personas.client(personas.bob).get(
        reverse("comms:attachment", args=[announcement.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_it_sanitises_the_text_and_audits_the_change(personas: Personas) -> None:
    pat = personas.client(personas.pat)
    pat.post(
        reverse("comms:announcement_create"),
        _form(body='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">x</a></p>'),
    )
    announcement = Announcement.objects.get()
    assert "script" not in announcement.body and "onclick" not in announcement.body
    assert "javascript" not in announcement.body
    assert AuditEntry.objects.filter(action="announcement.created", actor=personas.pat).exists()


def test_it_reports_scheduled_announcements_in_launch_readiness(personas: Personas) -> None:
    from touchpoint.library.readiness import build_readiness

    readiness = build_readiness()
    assert any(
        "No announcement or campaign step is scheduled" in str(m) for m in readiness.channel_missing
    )
    actions.save_announcement(
        personas.pat,
        Announcement(
            title="Launch", body="<p>Soon</p>", publish_at=timezone.now() + timedelta(days=2)
        ),
        publish=True,
    )
    readiness = build_readiness()
    assert not any("No announcement" in str(m) for m in readiness.channel_missing)
    fact = next(f for f in readiness.channel if str(f.label) == "Scheduled announcements")
    assert fact.value == 1


def test_it_writes_no_deliveries_when_people_list_their_news(personas: Personas) -> None:
    announce(personas.pat, "Spring clinics", deliver=False)
    bob = personas.client(personas.bob)
    assert "Spring clinics" in bob.get(reverse("comms:feed")).content.decode()
    assert "Spring clinics" in bob.get("/").content.decode()
    assert not Delivery.objects.exists()


def test_it_answers_404_on_an_announcement_someone_may_follow_but_not_change(
    personas: Personas,
) -> None:
    announcement = announce(personas.pat)
    edit = reverse("comms:announcement_edit", args=[announcement.pk])
    end = reverse("comms:announcement_end", args=[announcement.pk])
    # Dana follows its reach for her partners, but did not write it.
    dana = personas.client(personas.dana)
    assert dana.get(reverse("comms:reach", args=[announcement.pk])).status_code == 200
    assert dana.get(edit).status_code == 404
    assert dana.post(end).status_code == 404
    # Bob reads it; the authors' pages are not his.
    bob = personas.client(personas.bob)
    assert bob.get(announcement.get_absolute_url()).status_code == 200
    assert bob.get(edit).status_code == 404
    assert bob.get(reverse("comms:reach", args=[announcement.pk])).status_code == 404
    assert bob.get(reverse("comms:manage")).status_code == 403
    announcement.refresh_from_db()
    assert announcement.ends_at is None


def test_it_keeps_what_came_before_when_narrowing_to_a_reader(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    announce(personas.pat, "Spring clinics")
    with django_assert_num_queries(1):
        rows = list(Announcement.objects.select_related("author").received_by(personas.bob))
        assert [r.author.name for r in rows] == [personas.pat.name]
