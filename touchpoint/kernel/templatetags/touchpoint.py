"""Template helpers shared by every page."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.http import QueryDict
from django.utils.safestring import SafeString

register = template.Library()


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
