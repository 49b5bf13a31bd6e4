"""Isolation cases for the library: an item meant for Birchwood only (Carol may open it,
Alice may not), and authoring URLs, which only vendor authors reach (Alice is not one)."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from tests.support.library import content_for, make_asset, make_section
from touchpoint.library import actions
from touchpoint.library.models import Asset, AssetKind, Section
from touchpoint.orgs.models import Audience


def birchwood_item(p: Personas, kind: str = AssetKind.ARTICLE) -> Asset:
    audience = Audience.objects.create()
    audience.partners.add(p.dealer_b)
    return make_asset(p.pat, "Birchwood price list", kind=kind, audience=audience)


def birchwood_file(p: Personas) -> Asset:
    return birchwood_item(p, AssetKind.FILE)


def birchwood_link(p: Personas) -> Asset:
    return birchwood_item(p, AssetKind.LINK)


def revised_file(p: Personas) -> Asset:
    """A file with two versions (staff download the older one)."""
    asset = make_asset(p.pat, "Price list", kind=AssetKind.FILE)
    actions.add_version(p.pat, asset, content_for(AssetKind.FILE, note="New prices"))
    return asset


def vendor_item(p: Personas) -> Asset:
    return make_asset(p.pat, "Being written", publish=False)


def a_section(p: Personas) -> Section:
    return make_section(p.pat, "Service")


pat = lambda p: p.pat  # noqa: E731 - the author in the authoring cases
carol = lambda p: p.carol  # noqa: E731 - Birchwood's admin, for whom the item is meant

CASES = {
    "library:asset": Case(birchwood_item, carol),
    "library:asset_file": Case(birchwood_file, carol),
    "library:asset_download": Case(birchwood_file, carol),
    "library:asset_open": Case(birchwood_link, carol),
    "library:asset_favourite": Case(birchwood_item, carol, "post", data={"on": "1"}),
    "library:version_download": Case(
        revised_file, pat, args=lambda a: [a.pk, 1], missing=lambda a: [a.pk, 987_654]
    ),
    "library:asset_edit": Case(vendor_item, pat),
    "library:asset_version": Case(vendor_item, pat),
    "library:asset_publish": Case(vendor_item, pat, "post", data={"publish_at": ""}),
    "library:asset_unpublish": Case(vendor_item, pat, "post"),
    "library:asset_archive": Case(vendor_item, pat, "post"),
    "library:asset_extend_review": Case(vendor_item, pat, "post"),
    "library:section_edit": Case(a_section, pat),
}

NOT_RECORDS = {
    "library:section": "a section's short name; sections are shared by every partner and list "
    "only the items meant for the person asking (tested in library/tests/test_browsing.py)",
}
