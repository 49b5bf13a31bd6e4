"""How library assets appear in search: published ones only, articles with their text."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from touchpoint.kernel.html import as_text
from touchpoint.library.models import Asset, AssetKind, AssetState, Section
from touchpoint.search import facets, index


def documents(asset: Asset) -> list[index.Document]:
    if asset.state != AssetState.PUBLISHED:
        return []
    version = asset.current_version
    keywords = [
        " ".join(t.name for t in asset.tags.all()),
        " ".join(f"{p.name} {p.code}" for p in asset.products.all()),
        version.file_name if version is not None else "",
    ]
    original = index.Document(
        kind="article" if asset.kind == AssetKind.ARTICLE else "asset",
        object_id=str(asset.pk),
        title=asset.title,
        summary=asset.summary,
        body=as_text(version.body) if version is not None else "",
        keywords="\n".join(w for w in keywords if w),
        url=asset.get_absolute_url(),
        section_id=asset.section_id,
        audience_id=asset.audience_id,
        language=asset.language,
    )
    return [
        original,
        # Translated are the title and summary; the body stays the original's text.
        *index.in_other_languages(
            asset, original, lambda v: {"title": v["title"], "summary": v["summary"]}
        ),
    ]


def everything() -> Iterator[tuple[Asset, list[index.Document]]]:
    assets = (
        Asset.objects.published()
        .select_related("current_version")
        .prefetch_related("tags", "products", "translations")
        .order_by("pk")
    )
    for asset in assets.iterator(chunk_size=2000):
        yield asset, documents(asset)


index.register(
    index.Source(model=Asset, prefix="asset", documents=documents, everything=everything),
    {"asset": _("Files and links"), "article": _("Articles")},
)


def sections() -> list[tuple[int, str]]:
    return list(Section.objects.values_list("pk", "name"))


facets.section_sources.register(sections)
