"""Reach: delivered, read and acknowledged by partner, limited to a channel manager's
partners; the CSV; reminders at most once an hour; and who may see it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import Personas
from touchpoint.comms import actions
from touchpoint.comms.models import Delivery
from touchpoint.comms.tests.helpers import announce
from touchpoint.kernel.models import Notification

pytestmark = pytest.mark.django_db


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_it_counts_reach_by_partner_for_the_author(personas: Personas) -> None:
    announcement = announce(personas.pat, requires_ack=True)
    actions.acknowledge(personas.bob, announcement)
    actions.mark_read(personas.carol, announcement)
    page = personas.client(personas.pat).get(reverse("comms:reach", args=[announcement.pk]))
    rows = {r["partner__name"]: r for r in page.context["page"]}
    assert page.context["totals"] == {"delivered": 5, "read": 2, "acknowledged": 1}
    assert rows["Alder Creek Outdoor"]["acknowledged"] == 1
    assert rows["Alder Creek – Rutland"]["delivered"] == 1
    assert rows["Birchwood Power & Garden"]["read"] == 1


def test_it_limits_reach_by_partner_to_a_channel_managers_partners(personas: Personas) -> None:
    announcement = announce(personas.mia, requires_ack=True)
    dana = personas.client(personas.dana).get(reverse("comms:reach", args=[announcement.pk]))
    names = {r["partner__name"] for r in dana.context["page"]}
    assert names == {"Alder Creek Outdoor", "Alder Creek – Rutland", "Birchwood Power & Garden"}
    assert dana.context["totals"]["delivered"] == 4
    assert "Counted for the partners you manage." in dana.content.decode()

    evan = personas.client(personas.evan)
    assert {
        r["partner__name"]
        for r in evan.get(reverse("comms:reach", args=[announcement.pk])).context["page"]
    } == {"Fjord Maskin AS"}
    rows = _csv(evan.get(reverse("comms:reach_csv", args=[announcement.pk])))
    assert rows == [
        ["Partner", "Delivered", "Read", "Acknowledged"],
        ["Fjord Maskin AS", "1", "0", "0"],
    ]


def test_it_exports_reach_as_a_csv_that_spreadsheets_cannot_run(personas: Personas) -> None:
    personas.dealer_b.name = '=HYPERLINK("http://evil.example","Birchwood")'
    personas.dealer_b.save()
    announcement = announce(personas.pat)
    response = personas.client(personas.pat).get(reverse("comms:reach_csv", args=[announcement.pk]))
    assert response["Content-Type"].startswith("text/csv")
    names = [row[0] for row in _csv(response)[1:]]
    assert '\'=HYPERLINK("http://evil.example","Birchwood")' in names


def test_it_reminds_those_who_have_not_acknowledged_at_most_once_an_hour(
    personas: Personas, run_worker: Any, on_commit: Any
) -> None:
    announcement = announce(personas.pat, requires_ack=True)
    actions.acknowledge(personas.alice, announcement)
    pat = personas.client(personas.pat)
    url = reverse("comms:remind", args=[announcement.pk])

    with on_commit():
        first = pat.post(url, follow=True)
    assert (
        "A reminder is on its way to 4 people who have not acknowledged." in first.content.decode()
    )
    run_worker()
    reminded = set(
        Notification.objects.filter(kind="announcements").values_list("recipient__email", flat=True)
    )
    assert reminded == {
        p.email for p in (personas.bob, personas.hannah, personas.carol, personas.ingrid)
    }

    with on_commit():
        second = pat.post(url, follow=True)
    assert "reminded within the last hour" in second.content.decode()
    run_worker()
    assert Notification.objects.filter(kind="announcements").count() == 4

    # An hour later, those still missing are reminded again; a channel manager reminds only hers.
    Delivery.objects.update(reminded_at=timezone.now() - timedelta(hours=1, minutes=1))
    dana = personas.client(personas.dana).post(url, follow=True)
    assert "on its way to 3 people" in dana.content.decode()


def test_it_keeps_reach_from_people_who_may_not_see_it(personas: Personas) -> None:
    announcement = announce(personas.pat)
    assert (
        personas.client(personas.alice)
        .get(reverse("comms:reach", args=[announcement.pk]))
        .status_code
        == 404
    )
    mine = announce(personas.mia, "Mia's news")
    # A content owner follows up her own announcements, not Pat's.
    mia = personas.client(personas.mia)
    assert mia.get(reverse("comms:reach", args=[mine.pk])).status_code == 200
    assert mia.get(reverse("comms:reach", args=[announcement.pk])).status_code == 404
