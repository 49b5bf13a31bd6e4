"""Isolation cases for search: marking a search that found nothing as handled is for the
content team only; partner people (Alice and Bob) and vendor staff outside it (Evan, a
channel manager) get the same 404 as for a missing one. Content owners of any department
may: the list is the whole content team's."""

from __future__ import annotations

from conftest import Personas
from tests.isolation_cases import Case
from touchpoint.search.models import Miss


def a_miss(p: Personas) -> Miss:
    return Miss.objects.create(query="snow blower belts")


pat = lambda p: p.pat  # noqa: E731 - a portal admin, in the content team


CASES = {
    "search:miss_handled": Case(a_miss, pat, "post", outsiders=lambda p: [p.alice, p.bob, p.evan]),
}
