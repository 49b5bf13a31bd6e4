"""CSV exports that spreadsheets open safely: formula-looking cells neutralised, UTF-8 with a
byte-order mark for Excel, streamed row by row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets an apostrophe
    (OWASP's advice for CSV injection); the apostrophe is shown, the formula is not run."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class Echo:
    """csv.writer wants a file; this one hands each written line back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Lines for a StreamingHttpResponse: the header after a byte-order mark, then the rows,
    every cell made safe."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in row])
