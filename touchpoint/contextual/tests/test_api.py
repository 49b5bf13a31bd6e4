"""The JSON API for the same resolution, for signed-in people and API tokens."""

from __future__ import annotations

from django.test import Client

from tests.support.library import make_asset
from touchpoint.contextual.tests.conftest import map_context
from touchpoint.kernel.models import ActivityEvent, ApiToken


def test_it_resolves_a_context_for_a_token_as_its_owner(personas, birchwood_only):
    guide = make_asset(personas.mia, "X200 extended warranty guide")
    promo = make_asset(personas.mia, "Birchwood promo", audience=birchwood_only)
    map_context(promo, guide, app="pos", screen="extended-warranty")
    secret = ApiToken.issue(personas.bob, "POS", ["content:read"])[1]
    response = Client().get(
        "/api/v1/context?app=POS&screen=Extended Warranty&product=model-x200",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200
    narrow = ApiToken.issue(personas.bob, "Org sync", ["orgs:read"])[1]
    refused = Client().get("/api/v1/context?app=pos", HTTP_AUTHORIZATION=f"Bearer {narrow}")
    assert refused.status_code == 403
    data = response.json()
    assert data["context"] == {
        "app": "pos", "screen": "extended-warranty", "product": "model-x200", "topic": "",
    }  # fmt: skip
    assert data["matched"] == {
        "app": "pos",
        "screen": "extended-warranty",
        "product": "",
        "topic": "",
    }
    assert [i["title"] for i in data["items"]] == ["X200 extended warranty guide"]
    assert data["items"][0]["kind"] == "asset"
    assert data["items"][0]["url"].startswith("http://testserver/go/item/")
    assert data["go_url"] == (
        "http://testserver/go/?app=pos&screen=extended-warranty&product=model-x200"
    )
    event = ActivityEvent.objects.get(verb="requested-help")
    assert event.actor == personas.bob and event.extra["via"] == "api"

    carol = personas.client(personas.carol)  # a browser session works too
    titles = [
        i["title"]
        for i in carol.get("/api/v1/context?app=pos&screen=extended-warranty").json()["items"]
    ]
    assert titles == ["Birchwood promo", "X200 extended warranty guide"]


def test_it_answers_nothing_mapped_with_a_search(personas):
    data = personas.client(personas.bob).get("/api/v1/context?app=crm&topic=financing").json()
    assert data["items"] == [] and data["matched"] is None
    assert data["search_url"] == "http://testserver/search/?q=financing"


def test_it_needs_a_token_or_a_session():
    assert Client().get("/api/v1/context?app=pos").status_code == 401


def test_the_schema_documents_the_endpoint_and_its_response(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/context"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"app", "screen", "product", "topic"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    out = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(out["properties"]) == {"context", "matched", "items", "go_url", "search_url"}
