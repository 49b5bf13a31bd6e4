"""Answering a search: ranked, highlighted, filtered by kind and section, limited to what the
person may see, with a near-miss fallback for typos, and misses recorded for content owners.

One interface, two engines. The words are reduced to letters and digits before they reach
either engine, so no query syntax from the user is ever interpreted; every word is matched as
a prefix ("warr" finds "warranty"); all words must match, and when that finds nothing any
word may. When even that finds nothing the engine's own typo tolerance is tried: the FTS5
vocabulary with difflib on SQLite, pg_trgm similarity on titles on PostgreSQL.
"""

from __future__ import annotations

import difflib
import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from touchpoint.orgs.models import User
from touchpoint.search import facets, index
from touchpoint.search.index import KIND_LABELS
from touchpoint.search.models import Entry

MAX_TERMS = 8
# Ranking, the same on both engines (tuned by tests/test_relevance.py on each): the engine's
# score of the short fields (a title match over a summary or keywords match) plus a lesser
# score of the text, each normalised by its own length (so a long guide is not pushed down
# for saying much); times the kind's weight; times the boosts for a title that holds the
# query as typed (the words together, in order) or is the query.
SQLITE_HEAD_WEIGHTS = "10.0, 4.0, 4.0"  # bm25 of search_entry_head: title, summary, keywords
SQLITE_TEXT_WEIGHT = 3.0  # bm25 of the text, against the head's
# ts_rank of each weight class alone (A title, B summary and keywords, C text): its weight
# and ts_rank's normalisation (0: none, as titles are short anyway; 1: by log length).
POSTGRES_FIELD_WEIGHTS = {"a": (1.0, 0), "b": (0.4, 1), "c": (0.6, 1)}
PHRASE_BOOST = 0.5  # the title holds the query as typed: the score times 1.5
EXACT_BOOST = 2.0  # the title is the query: the score times 3.5 (with the phrase)
# Parts of something else, or talk about it, rank below the thing itself when they match
# alike: a lesson below its course, a forum thread below the guide it asks about.
KIND_WEIGHT = {"lesson": 0.5, "forum": 0.7, "announcement": 0.8}
START, STOP = "\x02", "\x03"  # highlight markers: escaped text never contains them
TYPO_SIMILARITY = 0.4
VOCABULARY_SECONDS = 300
WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    snippet: SafeString
    url: str
    section: str


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, int] = field(default_factory=dict)
    # True when nothing matched as typed and these are near misses instead.
    approximate: bool = False


def terms(query: str) -> list[str]:
    return WORD.findall(query.lower())[:MAX_TERMS]


def visible_entries(user: User) -> QuerySet[Entry]:
    """What this person's searches may find (`Entry.objects.visible_to`; other apps call
    this to search within the same rule)."""
    return Entry.objects.visible_to(user)


def one_version_each(entries: QuerySet[Entry], user: User) -> QuerySet[Entry]:
    """Each item once, in the version this person reads: the translation into their language
    where there is one (its entry is `<id>.<language>`, index.in_other_languages), else the
    original. Every version is indexed; a reader should not meet the same item twice."""
    language = user.language or settings.LANGUAGE_CODE
    suffix = f".{language}"
    translated_for_reader = Entry.objects.filter(
        group=OuterRef("group"),
        kind=OuterRef("kind"),
        object_id=Concat(OuterRef("object_id"), Value(suffix), output_field=CharField()),
    )
    originals = entries.exclude(object_id__contains=".").exclude(Exists(translated_for_reader))
    return originals | entries.filter(object_id__endswith=suffix)


def _marked(text: str) -> SafeString:
    """Engine output with START/STOP markers, as safe HTML with <mark> and nothing else."""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _where(qs: QuerySet[Entry]) -> tuple[str, tuple[Any, ...]]:
    """The queryset's filters as SQL over the `search_entry` table, to AND into a full-text
    query. A WHERE on the joined row, not `id IN (visible ids)`: on SQLite an IN list on the
    FTS table's rowid turns every match into a lookup (seconds at 100,000 rows)."""
    where = qs.query.where
    if not where:
        return "1 = 1", ()
    sql, params = where.as_sql(qs.query.get_compiler(connection=connection), connection)
    return sql or "1 = 1", tuple(params)


# --- SQLite: FTS5 ----------------------------------------------------------------------------
_FTS_JOIN = (
    "FROM search_entry_fts JOIN search_entry ON search_entry.id = search_entry_fts.rowid "
    "WHERE search_entry_fts MATCH %s"
)


class _Sqlite:
    @staticmethod
    def expression(words: list[str], any_word: bool) -> str:
        return (" OR " if any_word else " ").join(f'"{w}"*' for w in words)

    def facets(self, expr: str, scope: QuerySet[Entry]) -> dict[str, int]:
        where, params = _where(scope)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_entry.kind, count(*) {_FTS_JOIN} AND {where} "
                "GROUP BY search_entry.kind",
                (expr, *params),
            )
            return dict(cursor.fetchall())

    def page(
        self, expr: str, words: list[str], scope: QuerySet[Entry], limit: int, offset: int
    ) -> list[tuple]:
        where, params = _where(scope)
        phrase = " ".join(words)
        with connection.cursor() as cursor:
            # bm25 is negative (more negative is better): weights below 1 lower a score.
            # The head table scores any of the words, so half a match still counts there.
            cursor.execute(
                "SELECT search_entry.id, highlight(search_entry_fts, 0, char(2), char(3)), "
                "snippet(search_entry_fts, 1, char(2), char(3), '…', 24), "
                "snippet(search_entry_fts, 3, char(2), char(3), '…', 24) "
                "FROM search_entry_fts JOIN search_entry ON search_entry.id = search_entry_fts.rowid "
                f"LEFT JOIN (SELECT rowid AS id, bm25(search_entry_head, {SQLITE_HEAD_WEIGHTS}) AS score "
                "FROM search_entry_head WHERE search_entry_head MATCH %s) AS head "
                "ON head.id = search_entry.id "
                f"WHERE search_entry_fts MATCH %s AND {where} "
                "ORDER BY (coalesce(head.score, 0) "
                f"+ {SQLITE_TEXT_WEIGHT} * bm25(search_entry_fts, 0, 0, 0, 1)) "
                f"* {_kind_weight()} * {_boost()}, search_entry.id "
                "LIMIT %s OFFSET %s",
                (self.expression(words, True), expr, *params, phrase, phrase, limit, offset),
            )
            return [
                (id_, title, _visible_snippet(summary, body))
                for id_, title, summary, body in cursor.fetchall()
            ]

    def corrected(self, words: list[str]) -> list[str]:
        """Each word the index doesn't know replaced by the closest word it does."""
        vocabulary = _vocabulary()
        fixed = []
        for word in words:
            # Candidates share the first letter: typos rarely hit it, and it keeps the
            # comparison to a slice of the vocabulary.
            known = vocabulary.get(word[0], [])
            close = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
            fixed.append(close[0] if len(word) >= 4 and close else word)
        return fixed


_vocabulary_cache: tuple[float, dict[str, list[str]]] = (0.0, {})


def _vocabulary() -> dict[str, list[str]]:
    """The index's words by first letter, read at most every few minutes per process: reading
    fts5vocab walks the whole index (about 150 ms at 100,000 entries)."""
    global _vocabulary_cache
    loaded_at, vocabulary = _vocabulary_cache
    if loaded_at > index.changed_at and time.monotonic() - loaded_at < VOCABULARY_SECONDS:
        return vocabulary
    vocabulary = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT term FROM search_entry_vocab")
        for (term,) in cursor.fetchall():
            vocabulary.setdefault(term[0], []).append(term)
    _vocabulary_cache = (time.monotonic(), vocabulary)
    return vocabulary


# --- PostgreSQL: tsvector + GIN, pg_trgm -----------------------------------------------------
# Entries are stemmed in their own language; a query tries the English and Spanish stems.
_TSQUERY = "(to_tsquery('english', %s) || to_tsquery('spanish', %s))"
_CONFIG = (
    "CASE search_entry.language WHEN 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END"
)


class _Postgres:
    @staticmethod
    def expression(words: list[str], any_word: bool) -> str:
        return (" | " if any_word else " & ").join(f"{w}:*" for w in words)

    def facets(self, expr: str, scope: QuerySet[Entry]) -> dict[str, int]:
        where, params = _where(scope)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_entry.kind, count(*) FROM search_entry "
                f"WHERE search_entry.vector @@ {_TSQUERY} AND {where} GROUP BY search_entry.kind",
                (expr, expr, *params),
            )
            return dict(cursor.fetchall())

    def page(
        self, expr: str, words: list[str], scope: QuerySet[Entry], limit: int, offset: int
    ) -> list[tuple]:
        where, params = _where(scope)
        phrase = " ".join(words)
        options = f"StartSel={START}, StopSel={STOP}"
        with connection.cursor() as cursor:
            # Rank every match, then highlight only the page's rows (ts_headline is costly).
            # ts_filter splits the vector into the title (A), summary and keywords (B) and the
            # text (C), so each is normalised by its own length; `any_q` scores any word.
            # The snippet is cut from what the reader sees: the summary, then the text.
            cursor.execute(
                f"WITH q AS (SELECT {_TSQUERY} AS q, {_TSQUERY} AS any_q), "
                "hits AS (SELECT search_entry.id, "
                f"({_postgres_fields_rank()}) "
                f"* {_kind_weight()} * {_boost()} AS rank "
                f"FROM search_entry, q WHERE search_entry.vector @@ q.q AND {where} "
                "ORDER BY rank DESC, search_entry.id LIMIT %s OFFSET %s) "
                f"SELECT search_entry.id, ts_headline({_CONFIG}, search_entry.title, q.q, %s), "
                f"ts_headline({_CONFIG}, concat_ws(' … ', nullif(search_entry.summary, ''), "
                "nullif(search_entry.body, '')), q.q, %s) "
                "FROM hits JOIN search_entry ON search_entry.id = hits.id, q "
                "ORDER BY hits.rank DESC, search_entry.id",
                (
                    expr,
                    expr,
                    self.expression(words, True),
                    self.expression(words, True),
                    phrase,
                    phrase,
                    *params,
                    limit,
                    offset,
                    f"{options}, HighlightAll=true",
                    f"{options}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=' … '",
                ),
            )
            return cursor.fetchall()

    def similar_titles(self, query: str, scope: QuerySet[Entry], limit: int) -> list[tuple]:
        where, params = _where(scope)
        with transaction.atomic(), connection.cursor() as cursor:
            # `<%` (word similarity above the threshold) is answered from the trigram index.
            # The default threshold (0.6) misses one wrong letter in an eight-letter word.
            cursor.execute(f"SET LOCAL pg_trgm.word_similarity_threshold = {TYPO_SIMILARITY}")
            cursor.execute(
                "SELECT search_entry.id, search_entry.title, "
                "left(coalesce(nullif(search_entry.summary, ''), search_entry.body), 200) "
                f"FROM search_entry WHERE %s <%% search_entry.title AND {where} "
                "ORDER BY word_similarity(%s, search_entry.title) DESC, search_entry.id LIMIT %s",
                (query, *params, query, limit),
            )
            return cursor.fetchall()


def _kind_weight() -> str:
    """KIND_WEIGHT as SQL over the row's kind (constants of ours, no user input)."""
    cases = " ".join(f"WHEN '{kind}' THEN {weight}" for kind, weight in KIND_WEIGHT.items())
    return f"(CASE search_entry.kind {cases} ELSE 1.0 END)"


def _postgres_fields_rank() -> str:
    return " + ".join(
        f"{weight} * ts_rank(ts_filter(search_entry.vector, '{{{cls}}}'), q.any_q, {norm})"
        for cls, (weight, norm) in POSTGRES_FIELD_WEIGHTS.items()
    )


def _boost() -> str:
    """The title boosts as SQL; its two parameters are the query's words joined by spaces."""
    find = "strpos" if connection.vendor == "postgresql" else "instr"
    return (
        f"(1 + {PHRASE_BOOST} * CAST({find}(lower(search_entry.title), %s) > 0 AS integer) "
        f"+ {EXACT_BOOST} * CAST(lower(search_entry.title) = %s AS integer))"
    )


def _visible_snippet(summary: str, body: str) -> str:
    """The snippet of whichever visible field holds a match (the text before the summary,
    as it says more); with neither matching (the keywords did), the summary, or the text's
    start."""
    for text in (body, summary):
        if START in text:
            return text
    return summary or body


def _engine() -> _Sqlite | _Postgres:
    return _Postgres() if connection.vendor == "postgresql" else _Sqlite()


def search(
    user: User,
    query: str,
    *,
    kind: str = "",
    section: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Results:
    results = Results(query=query)
    words = terms(query)
    if not words:
        return results
    engine = _engine()
    scope = one_version_each(visible_entries(user), user)
    if section:
        scope = scope.filter(section_id=section)
    in_kind = scope.filter(kind=kind) if kind else scope
    offset = (max(page, 1) - 1) * per_page

    rows: list[tuple] = []
    for expr in (engine.expression(words, False), engine.expression(words, True)):
        results.facets = engine.facets(expr, scope)
        if results.facets:
            rows = engine.page(expr, words, in_kind, per_page, offset)
            break
    if not results.facets:
        results.approximate = True
        if isinstance(engine, _Postgres):
            rows = engine.similar_titles(" ".join(words), in_kind, per_page)
        else:
            fixed = engine.corrected(words)
            if fixed != words:
                expr = engine.expression(fixed, True)
                results.facets = engine.facets(expr, scope)
                rows = engine.page(expr, fixed, in_kind, per_page, offset)
    results.total = results.facets.get(kind, 0) if kind else sum(results.facets.values())
    if results.approximate and not results.facets:
        results.total = len(rows)

    entries = Entry.objects.in_bulk([row[0] for row in rows])
    section_names = facets.section_names() if rows else {}
    for entry_id, title, snippet in rows:
        entry = entries[entry_id]
        results.hits.append(
            Hit(
                kind=entry.kind,
                kind_label=str(KIND_LABELS.get(entry.kind, entry.kind)),
                title=_marked(title),
                snippet=_marked(snippet),
                url=entry.url,
                section=section_names.get(entry.section_id or 0, ""),
            )
        )
    return results
