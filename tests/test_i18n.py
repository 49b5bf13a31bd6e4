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


def test_a_spanish_speaker_is_greeted_in_spanish_when_signing_in(personas, client) -> None:
    # Allauth words its message while the request is still anonymous (English); Bob reads
    # the portal in Spanish, so the message that greets him on the next page must be too.
    from django.contrib.messages import get_messages

    from tests.support.factories import PASSWORD

    p = personas
    p.bob.language = "es"
    p.bob.save()
    p.bob.emailaddress_set.update(verified=True)
    response = client.post("/accounts/login/", {"login": p.bob.email, "password": PASSWORD})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said and all("Successfully signed in" not in m for m in said), said
    assert any("iniciado sesión" in m for m in said), said


def test_every_menu_entry_starts_with_a_capital_in_spanish(personas) -> None:
    from django.utils import translation

    from touchpoint.kernel.menu import entries_for

    p = personas
    with translation.override("es"):
        labels = [str(item.label) for user in (p.pat, p.alice) for item in entries_for(user, "/")]
    assert labels
    assert [label for label in labels if not label[0].isupper()] == []
