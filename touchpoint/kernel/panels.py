"""Panels: how an app above adds a block to a page of an app below, without an import upward.

The lower app names its pages and holds a registry per page; the higher app registers a
function of (viewer, **what the page shows) that returns a Panel (a template and its
context) or None. The page renders them in registration order, each in its slot: the main
column, or the buttons of the page header ("actions").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from touchpoint.kernel.registry import Registry

SLOTS = ("main", "actions")


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    slot: str = "main"


PanelMaker = Callable[..., Panel | None]


def page_registries(app: str, pages: Iterable[str]) -> dict[str, Registry[PanelMaker]]:
    return {page: Registry(f"panels on the {app} page {page!r}") for page in pages}


def render_panels(
    makers: Registry[PanelMaker], request: HttpRequest, **context: Any
) -> dict[str, list[SafeString]]:
    """The registered panels for this request, rendered, by slot."""
    rendered: dict[str, list[SafeString]] = {slot: [] for slot in SLOTS}
    for make in makers:
        panel = make(request.user, **context)
        if panel is not None:
            html = render_to_string(panel.template, panel.context, request)
            rendered[panel.slot].append(SafeString(html))
    return rendered
