"""Portal sections a search can be narrowed to. Search sits below the library, which owns
the sections, so the library registers them here (in its `AppConfig.ready()`) rather than
search importing it; entries keep a section's id as a plain number."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from touchpoint.kernel.registry import Registry

section_sources: Registry[Callable[[], Iterable[tuple[int, str]]]] = Registry(
    "the portal sections a search can be narrowed to, as (id, name)"
)


def sections() -> list[tuple[int, str]]:
    return [row for source in section_sources for row in source()]


def section_names() -> dict[int, str]:
    return dict(sections())
