"""Content in Spanish: authors give an announcement, a course and its lessons, a library
item, a feature tour and its stops, or a launcher link a Spanish version; Bob, who reads the
portal in Spanish, sees it wherever the item shows (falling back to the original where
nothing is translated); authors see which languages are missing or out of date; search
finds the Spanish words; lists fetch every translation in one query."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.support.courses import make_course
from tests.support.library import make_asset
from touchpoint.comms import actions as comms
from touchpoint.comms import campaigns
from touchpoint.comms.models import Announcement, Campaign, CampaignStep, StepKind
from touchpoint.comms.tests.helpers import announce
from touchpoint.contextual.models import LauncherLink
from touchpoint.courses.models import Lesson
from touchpoint.kernel.actions import save_translation
from touchpoint.kernel.models import AuditEntry, Translation
from touchpoint.search.query import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_bob(personas: Any) -> Any:
    personas.bob.language = "es"
    personas.bob.save()
    return personas.client(personas.bob)


def translations_url(kind: str, pk: int) -> str:
    return reverse("kernel:translations", args=[kind, pk])


# --- announcements ------------------------------------------------------------------------------
def test_bob_reads_the_spanish_version_and_alice_the_original(personas, spanish_bob):
    policy = announce(personas.pat, "New warranty policy")
    untranslated = announce(personas.pat, "Spring price list")
    save_translation(
        personas.pat,
        policy,
        "es",
        {policy: {"title": "Nueva política de garantía", "body": "Registre cada venta."}},
    )

    feed = spanish_bob.get("/news/").content.decode()
    assert "Nueva política de garantía" in feed and "New warranty policy" not in feed
    assert "Spring price list" in feed  # nothing in Spanish: the original
    page = spanish_bob.get(policy.get_absolute_url()).content.decode()
    assert "Registre cada venta." in page
    assert "Nueva política de garantía" in spanish_bob.get("/").content.decode()

    alice_feed = personas.client(personas.alice).get("/news/").content.decode()
    assert "New warranty policy" in alice_feed and "Nueva política" not in alice_feed
    assert untranslated.title in alice_feed


def test_pat_sees_spanish_missing_then_up_to_date_then_out_of_date(personas):
    policy = announce(personas.pat, "New warranty policy")
    pat = personas.client(personas.pat)
    edit = reverse("comms:announcement_edit", args=[policy.pk])
    assert "Missing" in pat.get(edit).content.decode()

    saved = pat.post(
        translations_url("announcement", policy.pk),
        {"language": "es", "0-title": "Nueva política de garantía", "0-body": "Registre."},
    )
    assert saved.status_code == 302
    assert "Up to date" in pat.get(edit).content.decode()
    entry = AuditEntry.objects.get(action="translation.saved")
    assert entry.after["language"] == "es" and entry.actor == personas.pat

    policy.refresh_from_db()
    policy.title = "New warranty policy for 2027"
    comms.save_announcement(personas.pat, policy, publish=True)
    assert "Out of date" in pat.get(edit).content.decode()
    page = pat.get(translations_url("announcement", policy.pk)).content.decode()
    assert "Original: New warranty policy for 2027" in page
    assert 'value="Nueva política de garantía"' in page


def test_search_finds_the_spanish_words_and_links_the_item(personas, on_commit):
    policy = announce(personas.pat, "New warranty policy")
    with on_commit():
        save_translation(
            personas.pat,
            policy,
            "es",
            {policy: {"title": "Nueva política de garantía", "body": "Registre cada venta."}},
        )
    personas.bob.language = "es"
    results = search(personas.bob, "garantía")
    assert [h.url for h in results.hits] == [policy.get_absolute_url()]


def test_each_reader_finds_an_item_once_in_the_version_they_read(personas, on_commit):
    # Both versions are indexed; a search offers the reader's own, never the item twice.
    policy = announce(personas.pat, "New warranty policy")
    with on_commit():
        save_translation(
            personas.pat,
            policy,
            "es",
            {policy: {"title": "Nueva política de garantía X200", "body": "Warranty X200."}},
        )
    english = search(personas.bob, "warranty")
    assert [str(h.title) for h in english.hits] == ["New <mark>warranty</mark> policy"]
    assert english.total == 1
    personas.bob.language = "es"
    spanish = search(personas.bob, "warranty")
    assert [h.url for h in spanish.hits] == [policy.get_absolute_url()]
    assert str(spanish.hits[0].title).startswith("Nueva política")
    assert spanish.total == 1


def test_urgent_email_goes_out_in_each_persons_language(personas, mailoutbox):
    from touchpoint.comms.deliveries import deliver_announcement

    personas.bob.language = "es"
    personas.bob.save()
    recall = announce(personas.pat, "Deck spindle recall", priority="urgent", deliver=False)
    save_translation(
        personas.pat, recall, "es", {recall: {"title": "Retirada del husillo de la cubierta"}}
    )
    deliver_announcement.call(recall.pk)
    by_person = {m.to[0]: m for m in mailoutbox}
    assert "Retirada del husillo de la cubierta" in by_person[personas.bob.email].subject
    assert "Deck spindle recall" in by_person[personas.alice.email].subject


def test_a_partner_and_another_department_cannot_open_the_translations(personas):
    policy = announce(personas.pat, "New warranty policy")
    course = make_course(personas.mia, "X200 service basics", department="Sales")
    carol = personas.client(personas.carol)
    assert carol.get(translations_url("announcement", policy.pk)).status_code == 404
    assert carol.get(translations_url("course", course.pk)).status_code == 404
    assert (
        carol.post(
            translations_url("course", course.pk), {"language": "es", "0-title": "Hola"}
        ).status_code
        == 404
    )
    assert not Translation.objects.exists()
    assert personas.client(personas.pat).get(translations_url("nothing", 1)).status_code == 404


def test_the_feed_reads_every_translation_in_one_query(personas, spanish_bob):
    def translated(title):
        a = announce(personas.pat, title)
        save_translation(personas.pat, a, "es", {a: {"title": f"{title} (es)"}})

    translated("One")
    with CaptureQueriesContext(connection) as one:
        spanish_bob.get("/news/")
    for title in ("Two", "Three", "Four", "Five"):
        translated(title)
    with CaptureQueriesContext(connection) as five:
        body = spanish_bob.get("/news/").content.decode()
    assert "Five (es)" in body and "One (es)" in body
    assert len(five.captured_queries) == len(one.captured_queries)


# --- courses and lessons ------------------------------------------------------------------------
def test_bob_learns_in_spanish_and_mia_translates_the_lessons_with_the_course(
    personas, spanish_bob
):
    course = make_course(personas.mia, "X200 service basics")
    lessons = list(Lesson.objects.filter(version=course.published_version))
    mia = personas.client(personas.mia)
    form = mia.get(translations_url("course", course.pk)).content.decode()
    assert lessons[0].title in form  # each lesson of the published version has its fields
    mia.post(
        translations_url("course", course.pk),
        {
            "language": "es",
            "0-title": "Fundamentos del servicio X200",
            "0-summary": "Lo básico",
            "1-title": "Lección de texto 1",
            "1-body": "<p>Lea esto.</p><script>alert(1)</script>",
        },
    )
    spanish = lessons[0].translations.get(language="es")
    assert "<script>" not in spanish.fields["body"]

    catalog = spanish_bob.get("/learn/").content.decode()
    assert "Fundamentos del servicio X200" in catalog
    detail = spanish_bob.get(course.get_absolute_url()).content.decode()
    assert "Lección de texto 1" in detail and lessons[1].title in detail  # the other: original
    spanish_bob.post(reverse("courses:course_enrol", args=[course.pk]))
    player = spanish_bob.get(reverse("courses:lesson", args=[course.pk, lessons[0].key]))
    assert "Lea esto." in player.content.decode()

    settings_page = mia.get(reverse("courses:course_edit", args=[course.pk])).content.decode()
    assert "Partly translated" in settings_page  # the second lesson is not, yet


def test_the_catalog_reads_every_translation_in_one_query(personas, spanish_bob):
    def translated(title):
        course = make_course(personas.mia, title)
        save_translation(personas.mia, course, "es", {course: {"title": f"{title} (es)"}})

    translated("One")
    with CaptureQueriesContext(connection) as one:
        spanish_bob.get("/learn/")
    for title in ("Two", "Three", "Four"):
        translated(title)
    with CaptureQueriesContext(connection) as four:
        body = spanish_bob.get("/learn/").content.decode()
    assert "Four (es)" in body and "One (es)" in body
    assert len(four.captured_queries) == len(one.captured_queries)


# --- library items ----------------------------------------------------------------------------------
def test_a_library_item_reads_in_the_persons_language_either_way(personas, spanish_bob):
    guide = make_asset(personas.mia, "X200 warranty guide")
    save_translation(personas.mia, guide, "es", {guide: {"title": "Guía de garantía X200"}})
    folleto = make_asset(personas.mia, "Folleto de temporada", language="es")
    save_translation(personas.mia, folleto, "en", {folleto: {"title": "Season leaflet"}})

    section = guide.section.get_absolute_url()
    in_spanish = spanish_bob.get(section).content.decode()
    assert "Guía de garantía X200" in in_spanish and "Folleto de temporada" in in_spanish
    in_english = personas.client(personas.alice).get(section).content.decode()
    assert "X200 warranty guide" in in_english and "Season leaflet" in in_english
    assert "Guía de garantía X200" in spanish_bob.get(guide.get_absolute_url()).content.decode()


def test_a_spanish_item_is_not_offered_a_spanish_translation(personas):
    folleto = make_asset(personas.mia, "Folleto de temporada", language="es")
    page = personas.client(personas.mia).get(translations_url("asset", folleto.pk)).content.decode()
    assert 'href="?language=en"' in page and 'href="?language=es"' not in page


# --- the feature tour ---------------------------------------------------------------------------
def test_bob_takes_the_tour_in_spanish(personas, spanish_bob):
    campaign = comms.save_campaign(personas.pat, Campaign(name="Portal launch"))
    when = timezone.now() + timedelta(minutes=1)
    tour = comms.save_step(
        personas.pat,
        CampaignStep(
            campaign=campaign, kind=StepKind.TOUR, title="Welcome tour", run_at=when,
            ends_at=when + timedelta(days=30),
        ),
        [{"title": "Home", "text": "Start here.", "url": "/"},
         {"title": "Learning", "text": "Courses.", "url": "/learn/"}],
    )  # fmt: skip
    stops = list(tour.stops.all())
    pat = personas.client(personas.pat)
    pat.post(
        translations_url("tour", tour.pk),
        {"language": "es", "0-title": "Visita", "1-title": "Inicio", "1-text": "Empiece aquí."},
    )
    campaigns.start_due_steps(timezone.now() + timedelta(minutes=2))
    CampaignStep.objects.filter(pk=tour.pk).update(started_at=timezone.now())

    home = spanish_bob.get("/").content.decode()
    assert "Empiece aquí." in home
    second = spanish_bob.get(reverse("comms:tour", args=[tour.pk]), {"stop": 1}).content.decode()
    assert "Courses." in second  # the second stop is not translated: the original

    # Changing a stop keeps its translation and marks it out of date.
    comms.save_step(
        personas.pat, CampaignStep.objects.get(pk=tour.pk),
        [{"title": "Home page", "text": "Start here.", "url": "/"},
         {"title": "Learning", "text": "Courses.", "url": "/learn/"}],
    )  # fmt: skip
    assert stops[0].translations.filter(language="es").exists()
    assert "Out of date" in pat.get(translations_url("tour", tour.pk)).content.decode()


# --- launcher links and the widget ---------------------------------------------------------------
def test_the_apps_page_and_home_name_a_link_in_spanish(personas, spanish_bob):
    from touchpoint.contextual import actions as contextual

    link = contextual.save_launcher_link(
        personas.pat,
        # Pinned, so home offers it among the quick links.
        LauncherLink(name="Warranty claims", url="https://claims.ridgeline.example/", on_home=True),
    )
    save_translation(personas.pat, link, "es", {link: {"name": "Reclamaciones de garantía"}})
    assert "Reclamaciones de garantía" in spanish_bob.get("/apps/").content.decode()
    assert "Reclamaciones de garantía" in spanish_bob.get("/").content.decode()
    assert "Warranty claims" in personas.client(personas.alice).get("/apps/").content.decode()


def test_the_widget_offers_the_spanish_title_to_a_spanish_page(personas):
    from django.test import Client

    from touchpoint.contextual import actions as contextual
    from touchpoint.contextual.models import Integration
    from touchpoint.contextual.tests.conftest import map_context

    guide = make_asset(personas.mia, "X200 warranty guide")
    save_translation(personas.mia, guide, "es", {guide: {"title": "Guía de garantía X200"}})
    map_context(guide, app="pos", screen="extended-warranty")
    origin = "https://pos.aldercreek.example"
    _i, token = contextual.create_integration(
        personas.pat, Integration(name="POS", allowed_origins=f"{origin}\n")
    )

    def titles(lang):
        answer = Client().get(
            f"/widget/v1/items/?app=pos&screen=extended-warranty&lang={lang}",
            HTTP_X_TOUCHPOINT_TOKEN=token,
            HTTP_ORIGIN=origin,
        )
        return [i["title"] for i in answer.json()["items"]]

    assert titles("es") == ["Guía de garantía X200"]
    assert titles("en") == ["X200 warranty guide"]


def test_a_localised_row_cannot_overwrite_the_original(personas):
    policy = announce(personas.pat, "New warranty policy")
    save_translation(personas.pat, policy, "es", {policy: {"title": "Nueva política"}})
    read = Announcement.objects.in_language("es").get(pk=policy.pk)
    assert read.title == "Nueva política"
    with pytest.raises(RuntimeError):
        read.save()
    assert Announcement.objects.get(pk=policy.pk).title == "New warranty policy"


def test_a_new_course_version_keeps_the_lessons_spanish(personas, spanish_bob):
    from touchpoint.courses import actions as learning

    course = make_course(personas.mia, "X200 service basics")
    first = Lesson.objects.filter(version=course.published_version).first()
    save_translation(
        personas.mia, course, "es", {course: {"title": "Servicio X200"}, first: {"title": "Lea"}}
    )
    learning.start_draft(personas.mia, course)
    learning.publish_draft(personas.mia, course, "Second version")
    course.refresh_from_db()
    spanish_bob.post(reverse("courses:course_enrol", args=[course.pk]))
    detail = spanish_bob.get(course.get_absolute_url()).content.decode()
    assert "Lea" in detail and first.title not in detail
    page = personas.client(personas.mia).get(translations_url("course", course.pk)).content.decode()
    assert "Partly translated" in page  # the second lesson never was; the first is current


def test_a_reminder_names_the_announcement_in_each_persons_language(personas):
    from touchpoint.comms.deliveries import _remind

    personas.bob.language = "es"
    personas.bob.save()
    policy = announce(personas.pat, "New warranty policy", requires_ack=True)
    save_translation(personas.pat, policy, "es", {policy: {"title": "Nueva política"}})
    _remind([personas.bob, personas.alice], policy)
    titles = {n.recipient: n.title for n in personas.bob.notifications.model.objects.all()}
    assert "Nueva política" in titles[personas.bob] and "New warranty" not in titles[personas.bob]
    assert "New warranty policy" in titles[personas.alice]
