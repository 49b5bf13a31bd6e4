"""People read what a context is about, not the slugs the other system sends: a mapping
has a title its content owner writes, and without one the slugs are shown as words."""

from __future__ import annotations

from django.test import Client

from tests.support.library import make_asset
from touchpoint.contextual import actions
from touchpoint.contextual.models import Integration
from touchpoint.contextual.tests.conftest import map_context

ORIGIN = "https://pos.aldercreek.example"
ASKED = "app=pos&screen=extended-warranty&product=model-x200"


def widget_answer(personas):
    _integration, token = actions.create_integration(
        personas.pat, Integration(name="Alder Creek POS", allowed_origins=f"{ORIGIN}\n")
    )
    return (
        Client()
        .get(f"/widget/v1/items/?{ASKED}", HTTP_X_TOUCHPOINT_TOKEN=token, HTTP_ORIGIN=ORIGIN)
        .json()
    )


def test_the_widget_names_the_context_by_its_mappings_title(personas):
    guide = make_asset(personas.mia, "X200 extended warranty guide")
    map_context(guide, app="pos", screen="extended-warranty", title="Selling the extended warranty")
    assert widget_answer(personas)["context_label"] == "Selling the extended warranty"


def test_without_a_title_the_widget_shows_words_not_slugs(personas):
    guide = make_asset(personas.mia, "X200 extended warranty guide")
    map_context(guide, app="pos", screen="extended-warranty")
    label = widget_answer(personas)["context_label"]
    assert label == "Extended warranty · Model x200"
    assert "/" not in label and "-" not in label


def test_bob_following_a_deep_link_reads_the_title(personas):
    guide = make_asset(personas.mia, "X200 extended warranty guide")
    other = make_asset(personas.mia, "Warranty claim checklist")
    map_context(guide, other, app="pos", screen="extended-warranty", title="Warranty at the till")
    body = personas.client(personas.bob).get(f"/go/?{ASKED}").content.decode()
    assert "For Warranty at the till" in body
    assert "pos / extended-warranty" not in body


def test_mia_gives_a_mapping_a_title_and_sees_it_in_the_list(personas):
    client = personas.client(personas.mia)
    client.post(
        "/context/new/",
        {"app": "pos", "screen": "extended-warranty", "title": "Selling the extended warranty"},
    )
    listing = client.get("/context/").content.decode()
    assert "Selling the extended warranty" in listing


def test_mia_finds_a_mapping_by_its_title(personas):
    guide = make_asset(personas.mia, "X200 extended warranty guide")
    map_context(guide, app="pos", screen="extended-warranty", title="Selling the plan at the till")
    map_context(guide, app="dms", screen="parts-order")
    listing = personas.client(personas.mia).get("/context/?q=till").content.decode()
    assert "Selling the plan at the till" in listing and "parts-order" not in listing
