"""Long choices people can find: the time zone (about 600 of them) grouped by region with the
most used first and searchable by typing, the audience builder's countries and partners as a
multi-select with chips instead of Ctrl-click. Both enhance a plain <select>, which still
works without JavaScript."""

from __future__ import annotations

import re
import zoneinfo

from django.urls import reverse

from conftest import Personas
from touchpoint.orgs.models import time_zone_choices


def test_it_offers_the_most_used_time_zones_first_then_every_zone_by_region() -> None:
    groups = time_zone_choices()
    labels = [str(label) for label, _zones in groups]
    assert labels[0] == "Most used" and "Europe" in labels and "America" in labels
    most_used = dict(groups[0][1])
    assert most_used["Europe/Madrid"] == "Europe / Madrid" and len(most_used) <= 12
    by_region = [zone for _label, zones in groups[1:] for zone, _name in zones]
    assert sorted(by_region) == sorted(zoneinfo.available_timezones())


def test_dana_picks_her_time_zone_from_a_grouped_searchable_list(personas: Personas) -> None:
    client = personas.client(personas.dana)
    page = client.get(reverse("portal:profile")).content.decode()
    select = re.search(r"<select name=\"profile-time_zone\"[^>]*>", page)
    assert select and "data-searchable" in select.group(0)
    assert '<optgroup label="Most used">' in page and '<optgroup label="Europe">' in page


def test_the_audience_builder_offers_chips_instead_of_ctrl_click(personas: Personas) -> None:
    page = personas.client(personas.mia).get(reverse("orgs:audience_create")).content.decode()
    for name in ("country_list", "partners"):
        select = re.search(rf"<select name=\"{name}\"[^>]*>", page)
        assert select and "multiple" in select.group(0)
        # With JavaScript the Ctrl-click help gives way to the chips' own.
        assert 'data-chips="Type to find one; Enter adds it.' in select.group(0)
