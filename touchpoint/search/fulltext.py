"""The database side of full-text search, one implementation per engine behind one interface:
FTS5 (an external-content table kept in step by triggers) on SQLite, a tsvector column with a
GIN index (kept by a trigger) and pg_trgm for near-miss titles on PostgreSQL.

Migration 0002 calls `install` (title and body); 0003 `install_fields` (title, summary,
keywords and body, each weighed on its own). `search.query` asks for the engine in use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SQLITE_SETUP = [
    # porter stemming over unicode61 (accents folded), with prefix indexes for "warr*" queries.
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_fts USING fts5(
        title, body, content='search_entry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')""",
    # The vocabulary, for "did you mean" suggestions after a search that found nothing.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_vocab USING fts5vocab(search_entry_fts, row)",
    """CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_entry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]

SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_entry_vocab",
    "DROP TABLE IF EXISTS search_entry_fts",
]

# Each entry is stemmed in its own language; queries try both (see query.py).
POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION search_entry_vector() RETURNS trigger AS $$
    DECLARE cfg regconfig := CASE NEW.language WHEN 'es' THEN 'spanish' ELSE 'english' END;
    BEGIN
        NEW.vector := setweight(to_tsvector(cfg, coalesce(NEW.title, '')), 'A')
                   || setweight(to_tsvector(cfg, coalesce(NEW.body, '')), 'B');
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_entry_vector BEFORE INSERT OR UPDATE OF title, body, language
        ON search_entry FOR EACH ROW EXECUTE FUNCTION search_entry_vector()""",
    "CREATE INDEX search_entry_vector_gin ON search_entry USING gin (vector)",
    "CREATE INDEX search_entry_title_trgm ON search_entry USING gin (title gin_trgm_ops)",
]

POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "DROP TRIGGER IF EXISTS search_entry_vector ON search_entry",
    "DROP FUNCTION IF EXISTS search_entry_vector()",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for sql in statements:
        schema_editor.execute(sql)


# --- the index with its four fields: title > summary and keywords > body --------------------
# Keywords are what only the index holds (tags, product codes, file names, the course of a
# lesson): they find an item but are never quoted back as its snippet.
# FTS5's bm25 normalises by the length of the whole row, so a long text would drown a match
# in the title: a second table of the short fields alone scores those (query.py adds the
# two), while the four-field table matches, highlights and scores the text.
_TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2', prefix='2 3'"
_FIELDS = ("title", "summary", "keywords", "body")
_HEAD = ("title", "summary", "keywords")


def _sqlite_triggers(table: str, fields: tuple[str, ...]) -> list[str]:
    names = ", ".join(fields)
    new = ", ".join(f"new.{f}" for f in fields)
    old = ", ".join(f"old.{f}" for f in fields)
    # Our own table and field names, never input.
    insert = f"INSERT INTO {table}(rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
    delete = f"INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', old.id, {old});"  # noqa: S608
    return [
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON search_entry BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON search_entry BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON search_entry BEGIN {delete} {insert} END",
    ]


SQLITE_FIELDS_SETUP = [
    *SQLITE_TEARDOWN,
    f"""CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        {", ".join(_FIELDS)}, content='search_entry', content_rowid='id', {_TOKENIZE})""",
    f"""CREATE VIRTUAL TABLE search_entry_head USING fts5(
        {", ".join(_HEAD)}, content='search_entry', content_rowid='id', {_TOKENIZE})""",
    "CREATE VIRTUAL TABLE search_entry_vocab USING fts5vocab(search_entry_fts, row)",
    *_sqlite_triggers("search_entry_fts", _FIELDS),
    *_sqlite_triggers("search_entry_head", _HEAD),
    # Entries already there are read into the new tables (`search_rebuild` then splits
    # their text into the new fields).
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
    "INSERT INTO search_entry_head(search_entry_head) VALUES ('rebuild')",
]
SQLITE_FIELDS_TEARDOWN = [
    *(
        f"DROP TRIGGER IF EXISTS {t}_{op}"
        for t in ("search_entry_fts", "search_entry_head")
        for op in ("ai", "ad", "au")
    ),
    "DROP TABLE IF EXISTS search_entry_vocab",
    "DROP TABLE IF EXISTS search_entry_head",
    "DROP TABLE IF EXISTS search_entry_fts",
    *SQLITE_SETUP,
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]

POSTGRES_FIELDS_SETUP = [
    """CREATE OR REPLACE FUNCTION search_entry_vector() RETURNS trigger AS $$
    DECLARE cfg regconfig := CASE NEW.language WHEN 'es' THEN 'spanish' ELSE 'english' END;
    BEGIN
        NEW.vector := setweight(to_tsvector(cfg, coalesce(NEW.title, '')), 'A')
                   || setweight(to_tsvector(cfg, coalesce(NEW.summary, '')), 'B')
                   || setweight(to_tsvector(cfg, coalesce(NEW.keywords, '')), 'B')
                   || setweight(to_tsvector(cfg, coalesce(NEW.body, '')), 'C');
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS search_entry_vector ON search_entry",
    """CREATE TRIGGER search_entry_vector
        BEFORE INSERT OR UPDATE OF title, summary, keywords, body, language
        ON search_entry FOR EACH ROW EXECUTE FUNCTION search_entry_vector()""",
    "UPDATE search_entry SET title = title",
]
POSTGRES_FIELDS_TEARDOWN = [
    "DROP TRIGGER IF EXISTS search_entry_vector ON search_entry",
    POSTGRES_SETUP[1],
    POSTGRES_SETUP[2],
    "UPDATE search_entry SET title = title",
]


def _per_database(sqlite: list[str], postgresql: list[str]) -> Callable[[Any, Any], None]:
    """A migration step running the statements of the database in use (others have none)."""
    statements = {"sqlite": sqlite, "postgresql": postgresql}

    def run(apps: Any, schema_editor: Any) -> None:
        _run(schema_editor, statements.get(schema_editor.connection.vendor, []))

    return run


install = _per_database(SQLITE_SETUP, POSTGRES_SETUP)
uninstall = _per_database(SQLITE_TEARDOWN, POSTGRES_TEARDOWN)
install_fields = _per_database(SQLITE_FIELDS_SETUP, POSTGRES_FIELDS_SETUP)
uninstall_fields = _per_database(SQLITE_FIELDS_TEARDOWN, POSTGRES_FIELDS_TEARDOWN)
