"""Content in the portal's other languages: which models have translatable words, reading an
item in a person's language (falling back to the original), and where each translation
stands for its authors (missing, up to date, out of date).

    class Announcement(Translatable, models.Model):
        translated_fields = ("title", "body")
        translated_html = ("body",)

    Announcement.objects.visible_to(user).in_language()   # each row in the person's language
    localise(announcement)                                 # one already-fetched row

One `kernel.Translation` row per item and language (a generic relation), so every content
type shares one table, one action (`kernel.actions.save_translation`), one authoring page
and one search hook; docs/architecture.md says why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch
from django.utils import translation
from django.utils.functional import Promise

from touchpoint.kernel.access import AccessQuerySet
from touchpoint.kernel.models import Translation
from touchpoint.kernel.registry import Registry

M = TypeVar("M", bound=models.Model)


class Translatable(models.Model):
    """A model whose words may have versions in other languages."""

    # The fields a translation may replace; those in `translated_html` are sanitised HTML.
    translated_fields: ClassVar[tuple[str, ...]] = ()
    translated_html: ClassVar[tuple[str, ...]] = ()

    translations = GenericRelation(Translation)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "localised_to", None):
            # A row read in a person's language carries translated words: saving it would
            # overwrite the original with them.
            raise RuntimeError("A localised copy is for reading; fetch the original to change it.")
        super().save(*args, **kwargs)

    @property
    def original_language(self) -> str:
        """The language the item was written in (a library item says its own)."""
        return settings.LANGUAGE_CODE


def _in_language(language: str) -> Prefetch:
    return Prefetch(
        "translations",
        queryset=Translation.objects.filter(language=language),
        to_attr="translations_in_language",
    )


def _apply(obj: Translatable, language: str, found: Iterable[Translation]) -> None:
    if language == obj.original_language:
        return
    for version in found:
        if version.language != language:
            continue
        deferred = obj.get_deferred_fields()
        # Kept for the search index and authors; a field the query left out stays out (reading
        # it would be one more query per row).
        obj.originals = {  # type: ignore[attr-defined]
            name: str(getattr(obj, name) or "")
            for name in obj.translated_fields
            if name not in deferred
        }
        for name in obj.translated_fields:
            value = version.fields.get(name)
            if value:
                setattr(obj, name, value)
        obj.localised_to = language  # type: ignore[attr-defined]


class TranslatableQuerySet(AccessQuerySet[M], Generic[M]):
    """`in_language()`: the rows come back in the person's language, with one query for the
    whole list's translations, and none when every row is already in that language."""

    _language: str | None = None

    def in_language(self, language: str | None = None) -> Self:
        clone = self._chain()  # type: ignore[attr-defined]
        clone._language = language or translation.get_language() or settings.LANGUAGE_CODE
        return clone

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._language = self._language
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._language and self._result_cache:
            localise_all(self._result_cache, self._language)


def localise(obj: Any, language: str | None = None) -> Any:
    """One fetched item in `language` (the active one by default), in place; returns it."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if isinstance(obj, Translatable) and language != obj.original_language:
        found = getattr(obj, "translations_in_language", None)
        if found is None:
            found = list(obj.translations.filter(language=language))
        _apply(obj, language, found)
    return obj


def localise_all(objs: Iterable[Any], language: str | None = None) -> list[Any]:
    """Items fetched without `in_language()` (related rows, a list built elsewhere), in
    `language`, with one query for all of them."""
    items = [o for o in objs if isinstance(o, Translatable)]
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    wanted = [
        o for o in items if language != o.original_language and not hasattr(o, "localised_to")
    ]
    if wanted:
        models.prefetch_related_objects(wanted, _in_language(language))
        for obj in wanted:
            _apply(obj, language, obj.translations_in_language)  # type: ignore[attr-defined]
    return items


class ByLanguage(dict[str, str]):
    """An item's field in each language, read as the active language's version: a value for
    messages rendered once per recipient in their language (kernel.notifications)."""

    def __init__(self, original: str, versions: dict[str, str]) -> None:
        super().__init__(versions)
        self.original = original

    def __str__(self) -> str:
        return self.get(translation.get_language() or "", self.original)


def in_each_language(obj: Translatable, name: str) -> ByLanguage:
    """`obj.<name>` in every language it has, for a message to people of several languages."""
    original = original_values(obj).get(name, "")
    versions = {t.language: t.fields[name] for t in obj.translations.all() if t.fields.get(name)}
    return ByLanguage(original, versions | {obj.original_language: original})


def copy_translations(pairs: Iterable[tuple[Translatable, Translatable]]) -> int:
    """Give each copy (a new course version's lesson) its source's translations, with the
    source's digest: they stay up to date while the copy's words are the same, and read as
    out of date once an author changes them. Returns how many were copied."""
    by_source = {source.pk: target for source, target in pairs}
    if not by_source:
        return 0
    model = type(next(iter(by_source.values())))
    kind = ContentType.objects.get_for_model(model)
    copies = [
        Translation(
            content_type=kind,
            object_id=by_source[row.object_id].pk,
            language=row.language,
            fields=row.fields,
            source_digest=row.source_digest,
            updated_by_id=row.updated_by_id,
            updated_at=row.updated_at,
        )
        for row in Translation.objects.filter(content_type=kind, object_id__in=list(by_source))
    ]
    Translation.objects.bulk_create(copies)
    return len(copies)


# --- for authors ---------------------------------------------------------------------------------
def original_values(obj: Translatable) -> dict[str, str]:
    originals = getattr(obj, "originals", None)
    return {name: str(getattr(obj, name) or "") for name in obj.translated_fields} | (
        originals or {}
    )


def digest(obj: Translatable) -> str:
    """A fingerprint of the original's words: a translation saved against another one is
    out of date."""
    words = json.dumps(original_values(obj), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(words.encode()).hexdigest()


@dataclass(frozen=True)
class TranslatableKind:
    """A kind of item with its own translations page: its URL key, the model, and the parts
    translated with it on the same page (a course's lessons, a tour's stops)."""

    key: str
    model: type[Translatable]
    back_url: Callable[[Any], str]
    parts: Callable[[Any], list[Translatable]] = field(default=lambda obj: [])
    # Which rows of the model are of this kind (a campaign step is a tour only when it is one).
    applies: Callable[[Any], bool] = field(default=lambda obj: True)


kinds: Registry[TranslatableKind] = Registry("the kinds of item authors translate")
# Told (after commit) when an item's translations changed, e.g. to index its new words.
translation_saved: Registry[Callable[[Any], None]] = Registry("who hears of saved translations")


def kind_of(obj: Any) -> TranslatableKind | None:
    return next((k for k in kinds if isinstance(obj, k.model) and k.applies(obj)), None)


def kind_named(key: str) -> TranslatableKind | None:
    return next((k for k in kinds if k.key == key), None)


MISSING, CURRENT, OUTDATED, PARTIAL = "missing", "current", "outdated", "partial"


@dataclass
class LanguageState:
    code: str
    name: str | Promise
    state: str  # missing, current, outdated or partial (some parts not translated yet)
    translation: Translation | None = None

    @property
    def needs_work(self) -> bool:
        return self.state != CURRENT


def other_languages(obj: Translatable) -> list[tuple[str, str | Promise]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != obj.original_language]


def _state(obj: Translatable, found: Translation | None) -> str:
    if found is None:
        return MISSING
    return CURRENT if found.source_digest == digest(obj) else OUTDATED


def states(obj: Translatable, parts: Iterable[Translatable] = ()) -> list[LanguageState]:
    """Each other language of `obj` and where it stands, its parts counted: out of date when
    the item or any part is, partial when some part is not translated yet, and missing when
    the item itself is not."""
    everything = [obj, *parts]
    models.prefetch_related_objects(everything, "translations")
    result = []
    for code, name in other_languages(obj):
        own = next((t for t in obj.translations.all() if t.language == code), None)
        part_states = [
            _state(p, next((t for t in p.translations.all() if t.language == code), None))
            for p in parts
        ]
        state = _state(obj, own)
        if state != MISSING and OUTDATED in part_states:
            state = OUTDATED
        elif state == CURRENT and MISSING in part_states:
            state = PARTIAL
        result.append(LanguageState(code, name, state, own))
    return result
