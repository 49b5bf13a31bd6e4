"""Registries: how a lower layer lets higher ones take part without importing them.

A lower app declares a registry; a higher app adds to it in its `AppConfig.ready()`; the
lower app iterates it when the moment comes. Registration happens once at start-up, in the
order of INSTALLED_APPS, so the order of contributions is stable. No signals: the caller
sees every registered function in one place and calls it explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, purpose: str) -> None:
        self.purpose = purpose
        self._items: list[T] = []

    def register(self, item: T) -> T:
        """Add an item (usable as a decorator); adding the same item twice keeps one."""
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self) -> Iterator[T]:
        return iter(tuple(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Registry {self.purpose}: {len(self._items)}>"
