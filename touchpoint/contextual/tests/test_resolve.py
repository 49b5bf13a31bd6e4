"""Resolution: the most specific matching mapping with something to show wins; blank means
any; what people see is published and meant for them; otherwise a search."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tests.support.courses import make_course
from tests.support.library import make_asset
from touchpoint.contextual.models import ContextMapping, normalise
from touchpoint.contextual.resolve import Context, Viewer, resolve
from touchpoint.contextual.tests.conftest import map_context
from touchpoint.courses.models import Lesson


def titles(resolution):
    return [item.title for item in resolution.items]


def ask(user, **values):
    return resolve(Context.from_data(values), Viewer.person(user))


@pytest.fixture
def items(personas):
    mia = personas.mia
    return {
        "guide": make_asset(mia, "X200 extended warranty guide"),
        "pos": make_asset(mia, "Using the POS"),
        "screen": make_asset(mia, "Warranty screen basics"),
        "product": make_asset(mia, "X200 at a glance"),
        "topic": make_asset(mia, "Financing talk track"),
    }


def test_it_prefers_the_mapping_naming_more_of_the_asked_context(personas, items):
    map_context(items["pos"], app="pos")
    map_context(items["screen"], app="pos", screen="extended-warranty")
    map_context(items["guide"], app="pos", screen="extended-warranty", product="model-x200")

    bob = personas.bob
    assert titles(ask(bob, app="pos", screen="extended-warranty", product="model-x200")) == [
        "X200 extended warranty guide"
    ]
    # A different model falls back to the screen's mapping, then to the application's.
    assert titles(ask(bob, app="pos", screen="extended-warranty", product="model-r21")) == [
        "Warranty screen basics"
    ]
    assert titles(ask(bob, app="pos", screen="checkout")) == ["Using the POS"]
    # A mapping naming a dimension the request left blank does not match.
    assert ask(bob, app="dms").items == []


def test_it_breaks_ties_by_screen_then_product_then_topic_then_application(personas, items):
    map_context(items["product"], app="pos", product="model-x200")
    map_context(items["screen"], app="pos", screen="extended-warranty")
    map_context(items["topic"], app="pos", topic="financing")
    asked = {"app": "pos", "screen": "extended-warranty", "product": "model-x200"}

    resolution = ask(personas.bob, **asked, topic="financing")
    assert titles(resolution) == ["Warranty screen basics"]  # screen beats product and topic
    assert titles(ask(personas.bob, app="pos", product="model-x200", topic="financing")) == [
        "X200 at a glance"
    ]  # product beats topic
    map_context(items["pos"], product="model-x200", topic="financing")
    # Two named dimensions beat one, whichever they are.
    assert titles(ask(personas.bob, app="pos", product="model-x200", topic="financing")) == [
        "Using the POS"
    ]


def test_it_normalises_what_is_asked_and_what_is_stored(personas, items):
    mapping = map_context(items["guide"], app=" POS ", screen="Extended  Warranty")
    assert (mapping.app, mapping.screen) == ("pos", "extended-warranty")
    assert normalise("  Model\tX200 ") == "model-x200"
    resolution = ask(personas.bob, app="Pos", screen="extended warranty")
    assert titles(resolution) == ["X200 extended warranty guide"]
    assert resolution.context.values == {
        "app": "pos", "screen": "extended-warranty", "product": "", "topic": "",
    }  # fmt: skip


def test_it_keeps_the_mappings_order(personas, items):
    map_context(items["topic"], items["guide"], items["pos"], app="pos")
    assert titles(ask(personas.bob, app="pos")) == [
        "Financing talk track", "X200 extended warranty guide", "Using the POS",
    ]  # fmt: skip


def test_it_shows_only_published_items_meant_for_the_person(personas, items, birchwood_only):
    p = personas
    draft = make_asset(p.mia, "Draft notes", publish=False)
    for_birchwood = make_asset(p.mia, "Birchwood promo", audience=birchwood_only)
    map_context(draft, for_birchwood, items["guide"], app="pos", screen="extended-warranty")

    assert titles(ask(p.bob, app="pos", screen="extended-warranty")) == [
        "X200 extended warranty guide"
    ]
    assert titles(ask(p.carol, app="pos", screen="extended-warranty")) == [
        "Birchwood promo", "X200 extended warranty guide",
    ]  # fmt: skip
    # Vendor staff see every published item, whatever its audience.
    assert titles(ask(p.pat, app="pos", screen="extended-warranty")) == [
        "Birchwood promo", "X200 extended warranty guide",
    ]  # fmt: skip


def test_it_falls_back_to_a_broader_mapping_when_the_best_has_nothing_for_the_person(
    personas, items, birchwood_only
):
    p = personas
    map_context(
        make_asset(p.mia, "Birchwood promo", audience=birchwood_only), app="pos", screen="checkout"
    )
    map_context(items["pos"], app="pos")
    assert titles(ask(p.bob, app="pos", screen="checkout")) == ["Using the POS"]
    assert titles(ask(p.carol, app="pos", screen="checkout")) == ["Birchwood promo"]


def test_it_offers_courses_and_lessons_in_their_published_version(personas, birchwood_only):
    p = personas
    course = make_course(p.mia, "Extended warranty at the POS", ["text", "text"])
    lesson = Lesson.objects.filter(version=course.published_version).order_by("position").last()
    draft_only = make_course(p.mia, "Not yet", ["text"], publish=False)
    private = make_course(p.mia, "Birchwood course", ["text"], audience=birchwood_only)
    map_context(
        (course, lesson.key), course, draft_only, private,
        (course, uuid.uuid4()),  # a lesson no longer in the course
        app="pos", screen="extended-warranty",
    )  # fmt: skip
    resolution = ask(p.bob, app="pos", screen="extended-warranty")
    assert [(i.kind, i.title) for i in resolution.items] == [
        ("lesson", lesson.title), ("course", "Extended warranty at the POS"),
    ]  # fmt: skip
    assert resolution.items[0].target_url == reverse("courses:lesson", args=[course.pk, lesson.key])


def test_it_falls_back_to_a_search_for_the_contexts_words(personas):
    resolution = ask(personas.bob, app="pos", screen="trade-in", product="model-x200")
    assert resolution.items == [] and resolution.mapping is None
    assert resolution.search_url == "/search/?q=trade+in+model+x200"
    assert ask(personas.bob, app="crm").search_url == "/search/?q=crm"


def test_it_lists_what_an_integration_may_show(personas, items, birchwood_only):
    from touchpoint.contextual.models import Integration

    for_birchwood = make_asset(personas.mia, "Birchwood promo", audience=birchwood_only)
    map_context(for_birchwood, items["guide"], app="pos")
    everyone = Integration(name="POS", allowed_origins="https://pos.example")
    birchwood = Integration(
        name="Birchwood POS", allowed_origins="https://pos.example", audience=birchwood_only
    )
    context = Context(app="pos")
    assert titles(resolve(context, Viewer.integration(everyone))) == [
        "X200 extended warranty guide"
    ]
    assert titles(resolve(context, Viewer.integration(birchwood))) == [
        "Birchwood promo", "X200 extended warranty guide",
    ]  # fmt: skip


def test_it_resolves_among_many_mappings_in_two_queries(
    personas, items, django_assert_max_num_queries
):
    for n in range(40):
        map_context(items["pos"], app="pos", screen=f"screen-{n}", product=f"model-{n % 5}")
    map_context(items["guide"], items["topic"], app="pos", screen="screen-7", product="model-9")
    bob = personas.bob
    bob.partner  # noqa: B018  (loaded once per request by then)
    with django_assert_max_num_queries(6):  # partner and tier lookups, audiences, items
        resolution = ask(bob, app="pos", screen="screen-7", product="model-9")
    assert titles(resolution) == ["X200 extended warranty guide", "Financing talk track"]
    staff = personas.pat
    with django_assert_max_num_queries(1):
        ask(staff, app="pos", screen="screen-7")


def test_it_refuses_a_mapping_that_names_nothing(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least one"):
        ContextMapping(app=" ").full_clean()
