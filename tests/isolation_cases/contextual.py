"""Isolation cases for contextual help and the launcher: a mapped item and a launcher link
meant for Birchwood only (Carol may open them, Alice may not), and the configuration URLs
(mappings, their items, integrations, launcher links), which only vendor staff reach."""

from __future__ import annotations

from typing import Any

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.library import make_asset
from touchpoint.contextual import actions
from touchpoint.contextual.models import ContextItem, ContextMapping, Integration, LauncherLink
from touchpoint.orgs.models import Audience


def birchwood_audience(p: Personas) -> Audience:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    return audience


def birchwood_item(p: Personas) -> ContextItem:
    asset = make_asset(p.pat, "Birchwood trade-in sheet", audience=birchwood_audience(p))
    mapping = ContextMapping(app="pos", screen="trade-in")
    mapping.save()
    return ContextItem.objects.create(mapping=mapping, asset=asset, position=1)


def a_mapping(p: Personas) -> ContextMapping:
    return birchwood_item(p).mapping


def birchwood_link(p: Personas) -> LauncherLink:
    return LauncherLink.objects.create(
        name="Birchwood finance", url="https://finance.example.com/", audience=birchwood_audience(p)
    )


def an_integration(p: Personas) -> Integration:
    return actions.create_integration(
        p.pat, Integration(name="Birchwood POS", allowed_origins="https://pos.birchwood.example")
    )[0]


def item_args(item: ContextItem) -> list[Any]:
    return [item.mapping_id, item.pk]


def pat(p: Personas) -> Any:
    return p.pat


CASES = {
    "contextual:go_item": Case(birchwood_item, lambda p: p.carol),
    "contextual:app_open": Case(birchwood_link, lambda p: p.carol),
    "contextual:mapping_edit": Case(a_mapping, pat),
    "contextual:mapping_delete": Case(a_mapping, pat, method="post"),
    "contextual:picker": Case(a_mapping, pat, data={"q": "trade"}),
    "contextual:item_add": Case(
        a_mapping, pat, method="post", data=lambda m: {"target": f"asset:{m.items.get().asset_id}"}
    ),
    "contextual:item_move": Case(
        birchwood_item, pat, method="post", args=item_args, data={"direction": "up"}
    ),
    "contextual:item_remove": Case(birchwood_item, pat, method="post", args=item_args),
    "contextual:integration_edit": Case(an_integration, pat),
    "contextual:integration_revoke": Case(an_integration, pat, method="post"),
    "contextual:launcher_edit": Case(birchwood_link, pat),
    "contextual:launcher_delete": Case(birchwood_link, pat, method="post"),
}
