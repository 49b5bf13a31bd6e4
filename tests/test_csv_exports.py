"""Every CSV export of the product, found from the URLs (a route ending in .csv) and from the
code (nobody but kernel.exports writes CSV), is opened with a hostile name in it the way a
Spanish or German spreadsheet opens it, splitting on `;`: no cell runs as a formula. A new
export fails `test_every_csv_export_has_a_case` until it has a case here."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import touchpoint
from conftest import Personas
from tests.support.alignment import make_request
from touchpoint.comms.tests.helpers import announce

HOSTILE = "Chris;=1+1;@SUM(2)"
FULL_WIDTH = "＝1+1"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
ROOT = Path(touchpoint.__file__).parent


@dataclass
class Export:
    viewer: Callable[[Personas], Any]
    # Puts the hostile texts where the export shows them; returns the export's URL.
    setup: Callable[[Personas], str]


def reach(p: Personas) -> str:
    p.dealer_a.name, p.dealer_b.name = HOSTILE, FULL_WIDTH
    p.dealer_a.save()
    p.dealer_b.save()
    return reverse("comms:reach_csv", args=[announce(p.pat).pk])


def requests(p: Personas) -> str:
    make_request(p.bob, HOSTILE)
    make_request(p.carol, FULL_WIDTH)
    return reverse("alignment:request_export")


def certifications(p: Personas) -> str:
    p.bob.name, p.hannah.name = HOSTILE, FULL_WIDTH
    p.bob.save()
    p.hannah.save()
    return reverse("credentials:matrix_csv")


CASES = {
    "comms:reach_csv": Export(lambda p: p.pat, reach),
    "alignment:request_export": Export(lambda p: p.mia, requests),
    "credentials:matrix_csv": Export(lambda p: p.alice, certifications),
}


def csv_routes() -> set[str]:
    found: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, ":".join(n for n in (namespace, entry.namespace or "") if n))
            elif isinstance(entry, URLPattern) and str(entry.pattern).endswith(".csv"):
                found.add(f"{namespace}:{entry.name}" if namespace else str(entry.name))

    walk(get_resolver(), "")
    return found


def test_every_csv_export_has_a_case() -> None:
    routes = csv_routes()
    assert routes, "the discovery found no CSV export at all"
    assert not routes - set(CASES), f"Add a case here for: {sorted(routes - set(CASES))}"
    assert not set(CASES) - routes, f"Cases for exports that are gone: {set(CASES) - routes}"


def test_only_the_export_helper_writes_csv() -> None:
    """Any other writer would skip the quoting and the formula check."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(|\.writerows?\(")
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts
        and path != ROOT / "kernel" / "exports.py"
        and writers.search(path.read_text())
    ]
    assert not found, f"Write CSV with touchpoint.kernel.exports.csv_lines: {found}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_spreadsheet_splitting_on_any_separator_runs_no_formula_from_an_export(
    personas: Personas, name: str
) -> None:
    case = CASES[name]
    response = personas.client(case.viewer(personas)).get(case.setup(personas))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")

    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    for hostile in (HOSTILE, FULL_WIDTH):  # exported, with apostrophes that keep it plain
        assert [c for c in cells if c != hostile and c.replace("'", "") == hostile], hostile
    header = text.splitlines()[0]
    assert header.startswith('"') and header.count('"') == 2 * len(rows[0])  # all quoted
    for delimiter in (",", ";", "\t"):
        split = csv.reader(io.StringIO(text), delimiter=delimiter)
        running = [cell for row in split for cell in row if cell.lstrip(' "').startswith(TRIGGERS)]
        assert not running, f"{name} split on {delimiter!r}: {running}"
