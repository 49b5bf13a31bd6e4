"""Staff screens: content owners and portal admins map contexts to items, reorder and
remove them, delete a mapping, and read what was asked, what came up empty and what was
opened. Every change leaves an audit entry."""

from __future__ import annotations

import pytest

from tests.support.courses import make_course
from tests.support.library import make_asset
from touchpoint.contextual.models import ContextItem, ContextMapping, ContextUsage
from touchpoint.contextual.tests.conftest import map_context
from touchpoint.courses.models import Lesson
from touchpoint.kernel.models import AuditEntry


def test_mia_maps_the_extended_warranty_screen_end_to_end(personas):
    client = personas.client(personas.mia)
    guide = make_asset(personas.mia, "X200 extended warranty guide")
    course = make_course(personas.mia, "Extended warranty at the POS", ["text", "text"])
    lesson = Lesson.objects.filter(version=course.published_version).first()

    created = client.post(
        "/context/new/", {"app": "POS", "screen": "Extended Warranty", "product": "model-x200"}
    )
    mapping = ContextMapping.objects.get()
    assert created["Location"] == f"/context/{mapping.pk}/"
    assert mapping.label == "pos / extended-warranty / model-x200 / *"

    picker = client.get(f"/context/{mapping.pk}/picker/?q=warranty")
    body = picker.content.decode()
    assert f'value="asset:{guide.pk}"' in body and f'value="course:{course.pk}"' in body
    lesson_picker = client.get(f"/context/{mapping.pk}/picker/?q={lesson.title}").content.decode()
    assert f'value="lesson:{course.pk}:{lesson.key}"' in lesson_picker
    # Without script, the edit page shows the same results.
    assert (
        f'value="asset:{guide.pk}"'
        in client.get(f"/context/{mapping.pk}/?q=warranty").content.decode()
    )

    for target in (f"asset:{guide.pk}", f"course:{course.pk}", f"lesson:{course.pk}:{lesson.key}"):
        assert (
            client.post(f"/context/{mapping.pk}/items/add/", {"target": target}).status_code == 302
        )
    again = client.post(
        f"/context/{mapping.pk}/items/add/", {"target": f"asset:{guide.pk}"}, follow=True
    )
    assert "in the list already" in again.content.decode()
    items = list(mapping.items.order_by("position"))
    assert [i.kind for i in items] == ["asset", "course", "lesson"]

    client.post(f"/context/{mapping.pk}/items/{items[2].pk}/move/", {"direction": "up"})
    assert [i.kind for i in mapping.items.order_by("position")] == ["asset", "lesson", "course"]
    client.post(f"/context/{mapping.pk}/items/{items[0].pk}/remove/")
    assert [i.kind for i in mapping.items.order_by("position")] == ["lesson", "course"]

    page = client.get(f"/context/{mapping.pk}/")
    assert page.status_code == 200
    assert (
        "/go/?app=pos&amp;screen=extended-warranty&amp;product=model-x200" in page.content.decode()
    )

    client.post(f"/context/{mapping.pk}/delete/")
    assert not ContextMapping.objects.exists() and not ContextItem.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="context_mapping.").values_list(
            "action", flat=True
        )
    )
    assert sorted(set(actions)) == [
        "context_mapping.created", "context_mapping.deleted", "context_mapping.item_added",
        "context_mapping.item_removed", "context_mapping.reordered",
    ]  # fmt: skip
    deleted = AuditEntry.objects.get(action="context_mapping.deleted")
    assert len(deleted.before["items"]) == 2


def test_one_context_has_one_mapping(personas):
    map_context(app="pos", screen="extended-warranty")
    page = personas.client(personas.pat).post(
        "/context/new/", {"app": "pos", "screen": "Extended warranty"}
    )
    assert page.status_code == 200
    assert "already exists" in page.content.decode()
    empty = personas.client(personas.pat).post("/context/new/", {"note": "nothing named"})
    assert "at least one" in empty.content.decode()


def test_the_list_filters_by_words_application_and_gaps(personas):
    guide = make_asset(personas.mia, "Guide")
    map_context(guide, app="pos", screen="extended-warranty")
    map_context(app="dms", screen="warranty-claim")
    client = personas.client(personas.mia)
    assert client.get("/context/").status_code == 200
    body = client.get("/context/?q=warranty&app=dms").content.decode()
    assert "warranty-claim" in body and "extended-warranty" not in body
    gaps = client.get("/context/?items=none", HTTP_HX_REQUEST="true")
    assert "warranty-claim" in gaps.content.decode() and "<html" not in gaps.content.decode()


def test_the_usage_page_shows_what_is_asked_empty_and_opened(personas):
    guide = make_asset(personas.mia, "X200 extended warranty guide")
    mapping = map_context(guide, app="pos", screen="extended-warranty")
    bob = personas.client(personas.bob)
    bob.get("/go/?app=pos&screen=extended-warranty")
    bob.get("/go/?app=pos&screen=trade-in")
    bob.get("/go/?app=pos&screen=trade-in")
    page = personas.client(personas.mia).get("/context/usage/")
    assert page.status_code == 200
    gaps = page.context["gaps"]
    assert [(row.screen, row.empty) for row, _ctx in gaps] == [("trade-in", 2)]
    assert "/context/new/?app=pos&amp;screen=trade-in" in page.content.decode()
    assert [i.pk for i in page.context["opened"]] == [mapping.items.get().pk]
    assert page.context["totals"] == {"asked": 3, "empty": 2, "opened": 1}
    assert ContextUsage.objects.count() == 2


def test_the_map_it_link_fills_in_the_asked_context(personas):
    page = personas.client(personas.mia).get("/context/new/?app=pos&screen=trade-in")
    assert page.context["form"].initial["screen"] == "trade-in"


@pytest.mark.parametrize("who", ["alice", "bob", "dana"])
def test_only_portal_admins_and_content_owners_map_contexts(personas, who):
    mapping = map_context(app="pos")
    client = personas.client(getattr(personas, who))
    assert client.get("/context/").status_code == 403
    assert client.get("/context/usage/").status_code == 403
    assert client.get(f"/context/{mapping.pk}/").status_code == 404
    assert client.post(f"/context/{mapping.pk}/delete/").status_code == 404
    assert ContextMapping.objects.exists()
