"""Shared builders for the contextual tests: mappings with items, and a Birchwood-only
audience (Alice is at Alder Creek, so she is outside it)."""

from __future__ import annotations

from typing import Any

import pytest

from touchpoint.contextual.models import ContextItem, ContextMapping
from touchpoint.orgs.models import Audience


def map_context(*items: Any, **values: str) -> ContextMapping:
    """A mapping for `values` (app=…, screen=…, product=…, topic=…) offering `items` in
    order: assets, courses, or (course, lesson_key) pairs."""
    mapping = ContextMapping(**values)
    mapping.save()
    for position, target in enumerate(items, start=1):
        item = ContextItem(mapping=mapping, position=position)
        if isinstance(target, tuple):
            item.course, item.lesson_key = target
        elif target._meta.label_lower == "library.asset":
            item.asset = target
        else:
            item.course = target
        item.save()
    return mapping


@pytest.fixture
def birchwood_only(personas: Any) -> Audience:
    audience = Audience.objects.create(name="Birchwood only")
    audience.partners.add(personas.dealer_b)
    return audience
