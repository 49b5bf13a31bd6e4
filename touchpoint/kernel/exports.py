"""CSV exports that spreadsheets open safely, the one way every export of the product writes
CSV: every field quoted, formula-looking cells neutralised, UTF-8 with a byte-order mark for
Excel, streamed row by row."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

# What makes a spreadsheet read a cell as a formula (OWASP's list), with the full-width signs
# that Excel and LibreOffice read as their ASCII twins.
FORMULA_TRIGGERS = "=+-@\t\r＝＋－＠"
# Where a spreadsheet may start a cell: at the start of the text, and right after a character
# it may split cells on (`,` in English locales, `;` in Spanish and German ones, tab, line
# breaks), maybe behind spaces or a quote. Quoting alone does not keep a cell whole: a
# spreadsheet splitting on `;` a file written with `,` honours a quote only at the start of
# what it takes for a cell, so "Chris;=1+1" in the third column arrives as a cell "=1+1".
CELL_START = re.compile(rf"(?:^|(?<=[,;\t\r\n]))[ \"]*(?=[{re.escape(FORMULA_TRIGGERS)}])")


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run: an apostrophe before every formula sign that could
    start a cell, at the start and after each separator (OWASP's advice for CSV injection,
    applied wherever a cell might begin); the apostrophe is shown, nothing is run. Numbers
    stay numbers (-5 is a value, not a formula)."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return CELL_START.sub(lambda found: found.group(0) + "'", str(value))


class Echo:
    """csv.writer wants a file; this one hands each written line back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Lines for a StreamingHttpResponse: the header after a byte-order mark, then the rows,
    every field quoted (so a `;` or `,` inside a cell never splits it, in any locale) and
    every cell made safe."""
    writer = csv.writer(Echo(), quoting=csv.QUOTE_ALL)
    yield "\ufeff" + writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in row])
