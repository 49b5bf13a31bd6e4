"""The database side of full-text search, one implementation per engine behind one interface:
FTS5 (an external-content table kept in step by triggers) on SQLite, a tsvector column with a
GIN index (kept by a trigger) and pg_trgm for near-miss titles on PostgreSQL.

The migration calls `install`; `search.query` asks `engine()` for the engine in use.
"""

from __future__ import annotations

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


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_SETUP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_SETUP)


def uninstall(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_TEARDOWN)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_TEARDOWN)
