"""The Spanish catalogue is complete, and the portal speaks it. (`make lint` re-extracts the
strings and fails when a new one has no translation.)"""

from __future__ import annotations

import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "touchpoint" / "locale"
CATALOGUE = LOCALE / "es" / "LC_MESSAGES" / "django.po"


def entries(po: str) -> list[str]:
    """Catalogue entries, without the header."""
    return [
        block
        for block in po.split("\n\n")
        if "msgid" in block and 'msgid ""\nmsgstr ""\n"' not in block
    ]


# A translation that is empty: `msgstr ""` (or a plural form) not continued on the next line.
EMPTY = re.compile(r'^msgstr(\[\d\])? ""$(?!\n")', re.MULTILINE)


def test_the_spanish_catalogue_has_no_missing_or_fuzzy_entries() -> None:
    po = CATALOGUE.read_text()
    fuzzy = [e for e in entries(po) if "#, fuzzy" in e]
    empty = [e for e in entries(po) if EMPTY.search(e)]
    assert not fuzzy and not empty, (fuzzy + empty)[:5]


def test_home_speaks_spanish_to_a_spanish_speaker(personas) -> None:
    p = personas
    p.bob.language = "es"
    p.bob.save()
    body = p.client(p.bob).get("/").content.decode()
    assert "Hola, Bob" in body
    assert "What's due" not in body
