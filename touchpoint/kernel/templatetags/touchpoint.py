"""Template helpers shared by every page."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from django import template
from django.forms import BoundField
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Lucide icons (lucide-static, ISC), only those we use, each file as the package ships it.
ICONS = Path(__file__).resolve().parent.parent / "static" / "kernel" / "icons"
_SVG_BODY = re.compile(r"<svg[^>]*>(.*)</svg>", re.DOTALL)


@cache
def _icon_body(name: str) -> str:
    path = ICONS / f"{name}.svg"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        raise ValueError(f"There is no icon {name!r} in {ICONS}; copy it from lucide-static.")
    found = _SVG_BODY.search(path.read_text())
    assert found, f"{path} is not an SVG file"
    return " ".join(found.group(1).split())


@register.simple_tag
def icon(name: str, label: str = "", size: int = 20) -> SafeString:
    """`{% icon "house" %}`: the icon inlined (so it takes the text's colour and needs no
    request), hidden from screen readers; with `label=`, an image with that name, for an
    icon that stands alone and means something."""
    # The body is our own vendored file, never user input; the name was checked above.
    body = mark_safe(_icon_body(name))  # noqa: S308
    if label:
        described = format_html('role="img" aria-label="{}"', label)
    else:
        described = format_html('aria-hidden="{}"', "true")
    return format_html(
        '<svg class="icon icon-{}" {} focusable="false" width="{}" height="{}" viewBox="0 0 24 24"'
        ' fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"'
        ' stroke-linejoin="round">{}</svg>',
        name,
        described,
        size,
        size,
        body,
    )


@register.filter
def accessible(field: BoundField) -> SafeString:
    """Render a widget pointing at its help and error text, and flagged invalid on error."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, Any] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def querystring_without(context: template.Context, *names: str) -> str:
    """The current query string minus `names`, ending in & when not empty (for pagers)."""
    query: QueryDict = context["request"].GET.copy()
    for name in names:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, "")


@register.filter
def verb_label(verb: str) -> Any:
    """An activity verb as it reads in the person's language."""
    from touchpoint.kernel.activity import VERB_LABELS

    return VERB_LABELS.get(verb, verb)


@register.inclusion_tag("components/translations_card.html")
def translations_card(item: Any) -> dict[str, Any]:
    """On an authoring page: which languages the item has, which are missing or out of
    date, and the way to the translations page (nothing for an unsaved item)."""
    from django.urls import reverse

    from touchpoint.kernel.translations import kind_of, states

    kind = kind_of(item)
    if kind is None or item.pk is None:
        return {"languages": []}
    return {
        "languages": states(item, kind.parts(item)),
        "url": reverse("kernel:translations", args=[kind.key, item.pk]),
    }
