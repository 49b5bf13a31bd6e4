"""Isolation cases for contextual help and the launcher: a mapped item and a launcher link
meant for Birchwood only (Carol may open them; Alice and Bob at another partner may not), a
launcher link for Alder Creek's managers (Alice may open it, Bob and Hannah there may not),
and the configuration URLs: mappings and their items for the content team (content owners
of any department: mappings are shared), integrations and launcher links for portal admins.
Partner people and staff without the role (Evan, a channel manager) are refused them all."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.library import make_asset, png
from touchpoint.contextual import actions
from touchpoint.contextual.models import ContextItem, ContextMapping, Integration, LauncherLink
from touchpoint.orgs.models import Audience, User


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


def birchwood_link_with_icon(p: Personas) -> LauncherLink:
    link = birchwood_link(p)
    link.icon_image.save("icon.png", ContentFile(png()), save=True)
    return link


def managers_link(p: Personas) -> LauncherLink:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_a)
    audience.job_roles.add(p.roles["management"])
    return LauncherLink.objects.create(
        name="Dealer finance", url="https://finance.example.com/", audience=audience
    )


def an_integration(p: Personas) -> Integration:
    return actions.create_integration(
        p.pat, Integration(name="Birchwood POS", allowed_origins="https://pos.birchwood.example")
    )[0]


def item_args(item: ContextItem) -> list[Any]:
    return [item.mapping_id, item.pk]


def pat(p: Personas) -> Any:
    return p.pat


def other_partner(p: Personas) -> list[User]:
    return [p.alice, p.bob]


def not_content_team(p: Personas) -> list[User]:
    return [p.alice, p.bob, p.evan]


def not_admins(p: Personas) -> list[User]:
    """Sol is a content owner: he edits mappings, not the portal's integrations or launcher."""
    return [p.alice, p.bob, p.evan, p.sol]


CASES = {
    "contextual:go_item": Case(birchwood_item, lambda p: p.carol, outsiders=other_partner),
    "contextual:app_open": [
        Case(birchwood_link, lambda p: p.carol, outsiders=other_partner),
        Case(managers_link, lambda p: p.alice, outsiders=lambda p: [p.bob, p.hannah, p.carol]),
    ],
    "contextual:app_icon": Case(
        birchwood_link_with_icon, lambda p: p.carol, outsiders=other_partner
    ),
    "contextual:mapping_edit": Case(a_mapping, pat, outsiders=not_content_team),
    "contextual:mapping_delete": Case(a_mapping, pat, method="post", outsiders=not_content_team),
    "contextual:picker": Case(a_mapping, pat, data={"q": "trade"}, outsiders=not_content_team),
    "contextual:item_add": Case(
        a_mapping,
        pat,
        method="post",
        data=lambda m: {"target": f"asset:{m.items.get().asset_id}"},
        outsiders=not_content_team,
    ),
    "contextual:item_move": Case(
        birchwood_item,
        pat,
        method="post",
        args=item_args,
        data={"direction": "up"},
        outsiders=not_content_team,
    ),
    "contextual:item_remove": Case(
        birchwood_item, pat, method="post", args=item_args, outsiders=not_content_team
    ),
    "contextual:integration_edit": Case(an_integration, pat, outsiders=not_admins),
    "contextual:integration_revoke": Case(an_integration, pat, method="post", outsiders=not_admins),
    "contextual:launcher_edit": Case(birchwood_link, pat, outsiders=not_admins),
    "contextual:launcher_delete": Case(birchwood_link, pat, method="post", outsiders=not_admins),
}
