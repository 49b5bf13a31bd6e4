"""Keeping the search index current: each app registers a source for the models it owns,
and its actions call `update(obj)` after a change that people should find (or stop finding).

    from touchpoint.search import index
    index.update(asset)     # upsert, or remove when the asset is no longer published
    index.remove(asset)     # when it is archived or deleted

No signals: the action that changes an item decides when the index hears of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise

from touchpoint.kernel.translations import original_values
from touchpoint.search.models import Entry

BODY_LIMIT = 20_000  # characters of body text kept per entry; enough to match, cheap to rank
SUMMARY_LIMIT = 2_000  # of the summary and of the keywords


@dataclass(frozen=True)
class Document:
    """What the index keeps about one item: what the reader sees of it (title, summary,
    body: snippets quote these) and the keywords that find it without being its text."""

    kind: str
    object_id: str
    title: str
    url: str
    body: str = ""
    summary: str = ""
    keywords: str = ""
    section_id: int | None = None
    audience_id: int | None = None
    language: str = "en"


@dataclass(frozen=True)
class Source:
    """How one model becomes index entries.

    `documents(obj)` gives the entries for one object (none when it should not be found;
    a course gives itself and its lessons); `everything()` yields every object's documents,
    for a rebuild. All documents of one object share its group, `<prefix>:<pk>`.
    """

    model: type[models.Model]
    prefix: str
    documents: Callable[[Any], list[Document]]
    everything: Callable[[], Iterator[tuple[Any, list[Document]]]]


def in_other_languages(
    obj: Any, original: Document, words: Callable[[dict[str, str]], dict[str, str]]
) -> list[Document]:
    """One more document per translation of `obj` (kernel.translations): the same kind, link,
    keywords and audience, the translation's words (the original's where a field is left
    blank), stemmed in its own language. `words(values)` gives the document's reader-facing
    fields (title, summary, body) from the item's fields."""
    docs = []
    for version in obj.translations.all():
        values = original_values(obj) | {k: v for k, v in version.fields.items() if v}
        fields = words(values)
        docs.append(
            replace(
                original,
                object_id=f"{original.object_id}.{version.language}",
                language=version.language,
                title=fields.get("title", original.title),
                summary=fields.get("summary", original.summary),
                body=fields.get("body", original.body),
            )
        )
    return docs


KIND_LABELS: dict[str, Promise | str] = {}
# When this process last wrote to the index, so per-process caches of it (the SQLite
# vocabulary for typo tolerance) know to reload.
changed_at = 0.0
_SOURCES: dict[type[models.Model], Source] = {}


def register(source: Source, labels: dict[str, Promise | str]) -> None:
    _SOURCES[source.model] = source
    KIND_LABELS.update(labels)


def _source(obj: models.Model) -> Source:
    return _SOURCES[type(obj)]


def _group(obj: models.Model) -> str:
    return f"{_source(obj).prefix}:{obj.pk}"


def _write(docs: Iterable[tuple[str, Document]]) -> None:
    now = timezone.now()
    rows = [
        Entry(
            group=group,
            kind=d.kind,
            object_id=d.object_id,
            title=d.title[:300],
            summary=d.summary[:SUMMARY_LIMIT],
            body=d.body[:BODY_LIMIT],
            keywords=d.keywords[:SUMMARY_LIMIT],
            url=d.url,
            section_id=d.section_id,
            audience_id=d.audience_id,
            language=d.language,
            updated_at=now,
        )
        for group, d in docs
    ]
    global changed_at
    changed_at = time.monotonic()
    if rows:
        Entry.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=[
                *("group", "title", "summary", "body", "keywords", "url", "section_id"),
                *("audience", "language"),
                "updated_at",
            ],
            batch_size=500,
        )


@transaction.atomic
def update(obj: models.Model) -> None:
    """Bring the index in line with one object: its entries replaced by its current documents
    (none when it is no longer published)."""
    group = _group(obj)
    Entry.objects.filter(group=group).delete()
    _write([(group, d) for d in _source(obj).documents(obj)])


def update_if_indexed(obj: models.Model) -> None:
    """`update` for an object of a kind that has a source (a launcher link has none)."""
    if type(obj) in _SOURCES:
        update(obj)


@transaction.atomic
def remove(obj: models.Model) -> None:
    Entry.objects.filter(group=_group(obj)).delete()


def rebuild(batch: int = 2000) -> int:
    """Re-create the whole index from the sources (the `search_rebuild` command, demo data)."""
    total = 0
    with transaction.atomic():
        Entry.objects.all().delete()
        for source in _SOURCES.values():
            pending: list[tuple[str, Document]] = []
            for obj, docs in source.everything():
                pending += [(f"{source.prefix}:{obj.pk}", d) for d in docs]
                if len(pending) >= batch:
                    _write(pending)
                    total += len(pending)
                    pending = []
            _write(pending)
            total += len(pending)
    return total
