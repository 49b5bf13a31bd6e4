"""Isolation cases for the library: an item meant for Birchwood only (Carol may open it;
Alice and Bob at another partner may not), an item meant for Alder Creek's managers (Alice
may open it, Bob at the same dealer may not), and the authoring URLs, which only authors
reach whose department or ownership covers the item: not partner people, not vendor staff
without the role, not a content owner of another department."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.library import content_for, make_asset, make_section
from touchpoint.library import actions
from touchpoint.library.models import Asset, AssetKind, Section
from touchpoint.orgs.models import Audience, User


def birchwood_item(p: Personas, kind: str = AssetKind.ARTICLE) -> Asset:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    return make_asset(p.pat, "Birchwood price list", kind=kind, audience=audience)


def birchwood_file(p: Personas) -> Asset:
    return birchwood_item(p, AssetKind.FILE)


def birchwood_link(p: Personas) -> Asset:
    return birchwood_item(p, AssetKind.LINK)


def managers_item(p: Personas, kind: str = AssetKind.ARTICLE) -> Asset:
    """Meant for the managers of Alder Creek: Alice is one, Bob (sales) and Hannah are not."""
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_a)
    audience.job_roles.add(p.roles["management"])
    return make_asset(p.pat, "Alder Creek margins", kind=kind, audience=audience)


def managers_file(p: Personas) -> Asset:
    return managers_item(p, AssetKind.FILE)


def managers_link(p: Personas) -> Asset:
    return managers_item(p, AssetKind.LINK)


def revised_file(p: Personas) -> Asset:
    """A file with two versions (staff download the older one)."""
    asset = make_asset(p.pat, "Price list", kind=AssetKind.FILE)
    actions.add_version(p.pat, asset, content_for(AssetKind.FILE, note="New prices"))
    return asset


def vendor_item(p: Personas) -> Asset:
    """A draft of the Service section and department, which Sol (Aftermarket) does not own."""
    return make_asset(p.pat, "Being written", publish=False)


def aftermarket_item(p: Personas) -> Asset:
    """A draft Sol looks after in his own department's section; Mia (no department) does not."""
    section = make_section(p.pat, "Aftermarket")
    return make_asset(p.sol, "Accessories guide", section=section, publish=False, owner=p.sol)


def a_section(p: Personas) -> Section:
    return make_section(p.pat, "Service")


pat = lambda p: p.pat  # noqa: E731 - the author in the authoring cases
sol = lambda p: p.sol  # noqa: E731 - the content owner of the Aftermarket department
carol = lambda p: p.carol  # noqa: E731 - Birchwood's admin, for whom the item is meant
alice = lambda p: p.alice  # noqa: E731 - Alder Creek's admin, a manager


def other_partner(p: Personas) -> list[User]:
    """Alice and Bob, at a partner the item is not meant for."""
    return [p.alice, p.bob]


def not_managers(p: Personas) -> list[User]:
    """Alder Creek's people the managers' item is not meant for, and another partner's admin."""
    return [p.bob, p.hannah, p.carol]


def not_authors(p: Personas) -> list[User]:
    """Partner people, a channel manager (staff without an authoring role), and Sol, a
    content owner of another department than the item's."""
    return [p.alice, p.bob, p.evan, p.sol]


def not_sols(p: Personas) -> list[User]:
    """For an Aftermarket item: partner people and Mia, a content owner without that
    department who does not own the item."""
    return [p.alice, p.bob, p.mia]


def authoring(method: str = "get", **kwargs: Any) -> list[Case]:
    """Two scenes: Pat's Service draft, and Sol's Aftermarket draft."""
    return [
        Case(vendor_item, pat, method, outsiders=not_authors, **kwargs),
        Case(aftermarket_item, sol, method, outsiders=not_sols, **kwargs),
    ]


def reading(
    target: Callable[[Personas], Asset],
    managers: Callable[[Personas], Asset],
    method: str = "get",
    **kwargs: Any,
) -> list[Case]:
    """Two scenes: an item for Birchwood only, and one for Alder Creek's managers only."""
    return [
        Case(target, carol, method, outsiders=other_partner, **kwargs),
        Case(managers, alice, method, outsiders=not_managers, **kwargs),
    ]


CASES = {
    "library:asset": reading(birchwood_item, managers_item),
    "library:asset_file": reading(birchwood_file, managers_file),
    "library:asset_download": reading(birchwood_file, managers_file),
    "library:asset_open": reading(birchwood_link, managers_link),
    "library:asset_favourite": reading(birchwood_item, managers_item, "post", data={"on": "1"}),
    # Earlier versions are for vendor staff; partner people only ever get the current one.
    "library:version_download": Case(
        revised_file,
        pat,
        args=lambda a: [a.pk, 1],
        missing=lambda a: [a.pk, 987_654],
        outsiders=other_partner,
    ),
    "library:asset_edit": authoring(),
    "library:asset_version": authoring(),
    "library:asset_publish": authoring("post", data={"publish_at": ""}),
    "library:asset_unpublish": authoring("post"),
    "library:asset_archive": authoring("post"),
    "library:asset_extend_review": authoring("post"),
    # Sections are the portal admins' (Sol and Mia are content owners, not admins).
    "library:section_edit": Case(
        a_section, pat, outsiders=lambda p: [p.alice, p.bob, p.evan, p.sol, p.mia]
    ),
}

NOT_RECORDS = {
    "library:section": "a section's short name; sections are shared by every partner and list "
    "only the items meant for the person asking (tested in library/tests/test_browsing.py)",
}
