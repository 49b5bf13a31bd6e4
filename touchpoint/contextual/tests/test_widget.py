"""The embeddable widget: its JSON endpoint answers registered origins only, by integration
token, never with credentials; integrations are registered by portal admins with a token
shown once and stored hashed; the script stays small; the demo point-of-sale page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.library import make_asset
from touchpoint.contextual import actions
from touchpoint.contextual.models import ContextUsage, Integration, normalise_origin
from touchpoint.contextual.resolve import Context, Viewer, resolve
from touchpoint.contextual.tests.conftest import map_context
from touchpoint.kernel.models import ActivityEvent, AuditEntry
from touchpoint.kernel.tokens import hash_token

ORIGIN = "https://pos.aldercreek.example"
URL = "/widget/v1/items/?app=pos&screen=extended-warranty&product=model-x200"


@pytest.fixture
def pos(personas):
    return actions.create_integration(
        personas.pat, Integration(name="Alder Creek POS", allowed_origins=f"{ORIGIN}\n")
    )


def ask(token, origin=ORIGIN, url=URL, method="get"):
    headers = {"HTTP_X_TOUCHPOINT_TOKEN": token} if token else {}
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return getattr(Client(), method)(url, **headers)


@pytest.fixture
def mapped(personas, birchwood_only):
    guide = make_asset(personas.mia, "X200 extended warranty guide")
    promo = make_asset(personas.mia, "Birchwood promo", audience=birchwood_only)
    return map_context(promo, guide, app="pos", screen="extended-warranty")


def test_it_answers_a_registered_origin_with_the_items_for_everyone(personas, pos, mapped):
    integration, token = pos
    response = ask(token)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response["Vary"]
    assert "Access-Control-Allow-Credentials" not in response
    assert "Set-Cookie" not in response
    data = response.json()
    assert [i["title"] for i in data["items"]] == ["X200 extended warranty guide"]
    item = data["items"][0]
    assert item["url"].startswith("http://testserver/go/item/")
    assert "via=widget" in item["url"] and "product=model-x200" in item["url"]
    assert data["search_url"] == "http://testserver/search/?q=extended+warranty+model+x200"
    assert data["labels"]["heading"] == "Help & training for this screen"

    event = ActivityEvent.objects.get(verb="requested-help")
    assert event.actor_id is None
    assert event.extra["via"] == "widget" and event.extra["integration"] == integration.pk
    assert ContextUsage.objects.get(product="model-x200").asked == 1
    integration.refresh_from_db()
    assert integration.last_used_at is not None


def test_an_integration_with_an_audience_also_lists_that_audiences_items(
    personas, mapped, birchwood_only
):
    _integration, token = actions.create_integration(
        personas.pat,
        Integration(name="Birchwood POS", allowed_origins=ORIGIN, audience=birchwood_only),
    )
    titles = [i["title"] for i in ask(token).json()["items"]]
    assert titles == ["Birchwood promo", "X200 extended warranty guide"]


def test_it_answers_in_the_language_the_page_asks_for(pos, mapped):
    _integration, token = pos
    from django.utils import translation

    from touchpoint.contextual.views.widget import labels

    with translation.override("es"):
        spanish = labels()
    assert ask(token, url=URL + "&lang=es-MX").json()["labels"] == spanish
    assert ask(token, url=URL + "&lang=xx").json()["labels"]["close"] == "Close"


def test_it_refuses_an_origin_the_integration_did_not_register(pos, mapped):
    _integration, token = pos
    response = ask(token, origin="https://evil.example")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert response.json()["detail"]
    assert not ActivityEvent.objects.filter(verb="requested-help").exists()
    # A look-alike is another origin.
    assert ask(token, origin=ORIGIN + ".evil.example").status_code == 403
    assert ask(token, origin=ORIGIN.replace("https", "http")).status_code == 403


def test_it_answers_the_preflight_of_a_registered_origin_only(pos):
    allowed = ask(None, method="options")
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert allowed["Access-Control-Allow-Headers"] == "X-Touchpoint-Token"
    assert allowed["Access-Control-Allow-Methods"] == "GET"
    assert "Access-Control-Allow-Credentials" not in allowed
    refused = ask(None, origin="https://evil.example", method="options")
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused


@pytest.mark.parametrize("token", [None, "tpw_unknown", "tp_an-api-token", "x" * 500])
def test_it_refuses_a_missing_or_unknown_token(pos, token):
    response = ask(token)
    assert response.status_code == 401
    assert response.json() == {"detail": "Missing, unknown or revoked widget token."}
    assert "Access-Control-Allow-Origin" not in response


def test_a_revoked_token_stops_working_at_once(personas, pos, mapped):
    integration, token = pos
    assert ask(token).status_code == 200
    personas.client(personas.pat).post(f"/context/integrations/{integration.pk}/revoke/")
    integration.refresh_from_db()
    assert integration.revoked_at is not None
    assert ask(token).status_code == 401
    assert ask(None, method="options").status_code == 403
    assert AuditEntry.objects.filter(action="integration.revoked").exists()


def test_a_server_without_an_origin_needs_only_the_token(pos, mapped):
    _integration, token = pos
    response = ask(token, origin=None)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_it_limits_the_rate_per_integration_and_address(settings, pos):
    settings.WIDGET_RATE_LIMIT = "2/m"
    _integration, token = pos
    assert [ask(token).status_code for _ in range(3)] == [200, 200, 429]


def test_it_keeps_a_separate_allowance_for_each_integration(settings, personas, pos):
    settings.WIDGET_RATE_LIMIT = "1/m"
    _pos, pos_token = pos
    _crm, crm_token = actions.create_integration(
        personas.pat, Integration(name="Alder Creek CRM", allowed_origins=ORIGIN)
    )
    assert [ask(pos_token).status_code, ask(crm_token).status_code] == [200, 200]
    assert [ask(pos_token).status_code, ask(crm_token).status_code] == [429, 429]


def test_it_notes_when_an_integration_was_last_used_at_most_once_a_minute(pos, mapped):
    integration, token = pos
    ask(token)
    integration.refresh_from_db()
    first = integration.last_used_at

    ask(token)
    integration.refresh_from_db()
    assert integration.last_used_at == first

    later = first + timedelta(minutes=2)
    actions.record_widget_ask(integration, resolve(Context(app="pos"), Viewer()), now=later)
    integration.refresh_from_db()
    assert integration.last_used_at == later


def test_it_keeps_the_integration_it_was_given_in_step_with_when_it_was_last_used(pos, mapped):
    integration, _token = pos
    resolution = resolve(Context(app="pos"), Viewer())
    with CaptureQueriesContext(connection) as first:
        actions.record_widget_ask(integration, resolution)
    with CaptureQueriesContext(connection) as again:
        actions.record_widget_ask(integration, resolution)  # the same instance, a moment later
    assert integration.last_used_at is not None
    writes = [q["sql"] for q in again.captured_queries if "contextual_integration" in q["sql"]]
    assert len(first.captured_queries) > len(again.captured_queries) and writes == []


def test_pat_registers_an_integration_and_sees_its_token_once(personas):
    client = personas.client(personas.pat)
    page = client.post(
        "/context/integrations/",
        {
            "name": "Alder Creek POS",
            "allowed_origins": "HTTPS://POS.aldercreek.example:443/\nhttp://localhost:8001",
        },
    )
    assert page.status_code == 200
    integration = Integration.objects.get()
    token = page.context["new_token"]
    assert token.startswith("tpw_") and token in page.content.decode()
    assert integration.key_hash == hash_token(token) and token not in integration.key_hash
    assert integration.origins == ["https://pos.aldercreek.example", "http://localhost:8001"]
    assert AuditEntry.objects.filter(action="integration.created").exists()
    # Never shown again.
    assert token not in client.get("/context/integrations/").content.decode()
    assert token not in client.get(f"/context/integrations/{integration.pk}/").content.decode()


@pytest.mark.parametrize(
    "origin",
    [
        "https://pos.example/path",
        "ftp://pos.example",
        "javascript:alert(1)",
        "https://u:p@pos.example",
        "null",
    ],
)
def test_it_refuses_anything_but_a_plain_origin(origin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        normalise_origin(origin)


def test_only_portal_admins_manage_integrations(personas, pos):
    integration, _token = pos
    for person in (personas.mia, personas.alice):
        client = personas.client(person)
        assert client.get("/context/integrations/").status_code == 403
        assert client.get(f"/context/integrations/{integration.pk}/").status_code == 404


def test_the_widget_script_is_small_and_has_no_framework():
    path = Path(finders.find("contextual/widget.js"))
    assert path.stat().st_size <= 15 * 1024, f"widget.js is {path.stat().st_size} bytes"
    source = path.read_text()
    assert "attachShadow" in source and "showModal" in source
    assert 'credentials: "omit"' in source


def test_the_demo_page_embeds_the_widget_when_the_demo_is_set_up(personas, settings):
    from touchpoint.portal.demo.contextual import _integration as seed_integration
    from touchpoint.portal.demo.contextual import demo_token

    settings.DEMO_PAGES = True
    assert Client().get("/demo/pos/").status_code == 404  # no demo integration yet
    seed_integration(personas.pat)
    page = Client().get("/demo/pos/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-touchpoint-token="{demo_token()}"' in body
    assert 'data-screen="extended-warranty"' in body and "/static/contextual/widget.js" in body
    # Off in production (DEMO_PAGES follows DEBUG) unless DEMO_PAGES says so.
    settings.DEMO_PAGES = False
    assert Client().get("/demo/pos/").status_code == 404
    # The token depends on the installation's secret key.
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    assert demo_token() not in body
    assert Client().get("/demo/pos/").status_code == 404


def test_it_registers_an_integration_with_a_token_the_caller_brings(personas):
    chosen = Integration.PREFIX + "demo_" + "a" * 32
    integration, token = actions.create_integration(
        personas.pat, Integration(name="Demo POS", allowed_origins=ORIGIN), token=chosen
    )
    assert token == chosen and integration.key_hash == hash_token(chosen)
    assert AuditEntry.objects.filter(action="integration.created", actor=personas.pat).exists()
    with pytest.raises(ValidationError):
        actions.create_integration(
            personas.pat, Integration(name="Other", allowed_origins=ORIGIN), token="not-ours"
        )
