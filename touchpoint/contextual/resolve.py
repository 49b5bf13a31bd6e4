"""Resolving a context to what someone may open: the most specific matching mapping with
something to show wins; when nothing matches, a search link.

Matching: a mapping matches when each dimension it names equals the asked value (a blank
dimension in the mapping is "any"; a mapping that names a dimension the request left blank
or asked differently does not match). Among matches, the one naming more dimensions wins;
a tie (same count) goes to the mapping naming the weightier dimension, screen > product >
topic > application (models.DIMENSION_WEIGHTS). Two matching mappings never tie beyond that,
because one context has one mapping. A winner whose items the viewer may not see yields to
the next mapping down, so a person never gets an empty answer while a broader mapping has
something for them.

Cost: the audiences that reach the person (one query), then one query joining the at most
16 candidate mappings (each dimension IN ('', asked), on the unique index) to their items
and the items' targets, filtered to what the viewer may see, best mapping first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from touchpoint.contextual.models import (
    DIMENSIONS,
    ContextItem,
    ContextMapping,
    Integration,
    ItemKind,
    humanise,
    normalise,
)
from touchpoint.kernel.translations import localise_all
from touchpoint.library.models import Asset
from touchpoint.orgs.audience import cached_audience_ids
from touchpoint.orgs.models import User

# Most items one mapping offers; the panel is a short list, not a library.
MAX_ITEMS = 20


@dataclass(frozen=True)
class Context:
    """An asked context, normalised (see models.normalise)."""

    app: str = ""
    screen: str = ""
    product: str = ""
    topic: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Context:
        return cls(**{d: normalise(data.get(d, "")) for d in DIMENSIONS})

    @property
    def values(self) -> dict[str, str]:
        return {d: getattr(self, d) for d in DIMENSIONS}

    @property
    def is_empty(self) -> bool:
        return not any(self.values.values())

    @property
    def label(self) -> str:
        return " / ".join(v for v in self.values.values() if v) or "—"

    @property
    def heading(self) -> str:
        return humanise(self.values) or "—"

    @property
    def key(self) -> str:
        return "/".join(self.values.values())

    @property
    def query(self) -> str:
        """The context as URL parameters (blank dimensions left out)."""
        return urlencode({d: v for d, v in self.values.items() if v})

    @property
    def search_words(self) -> str:
        """Words for the search fallback: the screen, product and topic (an application
        name such as "pos" finds nothing useful), or the application when that is all."""
        parts = (
            [self.screen, self.product, self.topic]
            if self.screen or self.product or self.topic
            else [self.app]
        )
        words = " ".join(p for p in parts if p)
        for mark in "-_/.:":
            words = words.replace(mark, " ")
        return " ".join(words.split())[:200]

    @property
    def search_url(self) -> str:
        return (
            f"{reverse('search:search')}?{urlencode({'q': self.search_words})}"
            if self.search_words
            else reverse("search:search")
        )

    @property
    def go_url(self) -> str:
        return (
            f"{reverse('contextual:go')}?{self.query}" if self.query else reverse("contextual:go")
        )


# --- who is looking ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Viewer:
    """Whose view of the items to take: vendor staff see every published item; a partner
    person those whose audience is empty or reaches them; a widget integration those whose
    audience is empty or is the integration's own."""

    sees_everything: bool = False
    audience_ids: tuple[int, ...] = ()

    @classmethod
    def person(cls, user: User) -> Viewer:
        if user.is_vendor:
            return cls(sees_everything=True)
        return cls(audience_ids=cached_audience_ids(user))

    @classmethod
    def integration(cls, integration: Integration) -> Viewer:
        return cls(audience_ids=(integration.audience_id,) if integration.audience_id else ())

    def audience_q(self, field: str) -> Q:
        if self.sees_everything:
            return Q()
        return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": self.audience_ids})


def visible_items(viewer: Viewer) -> QuerySet[ContextItem]:
    """Context items whose target is published and meant for the viewer
    (`ContextItemQuerySet.offered`); a lesson item also needs its lesson in the course's
    published version, which `is_shown` checks on the annotated `lesson_title`."""
    return (
        ContextItem.objects.offered(viewer.audience_q)
        .select_related("mapping", "asset", "course")
        .only(*_COLUMNS)
    )


# What the list needs, and no more: the wide asset and course rows cost more to read than
# the query costs to run.
_COLUMNS = (
    "mapping_id", "position", "asset_id", "course_id", "lesson_key",
    *(f"mapping__{d}" for d in ("app", "screen", "product", "topic", "rank", "title")),
    *(f"asset__{f}" for f in ("title", "summary", "kind", "state", "audience_id", "language")),
    *(f"course__{f}" for f in ("title", "summary", "status", "published_version_id", "audience_id")),
)  # fmt: skip


# --- what is shown ---------------------------------------------------------------------------------
def asset_url(asset: Asset) -> str:
    """Where an asset opens in the portal: a link through the library's counted redirect,
    any other item on its page."""
    name = "library:asset_open" if asset.kind == "link" else "library:asset"
    return reverse(name, args=[asset.pk])


@dataclass(frozen=True)
class Shown:
    """One item as a person sees it in the list, the panel or the API."""

    item: ContextItem
    title: str
    kind: str
    kind_label: str
    summary: str
    target_url: str  # where it lives in the portal (always a path on this site)

    @property
    def pk(self) -> int:
        return self.item.pk

    def open_url(self, context: Context, via: str = "") -> str:
        """The counted way in: /go/item/<id>/ with the asked context, for the usage figures."""
        params = {d: v for d, v in context.values.items() if v}
        if via:
            params["via"] = via
        path = reverse("contextual:go_item", args=[self.item.pk])
        return f"{path}?{urlencode(params)}" if params else path


def shown(item: ContextItem) -> Shown:
    if item.asset_id:
        asset = item.asset
        assert asset is not None
        return Shown(
            item=item,
            title=asset.title,
            kind=ItemKind.ASSET,
            kind_label=str(asset.get_kind_display()),
            summary=asset.summary,
            target_url=asset_url(asset),
        )
    course = item.course
    assert course is not None
    if item.lesson_key:
        title = getattr(item, "lesson_title", None) or course.title
        return Shown(
            item=item,
            title=title,
            kind=ItemKind.LESSON,
            kind_label=str(_("Lesson in %(course)s") % {"course": course.title}),
            summary="",
            target_url=reverse("courses:lesson", args=[course.pk, item.lesson_key]),
        )
    return Shown(
        item=item,
        title=course.title,
        kind=ItemKind.COURSE,
        kind_label=str(ItemKind.COURSE.label),
        summary=course.summary,
        target_url=reverse("courses:course_detail", args=[course.pk]),
    )


@dataclass
class Resolution:
    context: Context
    mapping: ContextMapping | None = None
    items: list[Shown] = field(default_factory=list)

    @property
    def search_url(self) -> str:
        return self.context.search_url

    @property
    def heading(self) -> str:
        """The matched mapping's title, else the asked context in words."""
        if self.mapping is not None and self.mapping.title:
            return self.mapping.title
        return self.context.heading


def candidates_q(context: Context, prefix: str = "") -> Q:
    """Mappings whose every named dimension equals the asked one."""
    return Q(
        **{
            f"{prefix}{dimension}__in": sorted({"", value})
            for dimension, value in context.values.items()
        }
    )


def resolve(context: Context, viewer: Viewer) -> Resolution:
    """The best mapping for this context that has something the viewer may see."""
    resolution = Resolution(context=context)
    if context.is_empty:
        return resolution
    rows = list(
        visible_items(viewer)
        .filter(candidates_q(context, "mapping__"))
        .order_by("-mapping__rank", "position", "pk")[: 16 * MAX_ITEMS]
    )
    # In the asker's language (the widget's page language, the person's own on /go/).
    localise_all([t for item in rows for t in (item.asset, item.course) if t is not None])
    for item in rows:
        if not is_shown(item):
            continue
        if resolution.mapping is None:
            resolution.mapping = item.mapping
        elif item.mapping_id != resolution.mapping.pk:
            break
        resolution.items.append(shown(item))
    return resolution


def is_shown(item: ContextItem) -> bool:
    return not item.lesson_key or getattr(item, "lesson_title", None) is not None
