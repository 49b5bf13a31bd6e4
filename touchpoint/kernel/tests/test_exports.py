"""The one CSV helper (kernel.exports): every field quoted, and every cell a spreadsheet might
run as a formula made plain text, whichever separator the spreadsheet splits on (`,` in
English, `;` in Spanish and German, tabs), full-width signs included."""

from __future__ import annotations

import csv
import io

import pytest

from touchpoint.kernel.exports import csv_lines, csv_safe

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
HOSTILE = [
    "Chris;=1+1;@SUM(2)",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(1)",
    "Chris,=1+1",
    "Chris\t@SUM(1)",
    "Chris\n=1+1",
    "Chris\r+1",
    "Chris;＝1+1",
    "Chris; =1+1",
    " =1+1",
    "Chris;\t=1+1",
    'Chris","=1+1',
    '=HYPERLINK("http://evil.example","Birchwood")',
]
HARMLESS = [
    "Alder Creek Outdoor", "bob@aldercreek.example", "Birchwood Power & Garden", "X-200",
    "Costs, 10% off", "O'Brien",
]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE)
def test_it_makes_a_formula_wherever_a_spreadsheet_could_start_a_cell_plain_text(
    value: str,
) -> None:
    safe = csv_safe(value)
    # Apostrophes added where a cell could start, nothing else changed: shown, never run.
    assert safe != value and safe.replace("'", "") == value
    for delimiter in ",;\t\r\n":
        for segment in safe.split(delimiter):
            assert not segment.lstrip(' "').startswith(TRIGGERS), (safe, delimiter)


@pytest.mark.parametrize("value", HARMLESS)
def test_it_leaves_ordinary_text_as_it_is(value: str) -> None:
    assert csv_safe(value) == value


def test_numbers_and_nothing_stay_numbers_and_empty() -> None:
    assert csv_safe(-5) == "-5" and csv_safe(2.5) == "2.5" and csv_safe(None) == ""


def export(*values: str) -> str:
    return "".join(
        csv_lines(["Name", "Email"], [[value, "bob@aldercreek.example"] for value in values])
    )


def test_it_quotes_every_field() -> None:
    text = export("Alder Creek Outdoor").removeprefix("\ufeff")
    assert text.splitlines() == ['"Name","Email"', '"Alder Creek Outdoor","bob@aldercreek.example"']


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_cell_starts_a_formula_whatever_a_spreadsheet_splits_on(delimiter: str) -> None:
    text = export(*HOSTILE).removeprefix("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    running = [cell for cell in cells if cell.lstrip(' "').startswith(TRIGGERS)]
    assert not running, running
